package io.totptoken.host.provisioning;

import java.util.List;

/**
 * One QR code of a Google Authenticator export: batch {@code index} (from 0) of {@code size},
 * all batches of one export sharing {@code batchId}. The proto declares the id int32, but its
 * varint carries 64 bits and nothing stops an encoder from using them: all 64 are kept, so ids 1
 * and 2^32 + 1 stay two exports.
 */
public record MigrationBatch(long batchId, int index, int size, List<CredentialSpec> credentials) {
    /** Exports carry a handful of batches; a larger claim means the data is not an export. */
    public static final int MAX_SIZE = 1000;

    public MigrationBatch {
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidCredentialException("export claims " + size + " batches; expected 1 to " + MAX_SIZE);
        }
        if (index < 0 || index >= size) {
            throw new InvalidCredentialException("export batch index " + index + " is outside its " + size + " batches");
        }
        credentials = List.copyOf(credentials);
    }
}
