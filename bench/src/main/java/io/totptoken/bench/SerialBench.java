package io.totptoken.bench;

import io.totptoken.host.apdu.Apdu;
import io.totptoken.host.apdu.Tlv;
import io.totptoken.host.transport.PcscTransport;
import io.totptoken.host.transport.SerialTransport;
import io.totptoken.host.transport.Transport;
import io.totptoken.host.transport.TransportException;
import io.totptoken.serial.PtyPair;
import io.totptoken.sim.SimulatedToken;
import io.totptoken.sim.VpcdBridge;
import io.totptoken.sim.serial.SerialDevice;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The serial link's cost, for the README: APDUs per second and bytes on the wire per APDU over
 * a pty pair, and the time to add a credential (SELECT, PUT, CALCULATE), beside the same
 * figures for the token alone in this process and, when pcscd runs with vpcd, for PC/SC.
 * Figures are medians of several timed rounds after a warm-up; run with nothing else busy.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.totptoken.bench.SerialBench [seconds-per-round] [vpcd-port]
 * </pre>
 *
 * <p>PC/SC: the first vpcd reader with no card in it ("Virtual PCD 00 01" on port 35964, then
 * "Virtual PCD 00 00" on 35963, or the port given) gets a simulated token of the benchmark's
 * own for the run; TOKEN_SKIP_PCSC=1 skips PC/SC, as it skips the tests that need pcscd.
 */
public final class SerialBench {
    private static final int ROUNDS = 5;
    private static final int ADDS = 200;
    private static final byte[] SELECT = new Apdu(0xA4, 0x04, 0x00,
            new byte[] {(byte) 0xA0, 0x00, 0x00, 0x05, 0x27, 0x21, 0x01}).encode();
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    private final double seconds;

    private SerialBench(double seconds) {
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        int vpcdPort = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        new SerialBench(seconds).run(vpcdPort);
    }

    private void run(int vpcdPort) throws Exception {
        System.out.printf(Locale.ROOT, "%d rounds of %.1f s, median (min-max); CALCULATE = TOTP-SHA1, 8 digits%n",
                ROUNDS, seconds);
        SimulatedToken alone = new SimulatedToken();
        System.out.println("\ntoken alone, in this process (no transport)");
        measureAll(() -> new Transport() {
            @Override
            public byte[] transmit(byte[] apdu) {
                return alone.transmit(apdu);
            }

            @Override
            public String description() {
                return "in-process";
            }

            @Override
            public void close() {
            }
        });

        Path dir = Files.createTempDirectory("serial-bench");
        try (PtyPair pair = PtyPair.create(dir)) {
            SerialDevice device = new SerialDevice(new SimulatedToken()).start(pair.a());
            try {
                System.out.println("\nserial link, simulated device on a socat pty pair");
                long start = System.nanoTime();
                SerialTransport.open(pair.b()).close();
                System.out.printf(Locale.ROOT, "  %-44s %9.2f ms%n", "first open and HELLO (loads jSerialComm)",
                        (System.nanoTime() - start) / 1e6);
                double[] opens = new double[20];
                for (int i = 0; i < opens.length; i++) {
                    start = System.nanoTime();
                    SerialTransport.open(pair.b()).close();
                    opens[i] = (System.nanoTime() - start) / 1e6;
                }
                Arrays.sort(opens);
                System.out.printf(Locale.ROOT, "  %-44s %9.2f ms (%.2f-%.2f)%n", "open, HELLO and close", opens[10],
                        opens[0], opens[19]);
                SerialTransport t = SerialTransport.open(pair.b());
                try {
                    measureAll(() -> t);
                    overhead(t);
                } finally {
                    t.close();
                }
            } finally {
                device.stop();
            }
        } finally {
            Files.deleteIfExists(dir);
        }

        System.out.println("\nPC/SC: pcscd and the vpcd driver, the simulated token through VpcdBridge");
        if ("1".equals(System.getenv("TOKEN_SKIP_PCSC"))) {
            System.out.println("  skipped: TOKEN_SKIP_PCSC=1");
            return;
        }
        int[] ports = vpcdPort != 0 ? new int[] {vpcdPort} : new int[] {VpcdBridge.DEFAULT_PORT + 1, VpcdBridge.DEFAULT_PORT};
        for (int port : ports) {
            String reader = "Virtual PCD 00 0" + (port - VpcdBridge.DEFAULT_PORT);
            if (!PcscTransport.readers().contains(reader)) {
                System.out.println("  no reader '" + reader + "' (is pcscd running with vsmartcard-vpcd?)");
                continue;
            }
            try (PcscTransport busy = PcscTransport.open(reader)) {
                System.out.println("  '" + reader + "' already holds a token");
                continue;
            } catch (TransportException e) {
                // empty: ours goes in
            }
            pcsc(port, reader);
            return;
        }
        System.out.println("  skipped: no free vpcd reader");
    }

    private void pcsc(int vpcdPort, String reader) throws InterruptedException {
        System.out.println("  reader '" + reader + "'");
        try (VpcdBridge bridge = new VpcdBridge(new SimulatedToken()).start(VpcdBridge.DEFAULT_HOST, vpcdPort)) {
            if (!bridge.awaitConnected(5, TimeUnit.SECONDS)) {
                System.out.println("  skipped: vpcd did not take the connection on port " + vpcdPort);
                return;
            }
            PcscTransport t = null;
            for (int i = 0; i < 50 && t == null; i++) {
                try {
                    t = PcscTransport.open(reader);
                } catch (TransportException e) {
                    Thread.sleep(100);
                }
            }
            if (t == null) {
                System.out.println("  skipped: the token did not appear in '" + reader + "'");
                return;
            }
            try (PcscTransport pcsc = t) {
                measureAll(() -> pcsc);
            }
        }
    }

    /** APDUs per second for one CALCULATE, and the time to add a credential. */
    private void measureAll(Supplier<Transport> transport) {
        Transport t = transport.get();
        ok(t.transmit(SELECT));
        ok(t.transmit(put("bench")));
        byte[] calculate = calculate("bench");
        Throughput.report("CALCULATE", "APDUs/s", Throughput.measure(() -> ok(t.transmit(calculate)), seconds, ROUNDS, 1));
        double[] add = new double[ADDS];
        for (int i = 0; i < ADDS; i++) {
            byte[] put = put("bench-" + (i % 8));
            byte[] calc = calculate("bench-" + (i % 8));
            long start = System.nanoTime();
            ok(t.transmit(SELECT));
            ok(t.transmit(put));
            ok(t.transmit(calc));
            add[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(add);
        System.out.printf(Locale.ROOT, "  %-44s %9.3f ms (%.3f-%.3f; %d runs)%n", "add a credential: SELECT+PUT+CALCULATE",
                add[ADDS / 2], add[0], add[ADDS - 1], ADDS);
    }

    /** Bytes on the wire, both ways, per APDU and per byte of APDU. */
    private static void overhead(SerialTransport t) {
        for (byte[] apdu : new byte[][] {calculate("bench"), put("bench")}) {
            SerialTransport.Stats before = t.stats();
            int n = 1000;
            long apduBytes = 0;
            for (int i = 0; i < n; i++) {
                apduBytes += apdu.length + ok(t.transmit(apdu)).length;
            }
            SerialTransport.Stats after = t.stats();
            long wire = after.bytesSent() - before.bytesSent() + after.bytesReceived() - before.bytesReceived();
            long frames = after.framesSent() - before.framesSent() + after.framesReceived() - before.framesReceived();
            String what = apdu[1] == 0x01 ? "PUT (20-byte key)" : "CALCULATE";
            System.out.printf(Locale.ROOT, "  %-44s %5.1f APDU bytes, %5.1f wire bytes, %.1f frames per APDU (x%.2f)%n",
                    "wire: " + what, apduBytes / (double) n, wire / (double) n, frames / (double) n,
                    wire / (double) apduBytes);
        }
    }

    private static byte[] put(String name) {
        byte[] key = new byte[2 + KEY.length];
        key[0] = 0x21;
        key[1] = 8;
        System.arraycopy(KEY, 0, key, 2, KEY.length);
        return new Apdu(0x01, 0, 0, Tlv.concat(Tlv.encode(0x71, name.getBytes(StandardCharsets.UTF_8)),
                Tlv.encode(0x73, key))).encode();
    }

    private static byte[] calculate(String name) {
        return new Apdu(0xA2, 0, 1, Tlv.concat(Tlv.encode(0x71, name.getBytes(StandardCharsets.UTF_8)),
                Tlv.encode(0x74, ByteBuffer.allocate(8).putLong(56_666_666L).array()))).encode();
    }

    private static byte[] ok(byte[] r) {
        if ((r[r.length - 2] & 0xFF) != 0x90) {
            throw new IllegalStateException(String.format("SW %02X%02X", r[r.length - 2], r[r.length - 1]));
        }
        return r;
    }
}
