package io.totptoken.host.provisioning.imports;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.totptoken.host.provisioning.CredentialSpec;
import org.junit.jupiter.api.Tag;

/**
 * Any bytes may be handed to the Aegis reader: recognising never throws, reading gives entries the
 * token can hold or one {@link ImportException} of one line, and the password is asked at most once.
 * Seeds (a plain vault, and one encrypted under "fuzz" with small scrypt parameters so that each
 * run stays fast) live in src/test/resources/.../AegisVaultFuzzTestInputs/read.
 */
@Tag("slow")
class AegisVaultFuzzTest {
    private static final AegisVault FORMAT = new AegisVault();

    @FuzzTest(maxDuration = "15s")
    void read(byte[] input) {
        FORMAT.recognises(input);
        int[] asked = {0};
        ImportResult result;
        try {
            result = FORMAT.read(input, what -> {
                asked[0]++;
                return "fuzz".toCharArray();
            });
        } catch (ImportException e) {
            assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
            assertTrue(asked[0] <= 1, "asked once");
            return;
        }
        assertTrue(asked[0] <= 1, "asked once");
        for (CredentialSpec c : result.credentials()) {
            assertTrue(c.secret().length > 0 && c.secret().length <= c.algorithm().blockSize(), "a secret the token holds");
            assertTrue(c.digits() >= 6 && c.digits() <= 8);
            assertTrue(c.cardName().length <= 64);
        }
        for (ImportResult.Skipped s : result.skipped()) {
            assertFalse(s.name().isEmpty() || s.reason().contains("\n"));
        }
    }
}
