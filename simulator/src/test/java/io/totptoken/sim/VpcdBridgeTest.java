package io.totptoken.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.totptoken.conformance.CardClient;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.TerminalFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bridge against a fake vpcd (always), and against the real stack: pcscd, the vpcd driver and
 * javax.smartcardio (needs pcscd running with vsmartcard-vpcd, as .ci/run starts it; set
 * TOKEN_SKIP_PCSC=1 to skip those tests on a machine without them).
 *
 * <p>The real-stack tests use vpcd's second slot (port 35964, "Virtual PCD 00 01"), so a
 * SimulatorMain serving the first slot for ykman can run at the same time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VpcdBridgeTest {
    static final int SLOT1_PORT = VpcdBridge.DEFAULT_PORT + 1;
    private static final String SLOT1_READER = "Virtual PCD 00 01";
    private static final byte[] SELECT_OATH = {0x00, (byte) 0xA4, 0x04, 0x00, 0x07,
        (byte) 0xA0, 0x00, 0x00, 0x05, 0x27, 0x21, 0x01};
    private static final byte[] RFC6238_SHA1 = "12345678901234567890".getBytes();
    private static final byte[] RFC6238_SHA512 = "1234567890".repeat(7).substring(0, 64).getBytes();

    static {
        // Before javax.smartcardio loads: Debian ships libpcsclite.so.1 only (the JDK looks for
        // libpcsclite.so), and YKOATH continues with SEND REMAINING, not ISO GET RESPONSE.
        if (System.getProperty("sun.security.smartcardio.library") == null) {
            String lib = findPcscLite();
            if (lib != null) {
                System.setProperty("sun.security.smartcardio.library", lib);
            }
        }
        System.setProperty("sun.security.smartcardio.t0GetResponse", "false");
        System.setProperty("sun.security.smartcardio.t1GetResponse", "false");
    }

    // ---- Against a fake vpcd: the protocol, the reconnect, the stop ----

    @Test
    void answersAtrControlCodesAndApdusInVpcdFraming() throws Exception {
        try (ServerSocket vpcd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<byte[]> headers = new CopyOnWriteArrayList<>();
            VpcdBridge bridge = new VpcdBridge(new SimulatedToken()).afterCommand(headers::add)
                    .start("127.0.0.1", vpcd.getLocalPort());
            try (Socket card = vpcd.accept()) {
                DataInputStream in = new DataInputStream(card.getInputStream());
                OutputStream out = card.getOutputStream();
                write(out, new byte[] {0x04});
                assertArrayEquals(VpcdBridge.ATR, read(in));
                write(out, new byte[] {0x01});
                byte[] select = read(in, out, SELECT_OATH);
                assertEquals(0x9000, sw(select));
                assertEquals(0x79, select[0] & 0xFF, "SELECT answers the version first");

                write(out, new byte[] {0x00}); // power off: RAM and selection are gone
                write(out, new byte[] {0x01});
                byte[] list = read(in, out, new byte[] {0x00, (byte) 0xA1, 0x00, 0x00});
                assertNotEquals(0x9000, sw(list), "LIST answered with no applet selected after power off");

                assertEquals(2, bridge.commandCount());
                assertArrayEquals(new byte[] {0x00, (byte) 0xA4, 0x04, 0x00}, headers.get(0));
            } finally {
                bridge.stop();
            }
        }
    }

    @Test
    void connectsWhenVpcdComesUpLaterAndAgainAfterItGoesAway() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        VpcdBridge bridge = new VpcdBridge(new SimulatedToken()).start("127.0.0.1", port);
        try {
            Thread.sleep(300); // a few refused attempts
            try (ServerSocket vpcd = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                vpcd.setSoTimeout(10_000);
                try (Socket first = vpcd.accept()) {
                    assertTrue(bridge.awaitConnected(5, TimeUnit.SECONDS));
                    write(first.getOutputStream(), new byte[] {0x04});
                    assertArrayEquals(VpcdBridge.ATR, read(new DataInputStream(first.getInputStream())));
                }
                try (Socket second = vpcd.accept()) {
                    byte[] select = read(new DataInputStream(second.getInputStream()), second.getOutputStream(),
                            SELECT_OATH);
                    assertEquals(0x9000, sw(select));
                }
            }
        } finally {
            long start = System.nanoTime();
            bridge.stop();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "stop() took too long");
        }
    }

    // ---- Through pcscd and the vpcd driver, as every PC/SC client sees the token ----

    @Test
    void speaksYkoathThroughPcscd() throws Exception {
        withTokenInReader(new SimulatedToken(), channel -> {
            CardClient c = new CardClient(apdu -> transmit(channel, apdu));
            CardClient.Response select = c.select().ok();
            assertEquals(0x79, select.data()[0] & 0xFF);

            c.put("rfc6238-sha1", CardClient.TOTP | CardClient.SHA1, 8, RFC6238_SHA1).ok();
            c.put("rfc6238-sha512", CardClient.TOTP | CardClient.SHA512, 8, RFC6238_SHA512).ok();
            assertEquals("94287082", code(c.calculate("rfc6238-sha1", CardClient.timeStep(59 / 30), true)));
            assertEquals("99943326",
                    code(c.calculate("rfc6238-sha512", CardClient.timeStep(1111111111L / 30), true)));

            // Enough long names that LIST needs 61xx and SEND REMAINING.
            List<String> names = new ArrayList<>(List.of("rfc6238-sha1", "rfc6238-sha512"));
            for (int i = 0; i < 12; i++) {
                String name = String.format("Issuer with a long name:account-%02d@example.com", i);
                c.put(name, CardClient.TOTP | CardClient.SHA256, 6, RFC6238_SHA1).ok();
                names.add(name);
            }
            int before = c.apdus;
            CardClient.Response list = c.send(CardClient.INS_LIST, 0, 0, new byte[0]).ok();
            assertTrue(c.apdus - before > 1, "LIST of " + list.data().length + " bytes did not use SEND REMAINING");
            List<String> listed = new ArrayList<>();
            for (CardClient.Tlv t : CardClient.parse(list.data())) {
                assertEquals(0x72, t.tag());
                listed.add(new String(t.value(), 1, t.value().length - 1));
            }
            assertEquals(names.stream().sorted().toList(), listed.stream().sorted().toList());
        });
    }

    /** Answers through pcscd with QUICKACK re-armed and without (the rates are PcscBench's, in the bench module). */
    @Test
    void answersCalculateThroughPcscdWithAndWithoutQuickAck() throws Exception {
        SimulatedToken token = new SimulatedToken();
        CardClient direct = new CardClient(token::transmit);
        direct.select().ok();
        direct.put("bench", CardClient.TOTP | CardClient.SHA1, 6, RFC6238_SHA1).ok();
        byte[] calculate = CardClient.apdu(0, CardClient.INS_CALCULATE, 0, 1, CardClient.concat(
                CardClient.tlv(0x71, "bench".getBytes()), CardClient.tlv(0x74, CardClient.timeStep(1))));
        assertEquals(0x9000, sw(token.transmit(calculate)));
        for (boolean quickAck : new boolean[] {true, false}) {
            withTokenInReader(token, quickAck, channel -> {
                CardClient c = new CardClient(apdu -> transmit(channel, apdu));
                c.select().ok();
                for (int i = 0; i < 3; i++) {
                    assertEquals(0x9000, c.raw(calculate).sw());
                }
            });
        }
    }

    private interface ChannelTest {
        void run(CardChannel channel) throws Exception;
    }

    private static void withTokenInReader(SimulatedToken token, ChannelTest test) throws Exception {
        withTokenInReader(token, true, test);
    }

    private static void withTokenInReader(SimulatedToken token, boolean quickAck, ChannelTest test) throws Exception {
        CardTerminal reader = slot1Reader();
        if (reader.isCardPresent()) {
            fail("a card is already in \"" + SLOT1_READER + "\": another simulator is serving vpcd port "
                    + SLOT1_PORT + "; stop it and run the tests again");
        }
        VpcdBridge bridge = new VpcdBridge(token);
        bridge.quickAck = quickAck;
        bridge.start(VpcdBridge.DEFAULT_HOST, SLOT1_PORT);
        try {
            assertTrue(reader.waitForCardPresent(15_000), "the token did not appear in \"" + SLOT1_READER
                    + "\" within 15 s: is pcscd's vpcd driver listening on port " + SLOT1_PORT + "?");
            Card card = reader.connect("*");
            try {
                test.run(card.getBasicChannel());
            } finally {
                card.disconnect(false);
            }
        } finally {
            bridge.stop();
            assertTrue(reader.waitForCardAbsent(15_000), "the token stayed in the reader after the bridge stopped");
        }
    }

    static CardTerminal slot1Reader() {
        Assumptions.assumeFalse("1".equals(System.getenv("TOKEN_SKIP_PCSC")),
                "TOKEN_SKIP_PCSC=1: the tests through pcscd and vpcd are skipped");
        String advice = " (apt-get install pcscd vsmartcard-vpcd, start pcscd as .ci/run does,"
                + " or set TOKEN_SKIP_PCSC=1 to skip these tests)";
        if (System.getProperty("sun.security.smartcardio.library") == null) {
            fail("libpcsclite.so.1 not found: install libpcsclite1" + advice);
        }
        List<CardTerminal> readers;
        try {
            readers = TerminalFactory.getDefault().terminals().list();
        } catch (CardException e) {
            fail("PC/SC is not available, is pcscd running? (" + rootMessage(e) + ")" + advice);
            return null;
        }
        for (CardTerminal r : readers) {
            if (r.getName().equals(SLOT1_READER)) {
                return r;
            }
        }
        if (readers.isEmpty()) {
            fail("PC/SC lists no reader at all: pcscd is not running, or runs without the vpcd driver" + advice);
        }
        fail("pcscd runs but has no reader \"" + SLOT1_READER + "\" (readers: "
                + readers.stream().map(CardTerminal::getName).toList() + "): is vsmartcard-vpcd installed,"
                + " and was pcscd started after it?" + advice);
        return null;
    }

    private static byte[] transmit(CardChannel channel, byte[] apdu) {
        try {
            return channel.transmit(new CommandAPDU(apdu)).getBytes();
        } catch (CardException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String code(CardClient.Response r) {
        List<CardClient.Tlv> tlvs = CardClient.parse(r.ok().data());
        assertEquals(0x76, tlvs.get(0).tag());
        return CardClient.code(tlvs.get(0).value());
    }

    static String findPcscLite() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : new String[] {"/usr/lib", "/lib", "/usr/lib64", "/usr/local/lib"}) {
            candidates.add(Path.of(dir, "libpcsclite.so.1"));
            try (var subdirs = Files.list(Path.of(dir))) {
                subdirs.filter(p -> p.getFileName().toString().endsWith("-linux-gnu"))
                        .forEach(p -> candidates.add(p.resolve("libpcsclite.so.1")));
            } catch (IOException ignored) {
                // no such directory here
            }
        }
        return candidates.stream().filter(Files::isReadable).map(Path::toString).findFirst().orElse(null);
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage();
    }

    // ---- vpcd framing, the fake reader's side ----

    private static void write(OutputStream out, byte[] message) throws IOException {
        byte[] frame = new byte[2 + message.length];
        frame[0] = (byte) (message.length >> 8);
        frame[1] = (byte) message.length;
        System.arraycopy(message, 0, frame, 2, message.length);
        out.write(frame);
        out.flush();
    }

    private static byte[] read(DataInputStream in) throws IOException {
        return in.readNBytes(in.readUnsignedShort());
    }

    private static byte[] read(DataInputStream in, OutputStream out, byte[] apdu) throws IOException {
        write(out, apdu);
        return read(in);
    }

    private static int sw(byte[] r) {
        assertFalse(r.length < 2, "response shorter than a status word");
        return ((r[r.length - 2] & 0xFF) << 8) | (r[r.length - 1] & 0xFF);
    }
}
