package io.totptoken.host.provisioning;

import io.totptoken.host.session.ApduException;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.session.Ykoath;
import java.util.Arrays;

/**
 * A token's password: unlocking (with a given password, a remembered key, or by asking),
 * changing, removing, and remembering the derived key for the next time when asked to.
 */
public final class Access {

    /** How a session was unlocked. */
    public enum Unlocked { NOT_LOCKED, PASSWORD, REMEMBERED_KEY }

    /** What {@link #change} did. */
    public record Change(boolean remembered) {
    }

    private final RememberedKeys keys;

    public Access(RememberedKeys keys) {
        this.keys = keys;
    }

    /**
     * Unlocks the token when it has a password: a given password first, then a remembered key
     * (forgotten when the token refuses it), then by asking.
     *
     * @param remember store the key derived from a password that worked
     * @throws PasswordRequiredException when no password could be had
     * @throws io.totptoken.host.session.WrongPasswordException for a wrong password (with the tries left)
     */
    public Unlocked unlock(TokenConnection token, PasswordSource passwords, boolean remember) {
        OathSession session = token.session();
        if (!session.locked()) {
            return Unlocked.NOT_LOCKED;
        }
        char[] password = passwords.given();
        if (password == null) {
            byte[] key = keys.find(session.deviceId());
            if (key != null) {
                try {
                    session.validate(key);
                    return Unlocked.REMEMBERED_KEY;
                } catch (ApduException e) {
                    if (e.sw() != Ykoath.SW_AUTH_REQUIRED) {
                        throw e;
                    }
                    keys.forget(session.deviceId()); // the password was changed elsewhere
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            }
            password = passwords.ask(token.target().label());
        }
        if (password == null) {
            throw new PasswordRequiredException(token.target().label());
        }
        byte[] key = session.deriveKey(password);
        try {
            session.validate(key);
            if (remember) {
                keys.remember(session.deviceId(), key);
            }
            return Unlocked.PASSWORD;
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(password, '\0');
        }
    }

    /** Sets a new password (unlocking with the old one first); wipes {@code newPassword}. */
    public Change change(TokenConnection token, PasswordSource current, char[] newPassword, boolean remember) {
        try {
            unlock(token, current, false);
            OathSession session = token.session();
            session.setPassword(newPassword);
            if (remember) {
                byte[] key = session.deriveKey(newPassword);
                try {
                    keys.remember(session.deviceId(), key);
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            } else {
                keys.forget(session.deviceId());
            }
            return new Change(remember);
        } finally {
            Arrays.fill(newPassword, '\0');
        }
    }

    /**
     * Removes the password (unlocking first) and any key remembered for it; returns false, and
     * changes nothing on the token, when it has no password.
     */
    public boolean clear(TokenConnection token, PasswordSource current) {
        if (!token.session().hasPassword()) {
            keys.forget(token.session().deviceId()); // a key remembered for a password cleared elsewhere
            return false;
        }
        unlock(token, current, false);
        token.session().clearPassword();
        keys.forget(token.session().deviceId());
        return true;
    }

    /** Forgets the key remembered for this token; returns whether there was one. */
    public boolean forget(TokenConnection token) {
        return keys.forget(token.session().deviceId());
    }

    public int forgetAll() {
        return keys.forgetAll();
    }

    /** Factory reset: every credential and the password go, and so does the remembered key. */
    public void reset(TokenConnection token) {
        byte[] oldId = token.session().deviceId();
        token.session().reset();
        keys.forget(oldId);
    }
}
