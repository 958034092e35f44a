package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;

/**
 * Any bytes may come out of a QR code: decoding the protobuf either gives a batch of valid
 * credentials that re-encodes to an equal batch, or throws {@link InvalidCredentialException}.
 * Seeds live in src/test/resources/.../GoogleMigrationFuzzTestInputs/METHOD. In fuzzing mode run
 * one method at a time: {@code -Dtest=GoogleMigrationFuzzTest#decodeUri}.
 */
@Tag("slow")
class GoogleMigrationFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void decodePayload(byte[] payload) {
        MigrationBatch batch;
        try {
            batch = GoogleMigration.decodePayload(payload);
        } catch (InvalidCredentialException e) {
            assertFalse(e.getMessage().contains("\n"), "one-line message");
            return;
        }
        assertTrue(batch.index() >= 0 && batch.index() < batch.size());
        for (CredentialSpec spec : batch.credentials()) {
            OtpauthUriFuzzTest.assertValid(spec);
            assertEquals(30, spec.period());
        }
        assertEquals(batch, GoogleMigration.decodePayload(GoogleMigration.encodePayload(batch)));
        assertEquals(batch, GoogleMigration.decode(GoogleMigration.encode(batch)));
    }

    /** The whole text of a scanned code: scheme, query, percent-escapes, base64, then the protobuf. */
    @FuzzTest(maxDuration = "15s")
    void decodeUri(byte[] input) {
        MigrationBatch batch;
        try {
            batch = GoogleMigration.decode(new String(input, StandardCharsets.UTF_8));
        } catch (InvalidCredentialException e) {
            assertFalse(e.getMessage().contains("\n"), "one-line message");
            return;
        }
        batch.credentials().forEach(OtpauthUriFuzzTest::assertValid);
        assertEquals(batch, GoogleMigration.decode(GoogleMigration.encode(batch)));
    }
}
