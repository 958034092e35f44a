package io.totptoken.host.provisioning.imports;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

/**
 * Any bytes may be handed to the andOTP reader: only {@link ImportException} comes out, in one
 * line that repeats no secret, and what it reads the token can hold. Seeds (plain JSON and an
 * .aes of 1,000 iterations, password {@value ImportFuzzChecks#PASSWORD}, made by Python) live in
 * src/test/resources/.../AndOtpBackupFuzzTestInputs/read.
 *
 * <p>Inputs whose header asks for more than 20,000 PBKDF2 iterations are only recognised, not
 * read: the count is capped (AndOtpBackupTest checks the cap), and deriving up to ten million
 * iterations per input would leave the fuzzer a few inputs a minute instead of thousands.
 */
@Tag("slow")
class AndOtpBackupFuzzTest {
    private static final int MAX_FUZZED_ITERATIONS = 20_000;

    @FuzzTest(maxDuration = "15s")
    void read(byte[] input) {
        if (input.length >= 4 && (input[0] & 0xFF) != '[' && AppEntry.firstJsonByte(input) != '['
                && java.nio.ByteBuffer.wrap(input).getInt() > MAX_FUZZED_ITERATIONS) {
            new AndOtpBackup().recognises(input);
            return;
        }
        ImportFuzzChecks.assertSound(new AndOtpBackup(), input);
    }
}
