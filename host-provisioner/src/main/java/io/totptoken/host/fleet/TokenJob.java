package io.totptoken.host.fleet;

import io.totptoken.host.fleet.TokenOutcome.Result;
import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.session.ApduException;
import io.totptoken.host.session.CardCredential;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.session.TokenInfo;
import io.totptoken.host.session.Ykoath;
import io.totptoken.host.transport.TransportException;

/**
 * One token, start to end: select, read the serial, decide (done already, resume, or new), bind a
 * row durably, reset if asked, PUT, set the password, read a code back and compare it with the
 * host's. The order is what makes a crash anywhere recoverable (docs/fleet.md, "Crash points").
 */
final class TokenJob {
    /** HOTP codes are searched this far ahead of the expected counter (a crash can leave it behind the token's). */
    static final int HOTP_WINDOW = 10;

    private final Ledger ledger;
    private final FleetOptions options;
    private final String lane;
    private final CountingTransport wire;
    private final FleetListener listener;
    private OathSession session;
    private TokenInfo info;
    private long verifiedAt;

    TokenJob(Ledger ledger, FleetOptions options, String lane, CountingTransport wire, FleetListener listener) {
        this.ledger = ledger;
        this.options = options;
        this.lane = lane;
        this.wire = wire;
        this.listener = listener;
    }

    /** The journal position of the verification this job appended (0 when none): durable before the token is reported done. */
    long verifiedAt() {
        return verifiedAt;
    }

    TokenOutcome run() {
        Long serial = null;
        try {
            session = select();
            info = session.info().orElse(null);
            if (info == null) {
                return outcome(null, null, Result.REFUSED, null, 0,
                        "the token does not report a serial number (TOKEN INFO): fleet runs need one to track it");
            }
            serial = info.serial();
            // An empty token is new unless this station knows it: on a shared journal the binding
            // finds out if another station bound it (one query less per token). A used one may be
            // another station's unfinished token, so the other stations' records are read first.
            Assignment a = used() ? ledger.lookup(serial) : ledger.known(serial);
            if (a == null) {
                try {
                    return fresh(serial);
                } catch (SharedJournalStore.BoundElsewhereException e) {
                    a = ledger.lookup(serial);
                    if (a == null) {
                        return refuse(serial, "the token's row was released by another station meanwhile: insert it again");
                    }
                }
            }
            if (a.state() == Assignment.State.VERIFIED) {
                return outcome(serial, a.row.account(), Result.ALREADY_DONE, a.code, a.moving,
                        "already provisioned in this run (the same token again?)");
            }
            return resume(a);
        } catch (TransportException | ApduException | io.totptoken.host.apdu.MalformedResponseException e) {
            // Before any row was bound: nothing to undo.
            String reason = "could not read the token: " + e.getMessage();
            if (serial != null) {
                ledger.refused(serial, reason);
            }
            return outcome(serial, null, Result.REFUSED, null, 0, reason);
        }
    }

    /**
     * SELECT, once more after a short pause if the first fails on the wire: a token just inserted
     * may refuse its first exchange while the reader powers it up (pcsc-lite answers
     * SCARD_E_NOT_TRANSACTED then). SELECT changes nothing, so repeating it is safe.
     */
    private OathSession select() {
        try {
            return OathSession.open(wire);
        } catch (TransportException e) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw e;
            }
            return OathSession.open(wire);
        }
    }

    private TokenOutcome fresh(long serial) {
        boolean used = used();
        if (used && !options.reset()) {
            String why = info.credentials() > 0
                    ? "the token already holds " + info.credentials() + " credential(s)"
                    : "the token has a password";
            return refuse(serial, why + "; give --reset to wipe it");
        }
        if (!ledger.hasRowFor(serial)) {
            ledger.refresh(); // on a shared journal, another station may have released one
            if (!ledger.hasRowFor(serial)) {
                return refuse(serial, "no manifest row is left for this token");
            }
        }
        if (used) {
            session.reset(); // before the row is bound: a crash here leaves an empty token and no record
            info = session.info().orElseThrow();
        }
        int needed = options.algorithm() == HashAlgorithm.SHA512 ? 2 : 1;
        if (info.slotsFree() < needed) {
            return refuse(serial, "the token is full (" + info.slotsFree() + " free slot(s), "
                    + needed + " needed)");
        }
        Assignment a = ledger.assign(serial, listener);
        if (a == null) {
            return refuse(serial, "no manifest row is left for this token");
        }
        return write(a);
    }

    /** The token was seen before with this row and not verified: check it, and write it only if it lacks the seed. */
    private TokenOutcome resume(Assignment a) {
        try {
            unlockIfNeeded();
            TokenOutcome checked = verify(a, false);
            if (checked != null) {
                return checked;
            }
        } catch (ApduException e) {
            if (e.sw() != Ykoath.SW_NO_SUCH_OBJECT) { // anything but "no such credential": report, keep the binding
                return fail(a, "on resume: " + e.getMessage());
            }
        } catch (TransportException | io.totptoken.host.apdu.MalformedResponseException e) {
            return fail(a, "the token stopped answering while it was checked: reinsert it and resume");
        }
        return write(a);
    }

    private TokenOutcome write(Assignment a) {
        CredentialSpec spec = a.spec();
        try {
            unlockIfNeeded();
        } catch (ApduException e) {
            return fail(a, e.getMessage());
        } catch (TransportException | io.totptoken.host.apdu.MalformedResponseException e) {
            return fail(a, "the token stopped answering before it was written: reinsert it and resume");
        }
        try {
            boolean period = spec.type() == OathType.TOTP && spec.period() != CredentialSpec.DEFAULT_PERIOD
                    && info.takesPeriod(spec.period());
            session.put(spec.cardName(), spec.type().code(), spec.algorithm().code(), spec.digits(), spec.secret(),
                    spec.touch(), spec.counter(), info.takesStates(spec.algorithm().code()), period ? spec.period() : 0);
        } catch (ApduException e) {
            // The token refused the PUT, so it does not hold the seed: the row may go to another token,
            // with the same seed (it was never anywhere but the journal).
            ledger.release(a, "the token refused the credential: " + e.getMessage(), true);
            return outcome(a.serial, a.row.account(), Result.FAILED, null, 0,
                    "the token refused the credential: " + e.getMessage() + "; the row goes to another token");
        } catch (TransportException | io.totptoken.host.apdu.MalformedResponseException e) {
            return fail(a, "the token was removed or stopped answering while it was written: "
                    + "reinsert it and resume to finish it");
        }
        try {
            if (options.adminPassword() != null) {
                session.setPassword(options.adminPassword());
            }
            ledger.written(a);
            TokenOutcome checked = verify(a, true);
            return checked != null ? checked
                    : fail(a, "the code read back does not match the seed: reinsert the token and resume to rewrite it");
        } catch (ApduException e) {
            return fail(a, e.getMessage() + "; resume to finish the token");
        } catch (TransportException | io.totptoken.host.apdu.MalformedResponseException e) {
            return fail(a, "the token was removed or stopped answering after it was written: "
                    + "reinsert it and resume to check it");
        }
    }

    /** Reads a code and compares it; the outcome when it matches, null when it does not. */
    private TokenOutcome verify(Assignment a, boolean justWritten) {
        CredentialSpec spec = a.spec();
        CardCredential c = new CardCredential(spec.cardName(), spec.type().code(), spec.algorithm().code());
        long now = options.clock().instant().getEpochSecond();
        String code;
        if (spec.type() == OathType.TOTP) {
            long step = Otp.timeStep(now, spec.period());
            code = session.calculate(c, step).value();
            if (!code.equals(Otp.hotp(spec.algorithm(), spec.secret(), step, spec.digits()))) {
                return null;
            }
            verifiedAt = ledger.verified(a, code, step, now, 0);
            return outcome(a.serial, a.row.account(), Result.PROVISIONED, code, step, null);
        }
        code = session.calculate(c, 0).value();
        int window = justWritten ? 0 : HOTP_WINDOW;
        for (long counter = spec.counter(); counter <= spec.counter() + window; counter++) {
            if (code.equals(Otp.hotp(spec.algorithm(), spec.secret(), counter, spec.digits()))) {
                // The token has used this counter: the server should expect the next.
                verifiedAt = ledger.verified(a, code, counter, now, counter + 1);
                return outcome(a.serial, a.row.account(), Result.PROVISIONED, code, counter, null);
            }
        }
        return null;
    }

    /** Whether the token holds credentials or a password (a fresh one holds neither). */
    private boolean used() {
        return info.credentials() > 0 || info.passwordSet();
    }

    private void unlockIfNeeded() {
        if (session.locked()) {
            if (options.adminPassword() == null) {
                throw new ApduException(Ykoath.SW_AUTH_REQUIRED, "the token is locked with a password and no admin password was given");
            }
            session.unlock(options.adminPassword());
        }
    }

    private TokenOutcome fail(Assignment a, String reason) {
        ledger.failed(a, reason);
        return outcome(a.serial, a.row.account(), Result.FAILED, null, 0, reason);
    }

    private TokenOutcome refuse(long serial, String reason) {
        ledger.refused(serial, reason);
        return outcome(serial, null, Result.REFUSED, null, 0, reason);
    }

    private TokenOutcome outcome(Long serial, String account, Result result, String code, long moving, String reason) {
        return new TokenOutcome(lane, serial, account, result, code, moving, reason, wire.count());
    }
}
