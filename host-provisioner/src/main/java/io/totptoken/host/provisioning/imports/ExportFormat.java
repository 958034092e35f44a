package io.totptoken.host.provisioning.imports;

/**
 * An authenticator app's export or backup file format, recognised by its content, never by the
 * file's name. Implementations are stateless; {@link Exports} knows them all.
 */
public interface ExportFormat {
    /** The format as a person knows it, for messages: "Aegis vault", "2FAS backup". */
    String name();

    /**
     * Whether these bytes are a file of this format. Cheap and without side effects: looks at the
     * structure only (a JSON object with the format's own keys, a CSV header), decrypts nothing,
     * and never throws.
     */
    boolean recognises(byte[] content);

    /**
     * Every entry of the file. An encrypted file asks {@code password} once (and not at all when
     * it is not encrypted).
     *
     * @throws ImportException one line a person can act on: a wrong password, a damaged or
     *         truncated file, a tampered ciphertext; never the secret, never a stack trace
     */
    ImportResult read(byte[] content, ImportPassword password);
}
