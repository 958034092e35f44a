package io.totptoken.host.fleet;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record of the run's journal, one type per kind of line (the letter each starts with is in
 * {@link JournalCodec} and docs/fleet.md). Records carry what the {@link Ledger} needs to rebuild
 * its state; {@link JournalCodec} turns them into lines and back.
 */
public sealed interface JournalRecord {
    /**
     * The first line: what the run depends on, so that a resume with other rows or options is refused.
     *
     * @param version the journal format's version ({@link Ledger#VERSION})
     * @param run     the run's options and a digest of the rows' identities, never their seeds
     */
    record Header(String version, String run) implements JournalRecord {
    }

    /**
     * A manifest row bound to a token, with the seed it gets; durable before the token is written.
     *
     * @param line   the row's manifest line
     * @param params how the seed is used; {@code counter} is the HOTP initial counter
     * @param issuer the issuer, or null for none
     * @param seed   the seed: a secret, never printed
     * @param upn    the row's Microsoft Entra ID user principal name, empty for none (so that
     *               {@code bulk export}, which has no manifest, writes entra.csv as the station would)
     */
    record Assigned(long serial, int line, SeedParams params, boolean touch, String issuer, String account,
                    String user, String realm, String resolver, byte[] seed, String upn) implements JournalRecord {
        public Assigned {
            upn = upn == null ? "" : upn;
        }

        /** A record without a UPN. */
        Assigned(long serial, int line, SeedParams params, boolean touch, String issuer, String account,
                 String user, String realm, String resolver, byte[] seed) {
            this(serial, line, params, touch, issuer, account, user, realm, resolver, seed, "");
        }

        /** The record of {@code entry} (whose serial is the token's) bound to manifest row {@code row}. */
        static Assigned of(long serial, FleetRow row, SeedEntry entry, boolean touch) {
            return new Assigned(serial, row.line(), entry.params(), touch, entry.issuer(), entry.account(), entry.user(),
                    entry.realm(), entry.resolver(), entry.secret(), row.upn());
        }

        /** The seed as the ledger keeps it; shares {@link #seed}. */
        SeedEntry entry() {
            return new SeedEntry(Long.toString(serial), params.type(), params.algorithm(), params.digits(),
                    params.period(), params.counter(), issuer, account, user, realm, resolver, seed);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Assigned a && serial == a.serial && line == a.line && touch == a.touch
                    && params.equals(a.params) && Objects.equals(issuer, a.issuer)
                    && account.equals(a.account) && user.equals(a.user) && realm.equals(a.realm)
                    && resolver.equals(a.resolver) && Arrays.equals(seed, a.seed) && upn.equals(a.upn);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(serial) * 31 + line;
        }

        @Override
        public String toString() {
            return "Assigned[serial=" + serial + ", line=" + line + ", " + params + ", account=" + account
                    + ", seed=<hidden>]";
        }
    }

    /** The credential is on the token (not synced: a lost one only means checking again). */
    record Written(long serial) implements JournalRecord {
    }

    /**
     * The token's code matched; durable before the token counts as done.
     *
     * @param code        the code read back (a past code, harmless)
     * @param moving      the TOTP time step or HOTP counter of that code
     * @param checkedAt   when, in unix seconds
     * @param nextCounter the HOTP counter the server should expect next; 0 for TOTP
     */
    record Verified(long serial, String code, long moving, long checkedAt, long nextCounter) implements JournalRecord {
    }

    /** Something went wrong after binding; the token may hold the seed, so the row stays bound. */
    record Failed(long serial, String reason) implements JournalRecord {
    }

    /**
     * The row is free again: the token refused the PUT, or the admin forced a new seed.
     *
     * @param keepSeed the row's next token gets the same seed (it was never anywhere else)
     */
    record Released(long serial, String reason, boolean keepSeed) implements JournalRecord {
    }

    /** A token turned away before any row was bound to it (for the report). */
    record Refused(long serial, String reason) implements JournalRecord {
    }
}
