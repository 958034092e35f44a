package io.totptoken.host.fleet;

import io.totptoken.host.fleet.TokenOutcome.Result;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.session.ApduException;
import io.totptoken.host.session.CardCredential;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.session.TokenInfo;
import io.totptoken.host.transport.Transport;
import io.totptoken.host.transport.TransportException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Audits attached tokens against a seed file without writing to them: for each token, finds its
 * serial's entry, computes the code for the current time step and compares it with the code of
 * each TOTP credential on the token. HOTP entries are not checked: reading a HOTP code advances
 * the token's counter, which is a write.
 */
public final class FleetVerifier {
    private final Map<String, SeedEntry> bySerial = new HashMap<>();
    private final Clock clock;
    private final char[] password;

    /** @param password the tokens' admin password, or null */
    public FleetVerifier(List<SeedEntry> entries, char[] password, Clock clock) {
        for (SeedEntry e : entries) {
            bySerial.put(e.serial(), e);
        }
        this.password = password;
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** Checks every token of every lane, lanes in parallel. */
    public List<TokenOutcome> verify(TokenSource source, FleetListener listener) {
        List<TokenOutcome> out = Collections.synchronizedList(new ArrayList<>());
        listener.started(bySerial.size(), 0, source.lanes().size());
        TokenSource.workInParallel(source.lanes(), "verify", lane -> verifyLane(lane, out, listener));
        return List.copyOf(out);
    }

    private void verifyLane(TokenSource.Lane lane, List<TokenOutcome> out, FleetListener listener) {
        while (true) {
            Transport transport;
            try {
                transport = lane.next();
            } catch (TransportException e) {
                add(out, listener, new TokenOutcome(lane.label(), null, null, Result.REFUSED, null, 0,
                        e.getMessage(), 0));
                continue;
            }
            if (transport == null) {
                return;
            }
            CountingTransport wire = new CountingTransport(transport);
            try {
                add(out, listener, check(lane.label(), wire));
            } finally {
                transport.close();
            }
        }
    }

    private static void add(List<TokenOutcome> out, FleetListener listener, TokenOutcome o) {
        out.add(o);
        listener.token(o, (int) out.stream().filter(x -> x.result() == Result.PROVISIONED).count(), 0);
    }

    TokenOutcome check(String lane, CountingTransport wire) {
        Long serial = null;
        try {
            OathSession s = OathSession.open(wire);
            TokenInfo info = s.info().orElse(null);
            if (info == null) {
                return new TokenOutcome(lane, null, null, Result.REFUSED, null, 0, "the token reports no serial number", wire.count());
            }
            serial = info.serial();
            SeedEntry e = bySerial.get(Long.toString(serial));
            if (e == null) {
                return new TokenOutcome(lane, serial, null, Result.FAILED, null, 0, "the seed file has no entry for this serial", wire.count());
            }
            if (e.type() == OathType.HOTP) {
                return new TokenOutcome(lane, serial, e.account(), Result.REFUSED, null, 0,
                        "HOTP is not checked: reading a code would advance the token's counter", wire.count());
            }
            if (s.locked()) {
                if (password == null) {
                    return new TokenOutcome(lane, serial, e.account(), Result.FAILED, null, 0,
                            "the token is locked with a password; give the admin password file", wire.count());
                }
                s.unlock(password);
            }
            long step = Otp.timeStep(clock.instant().getEpochSecond(), e.period());
            String expected = Otp.hotp(e.algorithm(), e.secret(), step, e.digits());
            int totp = 0;
            for (CardCredential c : s.list()) {
                if (c.type() != CardCredential.TOTP) {
                    continue;
                }
                totp++;
                try {
                    String code = s.calculate(c, step).value();
                    if (code.equals(expected)) {
                        return new TokenOutcome(lane, serial, e.account(), Result.PROVISIONED, code, step, null, wire.count());
                    }
                } catch (ApduException ex) {
                    // a touch credential, say: not this one
                }
            }
            return new TokenOutcome(lane, serial, e.account(), Result.FAILED, null, step,
                    totp == 0 ? "the token has no TOTP credential" : "no credential on the token gives the seed file's code",
                    wire.count());
        } catch (TransportException | ApduException | io.totptoken.host.apdu.MalformedResponseException ex) {
            return new TokenOutcome(lane, serial, null, Result.FAILED, null, 0, "could not read the token: " + ex.getMessage(), wire.count());
        }
    }
}
