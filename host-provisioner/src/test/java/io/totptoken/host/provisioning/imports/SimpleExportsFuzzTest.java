package io.totptoken.host.provisioning.imports;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.totptoken.host.provisioning.CardName;
import io.totptoken.host.provisioning.CredentialSpec;
import org.junit.jupiter.api.Tag;

/**
 * Any bytes may be handed to the simple formats' readers: recognising never throws, reading ends
 * in an {@link ImportResult} of valid credentials (each within its hash block) or one
 * {@link ImportException} line, never another exception, and never asks for a password.
 * Seeds live in src/test/resources/.../SimpleExportsFuzzTestInputs/&lt;method&gt;.
 */
@Tag("slow")
class SimpleExportsFuzzTest {
    private static final ImportPassword NO_PASSWORD = what -> {
        throw new AssertionError("a plain format asked for a password");
    };

    @FuzzTest(maxDuration = "15s")
    void freeOtpPlus(byte[] input) {
        check(new FreeOtpPlusBackup(), input);
    }

    @FuzzTest(maxDuration = "15s")
    void bitwardenJson(byte[] input) {
        check(new BitwardenJson(), input);
    }

    @FuzzTest(maxDuration = "15s")
    void bitwardenCsv(byte[] input) {
        check(new BitwardenCsv(), input);
    }

    @FuzzTest(maxDuration = "15s")
    void otpauthLines(byte[] input) {
        check(new OtpauthLines(), input);
    }

    private static void check(ExportFormat format, byte[] input) {
        format.recognises(input);
        Exports.detect(input);
        ImportResult result;
        try {
            result = format.read(input, NO_PASSWORD);
        } catch (ImportException e) {
            assertFalse(e.getMessage().isBlank());
            assertFalse(e.getMessage().contains("\n"), "one-line message");
            return;
        }
        for (CredentialSpec spec : result.credentials()) {
            assertTrue(spec.digits() >= 6 && spec.digits() <= 8);
            assertTrue(spec.secret().length > 0);
            assertTrue(spec.cardName().length <= CardName.MAX_LENGTH);
        }
        for (ImportResult.Skipped s : result.skipped()) {
            assertFalse(s.reason().contains("\n"), "one-line reason");
        }
    }
}
