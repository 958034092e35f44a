package io.totptoken.bench;

import io.totptoken.host.apdu.Apdu;
import io.totptoken.host.apdu.Tlv;
import io.totptoken.host.session.HmacStates;
import io.totptoken.sim.SimulatedToken;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the applet in jCardSim, in the benchmark's process: CALCULATE on each HMAC engine,
 * CALCULATE ALL over 32 credentials, PUT, and the TOKEN INFO floor; each operation is one APDU
 * except CALCULATE ALL (the whole answer, SEND REMAINING included). The storage figures print
 * once, from the setup of the 32-credential token.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar CardBench            # 5 rounds of 2 s after a warm-up
 * java -jar bench/target/benchmarks.jar CardBench -wi 1 -w 1s -i 3 -r 1s   # shorter
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CardBench {
    private static final byte[] SELECT = new Apdu(0xA4, 4, 0, new byte[] {(byte) 0xA0, 0, 0, 5, 0x27, 0x21, 1}).encode();
    private static final byte[] CHALLENGE = ByteBuffer.allocate(8).putLong(56_666_666L).array();
    private static final int SLOT_BYTES = 148;

    /** One TOTP-SHA1 credential on a token whose faster HMAC engines may be turned off. */
    @State(Scope.Thread)
    public static class OneCredential {
        /** 0: precomputed states (SHA-1, SHA-256), native HMAC for SHA-512; 1: native HMAC Signature; 3: MessageDigest HMAC. */
        @Param({"0", "1", "3"})
        public int disabledEngines;
        SimulatedToken token;
        byte[] calculate;

        @Setup
        public void setUp() {
            token = new SimulatedToken(SimulatedToken.Config.defaults().withDisabledEngines(disabledEngines));
            ok(token.transmit(SELECT));
            byte[] key = new byte[20];
            Arrays.fill(key, (byte) 0x31);
            ok(token.transmit(put("bench", 0x21, key, false)));
            calculate = new Apdu(0xA2, 0, 1, Tlv.concat(Tlv.encode(0x71, "bench".getBytes()),
                    Tlv.encode(0x74, CHALLENGE))).encode();
        }
    }

    /** The default token with one TOTP-SHA1 credential, for the floor: a command that computes nothing. */
    @State(Scope.Thread)
    public static class Floor {
        SimulatedToken token;
        byte[] info = new Apdu(0xE1, 0, 0, new byte[0]).encode();

        @Setup
        public void setUp() {
            OneCredential one = new OneCredential();
            one.setUp();
            token = one.token;
        }
    }

    /** The default install (200 slots) holding 32 TOTP-SHA1 credentials with 30-byte names. */
    @State(Scope.Thread)
    public static class ThirtyTwoCredentials {
        SimulatedToken token;
        byte[] all;
        byte[] remaining = {0x00, (byte) 0xA5, 0x00, 0x00};
        byte[] putRaw;
        byte[] putStates;
        byte[] put512;

        @Setup
        public void setUp() {
            token = new SimulatedToken();
            ok(token.transmit(SELECT));
            byte[] key = new byte[20];
            for (int i = 0; i < 32; i++) {
                key[0] = (byte) i;
                ok(token.transmit(put(String.format("Issuer %02d:user%02d@example.com", i, i), 0x21, key, false)));
            }
            all = new Apdu(0xA4, 0, 1, Tlv.encode(0x74, CHALLENGE)).encode();
            putRaw = put("bench-put", 0x21, key, false);
            putStates = put("bench-put", 0x21, key, true);
            put512 = put("bench-put-512", 0x23, new byte[64], false);
            int[] apdus = {0};
            calculateAll(this, apdus);
            int slots = token.config().slots();
            System.out.printf("%n%d APDUs per CALCULATE ALL of 32 credentials (names of 30 bytes)%n", apdus[0]);
            System.out.printf("storage: %d bytes per slot; SHA-1/SHA-256 credential = 1 slot, SHA-512 = 2%n", SLOT_BYTES);
            System.out.printf("  default install: %d slots = %d bytes of credential records%n", slots, slots * SLOT_BYTES);
            System.out.printf("  a 32 KB budget holds %d SHA-1/SHA-256 credentials with 64-byte names%n", 32768 / SLOT_BYTES);
            System.out.println("SHA compressions per TOTP code: 2 with precomputed states (one inner block, one outer), "
                    + "4 with native or digest HMAC");
        }
    }

    /** CALCULATE TOTP-SHA1 (truncated), per engine; APDUs/s. */
    @Benchmark
    public byte[] calculateTotpSha1(OneCredential s) {
        return ok(s.token.transmit(s.calculate));
    }

    /** TOKEN INFO: the jCardSim floor per APDU; APDUs/s. */
    @Benchmark
    public byte[] tokenInfoFloor(Floor s) {
        return ok(s.token.transmit(s.info));
    }

    /** CALCULATE ALL over 32 TOTP-SHA1 credentials; answers/s. */
    @Benchmark
    public byte[] calculateAll32(ThirtyTwoCredentials s) {
        return calculateAll(s, null);
    }

    /** PUT SHA-1 with a raw key, the card deriving the states; APDUs/s. */
    @Benchmark
    public byte[] putRawKey(ThirtyTwoCredentials s) {
        return ok(s.token.transmit(s.putRaw));
    }

    /** PUT SHA-1 with the host's precomputed states (D1); APDUs/s. */
    @Benchmark
    public byte[] putPrecomputedStates(ThirtyTwoCredentials s) {
        return ok(s.token.transmit(s.putStates));
    }

    /** PUT SHA-512 with a raw key; APDUs/s. */
    @Benchmark
    public byte[] putSha512RawKey(ThirtyTwoCredentials s) {
        return ok(s.token.transmit(s.put512));
    }

    private static byte[] calculateAll(ThirtyTwoCredentials s, int[] apdus) {
        byte[] r = s.token.transmit(s.all);
        int n = 1;
        while ((r[r.length - 2] & 0xFF) == 0x61) {
            r = s.token.transmit(s.remaining);
            n++;
        }
        if (apdus != null) {
            apdus[0] = n;
        }
        return ok(r);
    }

    private static byte[] put(String name, int typeAlg, byte[] key, boolean states) {
        byte[] keyTlv = new byte[2 + key.length];
        keyTlv[0] = (byte) typeAlg;
        keyTlv[1] = 6;
        System.arraycopy(key, 0, keyTlv, 2, key.length);
        byte[] data = Tlv.concat(Tlv.encode(0x71, name.getBytes()), Tlv.encode(0x73, keyTlv));
        if (states) {
            data = Tlv.concat(data, Tlv.encode(0xD1, HmacStates.of(typeAlg & 0x0F, key)));
        }
        return new Apdu(1, 0, 0, data).encode();
    }

    private static byte[] ok(byte[] r) {
        if ((r[r.length - 2] & 0xFF) != 0x90) {
            throw new IllegalStateException(String.format("SW %02X%02X", r[r.length - 2], r[r.length - 1]));
        }
        return r;
    }
}
