package io.totptoken.host.provisioning.imports;

import io.totptoken.host.provisioning.InvalidCredentialException;

/** A file that cannot be imported as it is (wrong password, damaged, tampered, unknown): one line. */
public class ImportException extends InvalidCredentialException {
    private static final long serialVersionUID = 1L;

    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
