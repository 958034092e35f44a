package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import java.time.Clock;

/**
 * How a fleet run writes tokens.
 *
 * @param type          TOTP or HOTP, for rows whose seed file does not say
 * @param algorithm     HMAC hash, likewise; generated seeds are as long as its output
 * @param digits        6, 7 or 8
 * @param period        TOTP period in seconds
 * @param issuer        issuer for rows without one, or null
 * @param touch         whether codes need a touch (then verification needs one too)
 * @param adminPassword the YKOATH password set on every token, or null; read from a file by the caller
 * @param reset         wipe tokens that already hold credentials or a password instead of refusing them
 * @param forceNewSeed  on resume, drop rows bound to tokens that never got verified: they get new seeds
 * @param clock         time for TOTP verification
 */
public record FleetOptions(OathType type, HashAlgorithm algorithm, int digits, int period, String issuer,
                           boolean touch, char[] adminPassword, boolean reset, boolean forceNewSeed, Clock clock) {
    public FleetOptions {
        if (digits < 6 || digits > 8) {
            throw new FleetException("digits must be 6, 7 or 8, not " + digits);
        }
        if (period <= 0) {
            throw new FleetException("the period must be a positive number of seconds, not " + period);
        }
        if (issuer != null && issuer.indexOf(':') >= 0) {
            throw new FleetException("the issuer must not contain ':'");
        }
        if (adminPassword != null && adminPassword.length == 0) {
            throw new FleetException("the admin password file is empty");
        }
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    public static FleetOptions defaults() {
        return new FleetOptions(OathType.TOTP, HashAlgorithm.SHA1, 6, 30, null, false, null, false, false, null);
    }

    public FleetOptions withAlgorithm(HashAlgorithm a) {
        return new FleetOptions(type, a, digits, period, issuer, touch, adminPassword, reset, forceNewSeed, clock);
    }

    public FleetOptions withType(OathType t) {
        return new FleetOptions(t, algorithm, digits, period, issuer, touch, adminPassword, reset, forceNewSeed, clock);
    }

    public FleetOptions withDigits(int d) {
        return new FleetOptions(type, algorithm, d, period, issuer, touch, adminPassword, reset, forceNewSeed, clock);
    }

    public FleetOptions withPeriod(int p) {
        return new FleetOptions(type, algorithm, digits, p, issuer, touch, adminPassword, reset, forceNewSeed, clock);
    }

    public FleetOptions withIssuer(String i) {
        return new FleetOptions(type, algorithm, digits, period, i, touch, adminPassword, reset, forceNewSeed, clock);
    }

    public FleetOptions withTouch(boolean t) {
        return new FleetOptions(type, algorithm, digits, period, issuer, t, adminPassword, reset, forceNewSeed, clock);
    }

    public FleetOptions withAdminPassword(char[] p) {
        return new FleetOptions(type, algorithm, digits, period, issuer, touch, p, reset, forceNewSeed, clock);
    }

    public FleetOptions withReset(boolean r) {
        return new FleetOptions(type, algorithm, digits, period, issuer, touch, adminPassword, r, forceNewSeed, clock);
    }

    public FleetOptions withForceNewSeed(boolean f) {
        return new FleetOptions(type, algorithm, digits, period, issuer, touch, adminPassword, reset, f, clock);
    }

    public FleetOptions withClock(Clock c) {
        return new FleetOptions(type, algorithm, digits, period, issuer, touch, adminPassword, reset, forceNewSeed, c);
    }

    @Override
    public String toString() {
        return "FleetOptions[" + type + ", " + algorithm + ", digits=" + digits + ", period=" + period + ", issuer="
                + issuer + ", touch=" + touch + ", password=" + (adminPassword == null ? "none" : "<hidden>")
                + ", reset=" + reset + ", forceNewSeed=" + forceNewSeed + "]";
    }
}
