package io.totptoken.oath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The card's 64-bit by 16-bit division, in shorts only, against Java's unsigned division. */
class DeviceClockTest {
    @Test
    void dividesLikeJava() {
        SplittableRandom random = new SplittableRandom(42);
        long[] edges = {0, 1, 29, 30, 59, 20000000000L, Long.MAX_VALUE, -1L, 1L << 63, 0xFFFF_FFFFL};
        int[] periods = {1, 2, 30, 60, 32767, 32768, 65535, 65534, 3600, 7};
        for (int i = 0; i < 100_000; i++) {
            long time = i < 100 ? edges[i % edges.length] : random.nextLong();
            int period = i < 100 ? periods[i / 10] : (random.nextBoolean() ? 1 + random.nextInt(65535) : 30);
            byte[] t = ByteBuffer.allocate(8).putLong(time).array();
            byte[] q = new byte[8];
            short rest = DeviceClock.divide(t, (short) 0, (short) period, q, (short) 0);
            assertEquals(Long.divideUnsigned(time, period), ByteBuffer.wrap(q).getLong(), time + " / " + period);
            assertEquals(Long.remainderUnsigned(time, period), rest & 0xFFFF, time + " % " + period);
        }
    }
}
