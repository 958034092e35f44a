package io.totptoken.host.provisioning;

/** Turns a non-secret token from user input into something safe to put inside a one-line error message. */
final class UserText {
    private static final int MAX_ECHO = 24;
    private static final int MAX_VALUE_ECHO = 10;

    private UserText() {
    }

    /** Quotes {@code text}, cut to a short length, control characters replaced; never pass a secret here. */
    static String quote(String text) {
        String cut = text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "..." : text;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    /**
     * Quotes a short parameter value ("MD5", "six"); a longer one is only described by its length.
     * In a mangled URI (a missing '&' or '?') a value can run on into the secret.
     */
    static String quoteValue(String value) {
        return value.length() <= MAX_VALUE_ECHO ? quote(value) : "a value of " + value.length() + " characters";
    }
}
