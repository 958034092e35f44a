package io.totptoken.host.bench;

import io.totptoken.host.apdu.Apdu;
import io.totptoken.host.apdu.Tlv;
import io.totptoken.host.session.HmacStates;
import io.totptoken.sim.SimulatedToken;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;

/**
 * Throughput of the applet in jCardSim, in this process: CALCULATE, CALCULATE ALL over 32
 * credentials, PUT; plus storage per credential. Each figure is the median of several timed
 * rounds after a warm-up; run with nothing else busy.
 *
 * <p>{@code java -cp host-provisioner/target/tokenctl.jar io.totptoken.host.bench.CardBench [seconds-per-round]}
 */
public final class CardBench {
    private static final int ROUNDS = 5;
    private final double seconds;

    private CardBench(double seconds) {
        this.seconds = seconds;
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        new CardBench(seconds).run();
    }

    private void run() {
        System.out.printf(Locale.ROOT, "jCardSim in-process, %d rounds of %.1f s, median (min-max)%n", ROUNDS, seconds);
        for (int disabled : new int[] {0, 1, 3}) {
            String engine = disabled == 0 ? "precomputed states (SHA-1, SHA-256); native HMAC (SHA-512, jCardSim)"
                    : disabled == 1 ? "native HMAC Signature" : "MessageDigest HMAC";
            System.out.println("\nengine: " + engine);
            SimulatedToken token = new SimulatedToken(SimulatedToken.Config.defaults().withDisabledEngines(disabled));
            select(token);
            byte[] key = new byte[20];
            Arrays.fill(key, (byte) 0x31);
            ok(token.transmit(put("bench", 0x21, key, false)));
            byte[] calculate = new Apdu(0xA2, 0, 1, Tlv.concat(Tlv.encode(0x71, "bench".getBytes()),
                    Tlv.encode(0x74, ByteBuffer.allocate(8).putLong(56_666_666L).array()))).encode();
            Throughput.report("CALCULATE TOTP-SHA1 (truncated)", "APDUs/s", 
                Throughput.measure(() -> ok(token.transmit(calculate)), seconds, ROUNDS, 64));
            if (disabled == 0) {
                byte[] info = new Apdu(0xE1, 0, 0, new byte[0]).encode();
                Throughput.report("TOKEN INFO (jCardSim floor per APDU)", "APDUs/s", 
                Throughput.measure(() -> ok(token.transmit(info)), seconds, ROUNDS, 64));
            }
        }
        System.out.println("\ndefault install (200 slots), 32 TOTP-SHA1 credentials");
        SimulatedToken token = new SimulatedToken();
        select(token);
        byte[] key = new byte[20];
        for (int i = 0; i < 32; i++) {
            key[0] = (byte) i;
            ok(token.transmit(put(String.format("Issuer %02d:user%02d@example.com", i, i), 0x21, key, false)));
        }
        byte[] all = new Apdu(0xA4, 0, 1, Tlv.encode(0x74, ByteBuffer.allocate(8).putLong(56_666_666L).array())).encode();
        byte[] remaining = {0x00, (byte) 0xA5, 0x00, 0x00};
        int[] apdus = {0};
        Throughput.report("CALCULATE ALL, 32 TOTP-SHA1 credentials", "answers/s", Throughput.measure(() -> {
            byte[] r = token.transmit(all);
            int n = 1;
            while ((r[r.length - 2] & 0xFF) == 0x61) {
                r = token.transmit(remaining);
                n++;
            }
            ok(r);
            apdus[0] = n;
        }, seconds, ROUNDS, 1));
        System.out.printf("  %d APDUs per CALCULATE ALL (names of 30 bytes)%n", apdus[0]);

        byte[] putRaw = put("bench-put", 0x21, key, false);
        Throughput.report("PUT SHA-1, raw key (card derives the states)", "APDUs/s", 
                Throughput.measure(() -> ok(token.transmit(putRaw)), seconds, ROUNDS, 64));
        byte[] putStates = put("bench-put", 0x21, key, true);
        Throughput.report("PUT SHA-1, host-precomputed states", "APDUs/s", 
                Throughput.measure(() -> ok(token.transmit(putStates)), seconds, ROUNDS, 64));
        byte[] key64 = new byte[64];
        byte[] put512 = put("bench-put-512", 0x23, key64, false);
        Throughput.report("PUT SHA-512, raw key", "APDUs/s", 
                Throughput.measure(() -> ok(token.transmit(put512)), seconds, ROUNDS, 64));

        int slots = token.config().slots();
        System.out.printf("%nstorage: %d bytes per slot; SHA-1/SHA-256 credential = 1 slot, SHA-512 = 2%n", 148);
        System.out.printf("  default install: %d slots = %d bytes of credential records%n", slots, slots * 148);
        System.out.printf("  a 32 KB budget holds %d SHA-1/SHA-256 credentials with 64-byte names%n", 32768 / 148);
        System.out.println("SHA compressions per TOTP code: 2 with precomputed states (one inner block, one outer), "
                + "4 with native or digest HMAC");
    }

    private static void select(SimulatedToken token) {
        ok(token.transmit(new Apdu(0xA4, 4, 0, new byte[] {(byte) 0xA0, 0, 0, 5, 0x27, 0x21, 1}).encode()));
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

    private static void ok(byte[] r) {
        if ((r[r.length - 2] & 0xFF) != 0x90) {
            throw new IllegalStateException(String.format("SW %02X%02X", r[r.length - 2], r[r.length - 1]));
        }
    }

}
