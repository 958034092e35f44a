package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.session.CardCredential;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.simulated.VirtualReader;
import io.totptoken.host.transport.TransportException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tokenctl sim serve}: the simulated token answers through the vpcd protocol (here a test
 * socket plays vpcd), its file is rewritten after each changing command, and stays locked meanwhile.
 */
class VirtualReaderTest {
    @TempDir
    Path dir;

    @Tag("slow")
    @Test
    void servesTheTokenOverVpcdAndSavesWhatChanges() throws Exception {
        TokenTarget target = TokenTarget.simulated(dir.resolve("served.sim"));
        try (ServerSocket vpcd = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             VirtualReader reader = VirtualReader.open(target).start("localhost", vpcd.getLocalPort());
             Socket card = vpcd.accept()) {
            assertTrue(reader.awaitConnected(10_000));
            // While served, the token file is locked against another tokenctl.
            assertThrows(TransportException.class, () -> TokenConnection.open(target, null));
            OathSession session = OathSession.open(FakeVpcd.framed(card));
            session.put("Served:alice".getBytes(StandardCharsets.UTF_8), CardCredential.TOTP, 1, 8,
                    "12345678901234567890".getBytes(StandardCharsets.US_ASCII), false, 0, false);
            assertEquals("94287082", session.calculateAll(59 / 30).get(0).code().value());
            assertTrue(reader.commandCount() >= 3);
        }
        try (TokenConnection again = TokenConnection.open(target, null)) {
            assertEquals(List.of("Served:alice"), new Accounts(again).list().stream().map(Account::name).toList());
        }
    }

    @Test
    void onlyASimulatedTokenCanBeServed() {
        assertThrows(TokenOperationException.class, () -> VirtualReader.open(TokenTarget.reader("Yubico")));
    }
}
