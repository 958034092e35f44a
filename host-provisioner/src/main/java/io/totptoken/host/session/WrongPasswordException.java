package io.totptoken.host.session;

/**
 * VALIDATE refused the password (6982). Our token spends a try on each wrong password and locks
 * at zero (TOKEN INFO reports the tries left, tag 0x85), so the message says how many are left
 * and, near the end, what locking means: a token without that report (a YubiKey) gets a plain
 * "wrong password".
 */
public final class WrongPasswordException extends ApduException {
    private static final long serialVersionUID = 1L;
    /** At or below this many tries left, the message says plainly what happens next. */
    static final int WARN_AT = 2;
    /** What a locked token means for its user. */
    private static final String RECOVERY = "only tokenctl reset recovers it, and reset deletes every account";
    /** The token answers 6983: locked by earlier wrong passwords. */
    static final String LOCKED_OUT = "the token is locked after too many wrong passwords; " + RECOVERY;

    private final int triesLeft;

    /** @param triesLeft what the token reports after this try, or -1 when it does not report it */
    WrongPasswordException(int sw, int triesLeft) {
        super(sw, sentence(triesLeft));
        this.triesLeft = triesLeft;
    }

    /** Tries left before the token locks, or -1 when the token does not say. */
    public int triesLeft() {
        return triesLeft;
    }

    static String sentence(int triesLeft) {
        if (triesLeft < 0) {
            return "wrong password";
        }
        if (triesLeft == 0) {
            return "wrong password, and that was the last try: the token is now locked; " + RECOVERY;
        }
        if (triesLeft > WARN_AT) {
            return "wrong password: " + triesLeft + " tries left before the token locks";
        }
        String more = triesLeft == 1 ? "one more wrong password locks the token"
                : "after " + triesLeft + " more wrong passwords the token locks";
        return "wrong password: only " + triesLeft + (triesLeft == 1 ? " try" : " tries") + " left; " + more
                + ", and then " + RECOVERY;
    }
}
