package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.session.ApduException;
import io.totptoken.host.session.CardCredential;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.session.WrongPasswordException;
import io.totptoken.serial.PtyPair;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A served simulated token ({@code tokenctl sim serve}) whose state file cannot be written (a
 * full tmpfs, or a read-only directory) never answers success for a change that is not on
 * disk: the command is answered 6581, the host says so in a sentence, the token in memory goes
 * back to what the file holds, the server logs one line and serves on.
 */
class UnsavableChangeTest {
    static final byte[] SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;
    private UnwritableDirectory dir;
    /** Warnings of the simulator (the token, the bridge, the device). */
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger("io.totptoken.sim");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                logged.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void unwritableStateDirectory() throws Exception {
        dir = UnwritableDirectory.create(tmp.resolve("state"));
        log.addHandler(capture);
    }

    @AfterEach
    void cleanUp() throws Exception {
        log.removeHandler(capture);
        if (dir != null) {
            dir.close();
        }
    }

    @Test
    void aChangeTheSerialDeviceCannotSaveIsAnsweredMemoryFailureAndUndone() throws Exception {
        TokenTarget target = TokenTarget.simulated(dir.path().resolve("token.sim"));
        try (PtyPair pair = PtyPair.create(tmp.resolve("dev"), tmp.resolve("host"));
             VirtualSerialDevice device = VirtualSerialDevice.open(target)) {
            Thread serving = new Thread(() -> device.serve(pair.a()), "serve");
            serving.setDaemon(true);
            serving.start();
            try (TokenConnection host = TokenConnection.open(new TokenTarget.Serial(pair.b()), null)) {
                refusedAndUndone(host.session());
                // The keyfob's own button: its code marks the device clock's last code shown.
                dir.fill();
                assertEquals("memory failure", device.press(false));
                dir.free();
                assertTrue(device.press(false).startsWith("Kept  alice  "), "the keyfob works again");
            }
        }
        onDisk(target, List.of("Kept:alice", "Kept:carol"));
    }

    @Test
    void aChangeTheVirtualReaderCannotSaveIsAnsweredMemoryFailureAndUndone() throws Exception {
        TokenTarget target = TokenTarget.simulated(dir.path().resolve("token.sim"));
        try (ServerSocket vpcd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             VirtualReader reader = VirtualReader.open(target).start("localhost", vpcd.getLocalPort());
             Socket card = vpcd.accept()) {
            assertTrue(reader.awaitConnected(10_000));
            refusedAndUndone(OathSession.open(FakeVpcd.framed(card)));
        }
        onDisk(target, List.of("Kept:alice", "Kept:carol"));
    }

    @Test
    void aPasswordTryThatCannotBeSavedStaysSpent() throws Exception {
        TokenTarget target = TokenTarget.simulated(dir.path().resolve("token.sim"));
        int before;
        try (ServerSocket vpcd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             VirtualReader reader = VirtualReader.open(target).start("localhost", vpcd.getLocalPort());
             Socket card = vpcd.accept()) {
            assertTrue(reader.awaitConnected(10_000));
            var link = FakeVpcd.framed(card);
            OathSession.open(link).setPassword("right".toCharArray());
            OathSession session = OathSession.open(link);
            before = session.passwordTriesLeft();
            dir.fill();
            ApduException refused = assertThrows(ApduException.class, () -> session.unlock("wrong".toCharArray()));
            assertEquals(0x6581, refused.sw());
            // Undoing it would make every guess free while the disk is full.
            assertEquals(before - 1, session.passwordTriesLeft());
            dir.free();
            assertThrows(WrongPasswordException.class, () -> OathSession.open(link).unlock("wrong".toCharArray()));
        }
        try (TokenConnection again = TokenConnection.open(target, null)) {
            assertEquals(before - 2, again.session().passwordTriesLeft());
        }
    }

    /** One account stored, one refused while the directory is full, one stored once it is not. */
    private void refusedAndUndone(OathSession session) throws Exception {
        put(session, "Kept:alice");
        dir.fill();
        ApduException refused = assertThrows(ApduException.class, () -> put(session, "Lost:bob"));
        assertEquals(0x6581, refused.sw(), "ISO 7816-4 memory failure");
        assertEquals("the token could not store the change (memory failure)", refused.getMessage());
        // The token serves on, holding what its file holds.
        assertEquals(List.of("Kept:alice"), names(session));
        assertEquals(1, logged.size(), logged.toString());
        LogRecord line = logged.get(0);
        assertNull(line.getThrown(), "no stack trace");
        String text = java.text.MessageFormat.format(line.getMessage(), line.getParameters());
        assertFalse(text.contains("\n"), text);
        assertTrue(text.contains("cannot save the token state"), text);
        assertFalse(text.contains(new String(SECRET, StandardCharsets.US_ASCII)), text);
        dir.free();
        put(session, "Kept:carol");
        assertEquals(List.of("Kept:alice", "Kept:carol"), names(session));
    }

    private static void onDisk(TokenTarget target, List<String> expected) {
        try (TokenConnection again = TokenConnection.open(target, null)) {
            assertEquals(expected, names(again.session()));
        }
    }

    private static void put(OathSession session, String name) {
        session.put(name.getBytes(StandardCharsets.UTF_8), CardCredential.TOTP, 1, 6, SECRET.clone(), false, 0, false);
    }

    private static List<String> names(OathSession session) {
        return session.list().stream().map(c -> new String(c.name(), StandardCharsets.UTF_8)).sorted().toList();
    }
}
