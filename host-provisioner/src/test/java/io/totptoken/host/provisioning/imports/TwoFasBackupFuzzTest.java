package io.totptoken.host.provisioning.imports;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

/**
 * Any bytes may be handed to the 2FAS reader: only {@link ImportException} comes out, in one line
 * that repeats no secret, and what it reads the token can hold. Seeds (a plain and an encrypted
 * backup, password {@value ImportFuzzChecks#PASSWORD}, made by Python) live in
 * src/test/resources/.../TwoFasBackupFuzzTestInputs/read.
 */
@Tag("slow")
class TwoFasBackupFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void read(byte[] input) {
        ImportFuzzChecks.assertSound(new TwoFasBackup(), input);
    }
}
