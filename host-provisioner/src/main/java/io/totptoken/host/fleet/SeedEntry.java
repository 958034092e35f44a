package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;

/**
 * One token's seed as seed files carry it: the token serial, how the seed is used, whom it is for,
 * and the seed. {@code counter} is the HOTP counter the server should expect next.
 */
public record SeedEntry(String serial, OathType type, HashAlgorithm algorithm, int digits, int period, long counter,
                        String issuer, String account, String user, String realm, String resolver, byte[] secret) {
    public SeedParams params() {
        return new SeedParams(type, algorithm, digits, period, counter);
    }

    /** The credential as an otpauth URI or a token sees it. */
    public CredentialSpec spec() {
        return new CredentialSpec(type, algorithm, digits, period, counter, issuer,
                account == null || account.isBlank() ? serial : account, secret, false);
    }

    @Override
    public String toString() {
        return "SeedEntry[serial=" + serial + ", " + type + "/" + algorithm + "/" + digits + ", account=" + account
                + ", secret=<hidden>]";
    }
}
