package io.totptoken.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.totptoken.conformance.CardClient;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of the state-file loader ({@link SimulatedToken#fromState}). A file
 * can hold anything, and a checksum only proves that someone computed it, so every input gets a
 * valid CRC: either fuzzed bytes after the right magic and format, or a real token's image with
 * fuzzed bytes written over it. The loader must give a working token or a
 * {@link DamagedStateException}; anything else (OutOfMemoryError, NegativeArraySizeException,
 * jCardSim's SystemException) is a finding.
 *
 * <p>Without JAZZER_FUZZ the seeds in StateImageFuzzTestInputs run as a regression test; with
 * JAZZER_FUZZ=1 it fuzzes for maxDuration; `./fuzz.sh MINUTES` fuzzes on, session after session.
 */
@Tag("slow")
class StateImageFuzzTest {
    private static final byte[] IMAGE = image();

    @FuzzTest(maxDuration = "15s")
    void anyImageLoadsOrIsDamaged(FuzzedDataProvider data) {
        byte[] body;
        if (data.consumeBoolean()) {
            body = IMAGE.clone();
            int writes = data.consumeInt(1, 8);
            for (int i = 0; i < writes && data.remainingBytes() > 0; i++) {
                int at = data.consumeInt(0, body.length - 9);
                byte[] patch = data.consumeBytes(data.consumeInt(1, 8));
                System.arraycopy(patch, 0, body, at, Math.min(patch.length, body.length - 8 - at));
            }
            body = java.util.Arrays.copyOf(body, body.length - 8);
        } else {
            byte[] rest = data.consumeRemainingAsBytes();
            body = ByteBuffer.allocate(8 + rest.length).putInt(0x544F5450).putInt(2).put(rest).array();
        }
        SimulatedToken token;
        try {
            token = SimulatedToken.fromState(withCrc(body), () -> 1_700_000_000_000L);
        } catch (DamagedStateException e) {
            return;
        }
        CardClient c = new CardClient(token::transmit);
        assertEquals(0x9000, c.select().sw(), "a token restored from an image answers SELECT");
    }

    /** A real token with a credential in it, as saved. */
    private static byte[] image() {
        SimulatedToken t = new SimulatedToken(SimulatedToken.Config.defaults().withSlots(4), () -> 1_700_000_000_000L);
        CardClient c = new CardClient(t::transmit);
        c.select().ok();
        c.put("fuzz", CardClient.TOTP | 1, 6, new byte[20]).ok();
        return t.saveState();
    }

    static byte[] withCrc(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return ByteBuffer.allocate(body.length + 8).put(body).putLong(crc.getValue()).array();
    }
}
