package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.CredentialSpec;

/**
 * A manifest row bound to a token serial, as the journal records it. Mutable, and guarded by the
 * {@link Ledger} that owns it.
 */
public final class Assignment {
    public enum State { ASSIGNED, WRITTEN, VERIFIED, FAILED, RELEASED }

    final long serial;
    final FleetRow row;
    final SeedEntry entry;
    final boolean touch;
    State state = State.ASSIGNED;
    /** HOTP: the counter the token should be at (the server's next); TOTP: 0. */
    long counter;
    String failure;
    String code;
    long moving;
    long checkedAt;

    Assignment(long serial, FleetRow row, SeedEntry entry, boolean touch) {
        this.serial = serial;
        this.row = row;
        this.entry = entry;
        this.touch = touch;
        this.counter = entry.counter();
    }

    public long serial() {
        return serial;
    }

    public FleetRow row() {
        return row;
    }

    public synchronized State state() {
        return state;
    }

    public synchronized String failure() {
        return failure;
    }

    /** The credential to put on the token; its secret is the ledger's own copy: do not wipe it. */
    CredentialSpec spec() {
        return new CredentialSpec(entry.type(), entry.algorithm(), entry.digits(), entry.period(), counter,
                entry.issuer(), entry.account(), entry.secret(), touch);
    }

    /** The seed as the outputs write it, with the counter the server should expect next. */
    synchronized SeedEntry output() {
        SeedEntry e = entry;
        return new SeedEntry(e.serial(), e.type(), e.algorithm(), e.digits(), e.period(), counter, e.issuer(),
                e.account(), e.user(), e.realm(), e.resolver(), e.secret());
    }

    @Override
    public String toString() {
        return "Assignment[serial=" + serial + ", line=" + row.line() + ", account=" + row.account() + ", " + state + "]";
    }
}
