package io.totptoken.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of the frame decoder, the part of the device that reads whatever
 * arrives on the line. Any bytes, fed in any chunks with gaps: no exception (FrameCodec.decode
 * throws only its own FrameException), and the decoder never invents a frame: every frame it
 * delivers was on the line in exactly its encoded form, valid CRC included. Frames built from
 * fuzzed fields and spoiled in fuzzed ways decode back to themselves or not at all.
 *
 * <p>Without JAZZER_FUZZ the seeds in FrameDecoderFuzzTestInputs run as a regression test.
 */
@Tag("slow")
class FrameDecoderFuzzTest {
    private static final int MAX_PAYLOAD = 600;

    @FuzzTest(maxDuration = "15s")
    void arbitraryBytes(FuzzedDataProvider data) {
        int chunk = data.consumeInt(1, 64);
        boolean gaps = data.consumeBoolean();
        byte[] line = data.consumeRemainingAsBytes();
        FrameDecoder decoder = new FrameDecoder(MAX_PAYLOAD);
        FrameCodecTest.Collector got = new FrameCodecTest.Collector();
        for (int at = 0; at < line.length; at += chunk) {
            decoder.accept(line, at, Math.min(chunk, line.length - at), got);
            if (gaps && (at / chunk) % 3 == 2) {
                decoder.gap(got);
            }
        }
        String hexLine = HexFormat.of().formatHex(line);
        for (Frame f : got.frames) {
            assertTrue(f.payload().length <= MAX_PAYLOAD);
            assertTrue(hexLine.contains(HexFormat.of().formatHex(FrameCodec.encode(f))),
                    "a frame that was not on the line: " + f);
        }
        try {
            Frame f = FrameCodec.decode(line);
            assertEquals(HexFormat.of().formatHex(FrameCodec.encode(f)), hexLine, "decode took more than one frame");
        } catch (FrameException e) {
            // the codec's own error: expected for almost every input
        }
    }

    @FuzzTest(maxDuration = "15s")
    void encodedFramesSurviveNoiseAndOnlyIntactOnesPass(FuzzedDataProvider data) throws FrameException {
        Frame f = new Frame(data.consumeInt(0, 255), data.consumeInt(0, 255), data.consumeBytes(data.consumeInt(0, 300)));
        byte[] wire = FrameCodec.encode(f);
        assertEquals(f, FrameCodec.decode(wire));

        byte[] noise = data.consumeBytes(data.consumeInt(0, 40));
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.writeBytes(noise);
        line.writeBytes(wire);
        FrameCodecTest.Collector clean = FrameCodecTest.feed(line.toByteArray());
        assertFalse(clean.frames.isEmpty());
        assertEquals(f, clean.frames.get(clean.frames.size() - 1), "noise before a frame never hides it");

        byte[] spoiled = wire.clone();
        int fault = data.consumeInt(0, 2);
        int at = data.consumeInt(1, wire.length - 2);
        if (fault == 0) {
            spoiled[at] ^= (byte) (1 << data.consumeInt(0, 7));
        } else if (fault == 1) {
            spoiled = FrameCodecTest.concat(java.util.Arrays.copyOfRange(wire, 0, at),
                    java.util.Arrays.copyOfRange(wire, at + 1, wire.length));
        } else {
            spoiled = FrameCodecTest.concat(java.util.Arrays.copyOfRange(wire, 0, at + 1),
                    java.util.Arrays.copyOfRange(wire, at, wire.length));
        }
        String hex = HexFormat.of().formatHex(spoiled);
        for (Frame g : FrameCodecTest.feed(spoiled).frames) {
            // A payload may carry a whole encoded frame, which a fault can expose; never the spoiled one.
            assertTrue(hex.contains(HexFormat.of().formatHex(FrameCodec.encode(g))), "invented " + g);
            if (g.equals(f)) {
                throw new AssertionError("a spoiled frame passed: fault " + fault + " at " + at);
            }
        }
    }
}
