package io.totptoken.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.conformance.CardClient;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * State images made by hand, each with a valid checksum, that once got past the checksum into an
 * OutOfMemoryError, a NegativeArraySizeException or jCardSim's SystemException: now each is a
 * {@link DamagedStateException} with its reason. And the other side: an image is a pure function
 * of the token's state, so whoever stores it can tell "unchanged" by comparing bytes.
 */
class DamagedStateTest {
    /** Offsets in a format-2 image: magic, format, parameter count, then 11 longs, then the array count. */
    private static final int PARAM_COUNT = 8;
    private static final int PARAMS = 12;
    private static final int ARRAY_COUNT = PARAMS + 8 * 11;

    private final AtomicLong host = new AtomicLong(1_700_000_000_000L);

    private byte[] image() {
        SimulatedToken t = new SimulatedToken(SimulatedToken.Config.defaults().withSlots(8), host::get);
        CardClient c = new CardClient(t::transmit);
        c.select().ok();
        c.put("alice", CardClient.TOTP | 1, 6, new byte[20]).ok();
        return t.saveState();
    }

    /** The image with an int or long written at offset, and the checksum made right again. */
    private static byte[] patched(byte[] image, int offset, long value, boolean asLong) {
        ByteBuffer b = ByteBuffer.wrap(Arrays.copyOf(image, image.length - 8));
        if (asLong) {
            b.putLong(offset, value);
        } else {
            b.putInt(offset, (int) value);
        }
        return StateImageFuzzTest.withCrc(b.array());
    }

    private static String reason(byte[] image) {
        return assertThrows(DamagedStateException.class, () -> SimulatedToken.fromState(image)).reason();
    }

    @Test
    void absurdParameterCountsAreDamageNotAnAllocation() {
        byte[] image = image();
        assertTrue(reason(patched(image, PARAM_COUNT, Integer.MAX_VALUE, false)).contains("parameters"));
        assertTrue(reason(patched(image, PARAM_COUNT, -1, false)).contains("parameters"));
        assertTrue(reason(patched(image, PARAM_COUNT, 3, false)).contains("parameters"));
    }

    @Test
    void installParametersNoTokenHasAreDamage() {
        byte[] image = image();
        assertTrue(reason(patched(image, PARAMS, 100_000, true)).contains("slots"));
        assertTrue(reason(patched(image, PARAMS, 0, true)).contains("slots"));
        assertTrue(reason(patched(image, PARAMS + 8, -5, true)).contains("tries"));
        assertTrue(reason(patched(image, PARAMS + 8 * 7, Double.doubleToLongBits(Double.NaN), true)).contains("drift"));
        assertTrue(reason(patched(image, PARAMS + 8 * 10, 1_000_000, true)).contains("keyfob"));
    }

    @Test
    void absurdArrayCountsAndTrailingBytesAreDamage() {
        byte[] image = image();
        assertTrue(reason(patched(image, ARRAY_COUNT, Integer.MAX_VALUE, false)).contains("arrays"));
        assertTrue(reason(patched(image, ARRAY_COUNT, -7, false)).contains("arrays"));
        byte[] longer = Arrays.copyOf(Arrays.copyOf(image, image.length - 8), image.length - 8 + 3);
        assertTrue(reason(StateImageFuzzTest.withCrc(longer)).contains("after the last array"));
        byte[] shorter = Arrays.copyOf(image, image.length - 40);
        assertFalse(reason(StateImageFuzzTest.withCrc(shorter)).isEmpty());
    }

    @Test
    void aFlippedByteOrATruncatedImageIsDamage() {
        byte[] image = image();
        byte[] flipped = image.clone();
        flipped[flipped.length / 2] ^= 1;
        assertTrue(reason(flipped).contains("checksum"));
        assertTrue(reason(Arrays.copyOf(image, 8192)).contains("checksum"));
        assertTrue(reason(new byte[3]).contains("too short"));
    }

    @Test
    void anUnchangedTokenSavesTheSameBytesAsTimeGoesOn() {
        byte[] first = image();
        SimulatedToken t = SimulatedToken.fromState(first, host::get);
        assertArrayEquals(first, t.saveState(), "a restored token saves the image it came from");
        host.addAndGet(90_000);
        CardClient c = new CardClient(t::transmit);
        c.select().ok();
        c.send(CardClient.INS_LIST, 0, 0, new byte[0]).ok();
        assertArrayEquals(first, t.saveState(), "time passing and reading changes nothing stored");
        t.clock().set(host.get() + 5_000);
        assertFalse(Arrays.equals(first, t.saveState()), "setting the clock does");
    }
}
