package io.totptoken.bench;

import io.totptoken.host.apdu.Apdu;
import io.totptoken.host.apdu.Tlv;
import io.totptoken.host.transport.PcscTransport;
import io.totptoken.host.transport.TransportException;
import io.totptoken.sim.SimulatedToken;
import io.totptoken.sim.VpcdBridge;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * CALCULATE through javax.smartcardio, pcscd, the vpcd driver and {@link VpcdBridge}, with the
 * bridge re-arming TCP_QUICKACK (what it always does) and without (what that buys: pcscd waits
 * for our delayed ACK), beside the token alone in this process. Needs pcscd running with
 * vsmartcard-vpcd; takes vpcd's second slot (port 35964, "Virtual PCD 00 01") unless given a port.
 * TOKEN_SKIP_PCSC=1 leaves PC/SC out, as it does for the tests.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.totptoken.bench.PcscBench [seconds-per-round] [vpcd-port]
 * </pre>
 */
public final class PcscBench {
    private static final int ROUNDS = 5;
    /** Without QUICKACK an APDU takes about 40 ms: a fixed count, not timed rounds. */
    private static final int WITHOUT_QUICKACK = 40;
    private static final byte[] SELECT = new Apdu(0xA4, 0x04, 0x00,
            new byte[] {(byte) 0xA0, 0x00, 0x00, 0x05, 0x27, 0x21, 0x01}).encode();
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    private PcscBench() {
    }

    public static void main(String[] args) throws InterruptedException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        int port = args.length > 1 ? Integer.parseInt(args[1]) : VpcdBridge.DEFAULT_PORT + 1;
        String reader = "Virtual PCD 00 0" + (port - VpcdBridge.DEFAULT_PORT);
        System.out.printf(Locale.ROOT, "%d rounds of %.1f s, median (min-max); CALCULATE = TOTP-SHA1, 6 digits%n",
                ROUNDS, seconds);

        SimulatedToken token = new SimulatedToken();
        ok(token.transmit(SELECT));
        ok(token.transmit(put()));
        byte[] calculate = calculate();
        Throughput.report("token alone, in this process", "APDUs/s",
                Throughput.measure(() -> ok(token.transmit(calculate)), seconds, ROUNDS, 64));

        if ("1".equals(System.getenv("TOKEN_SKIP_PCSC"))) {
            System.out.println("  skipped PC/SC: TOKEN_SKIP_PCSC=1");
            return;
        }
        if (!PcscTransport.readers().contains(reader)) {
            System.out.println("  skipped PC/SC: no reader '" + reader + "' (is pcscd running with vsmartcard-vpcd?)");
            return;
        }
        try (PcscTransport busy = PcscTransport.open(reader)) {
            System.out.println("  skipped PC/SC: '" + reader + "' already holds a token");
            return;
        } catch (TransportException e) {
            // empty: ours goes in
        }
        for (boolean quickAck : new boolean[] {true, false}) {
            try (VpcdBridge bridge = new VpcdBridge(token).quickAck(quickAck).start(VpcdBridge.DEFAULT_HOST, port)) {
                if (!bridge.awaitConnected(5, TimeUnit.SECONDS)) {
                    System.out.println("  skipped PC/SC: vpcd did not take the connection on port " + port);
                    return;
                }
                try (PcscTransport t = openWhenPresent(reader)) {
                    if (t == null) {
                        System.out.println("  skipped PC/SC: the token did not appear in '" + reader + "'");
                        return;
                    }
                    ok(t.transmit(SELECT));
                    String what = "javax.smartcardio -> pcscd -> vpcd, QUICKACK " + (quickAck ? "on" : "off");
                    if (quickAck) {
                        Throughput.report(what, "APDUs/s",
                                Throughput.measure(() -> ok(t.transmit(calculate)), seconds, ROUNDS, 1));
                    } else {
                        long start = System.nanoTime();
                        for (int i = 0; i < WITHOUT_QUICKACK; i++) {
                            ok(t.transmit(calculate));
                        }
                        double s = (System.nanoTime() - start) / 1e9;
                        System.out.printf(Locale.ROOT, "  %-48s %,12.0f APDUs/s (%d APDUs, %.1f ms each)%n", what,
                                WITHOUT_QUICKACK / s, WITHOUT_QUICKACK, s * 1e3 / WITHOUT_QUICKACK);
                    }
                }
            }
        }
    }

    /** The token shows up in the reader a moment after the bridge connects. */
    private static PcscTransport openWhenPresent(String reader) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            try {
                return PcscTransport.open(reader);
            } catch (TransportException e) {
                Thread.sleep(100);
            }
        }
        return null;
    }

    private static byte[] put() {
        byte[] key = new byte[2 + KEY.length];
        key[0] = 0x21;
        key[1] = 6;
        System.arraycopy(KEY, 0, key, 2, KEY.length);
        return new Apdu(0x01, 0, 0, Tlv.concat(Tlv.encode(0x71, "bench".getBytes(StandardCharsets.UTF_8)),
                Tlv.encode(0x73, key))).encode();
    }

    private static byte[] calculate() {
        return new Apdu(0xA2, 0, 1, Tlv.concat(Tlv.encode(0x71, "bench".getBytes(StandardCharsets.UTF_8)),
                Tlv.encode(0x74, ByteBuffer.allocate(8).putLong(1).array()))).encode();
    }

    private static byte[] ok(byte[] r) {
        if ((r[r.length - 2] & 0xFF) != 0x90) {
            throw new IllegalStateException(String.format("SW %02X%02X", r[r.length - 2], r[r.length - 1]));
        }
        return r;
    }
}
