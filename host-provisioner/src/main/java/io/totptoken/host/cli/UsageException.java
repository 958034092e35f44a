package io.totptoken.host.cli;

/** The command line asks for something impossible; nothing was sent to a token. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
