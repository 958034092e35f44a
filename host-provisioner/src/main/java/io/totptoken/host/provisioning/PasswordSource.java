package io.totptoken.host.provisioning;

/** Where a token's password comes from; the caller wipes every array it gets. */
public interface PasswordSource {
    /** A password given ahead (a file, an environment variable), or null. */
    char[] given();

    /** Asks the user for the token's password, or returns null when nobody can be asked. */
    char[] ask(String token);

    /** No password anywhere. */
    PasswordSource NONE = new PasswordSource() {
        @Override
        public char[] given() {
            return null;
        }

        @Override
        public char[] ask(String token) {
            return null;
        }
    };
}
