package io.totptoken.oath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The card's 64-bit by 32-bit division and 32-bit subtraction, in shorts only, against Java's unsigned arithmetic. */
class DeviceClockTest {
    @Test
    void dividesLikeJava() {
        SplittableRandom random = new SplittableRandom(42);
        long[] edges = {0, 1, 29, 30, 59, 20000000000L, Long.MAX_VALUE, -1L, 1L << 63, 0xFFFF_FFFFL};
        long[] periods = {1, 2, 30, 60, 32767, 32768, 65535, 65536, 86400, 0xFFFF_FFFFL, 0x8000_0000L, 0x1_0001L, 7};
        for (int i = 0; i < 200_000; i++) {
            boolean edge = i < edges.length * periods.length;
            long time = edge ? edges[i % edges.length] : random.nextLong();
            long period = edge ? periods[i / edges.length]
                    : switch (random.nextInt(3)) {
                        case 0 -> 1 + random.nextInt(65535);
                        case 1 -> 1 + random.nextLong(0xFFFF_FFFFL);
                        default -> 30;
                    };
            byte[] t = ByteBuffer.allocate(8).putLong(time).array();
            byte[] d = ByteBuffer.allocate(4).putInt((int) period).array();
            byte[] q = new byte[8];
            byte[] r = new byte[4];
            DeviceClock.divide(t, (short) 0, d, (short) 0, q, (short) 0, r, (short) 0);
            assertEquals(Long.divideUnsigned(time, period), ByteBuffer.wrap(q).getLong(), time + " / " + period);
            long rest = ByteBuffer.wrap(r).getInt() & 0xFFFF_FFFFL;
            assertEquals(Long.remainderUnsigned(time, period), rest, time + " % " + period);
            DeviceClock.subtractFrom(d, (short) 0, r, (short) 0);
            assertEquals(period - rest, ByteBuffer.wrap(r).getInt() & 0xFFFF_FFFFL, period + " - " + rest);
        }
    }
}
