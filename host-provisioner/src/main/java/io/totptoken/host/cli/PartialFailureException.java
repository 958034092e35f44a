package io.totptoken.host.cli;

/** Some of several tokens failed after others were written; each failure was reported already. */
final class PartialFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PartialFailureException(String message) {
        super(message);
    }
}
