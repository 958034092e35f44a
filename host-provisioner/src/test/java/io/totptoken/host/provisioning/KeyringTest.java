package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.transport.SealedState;
import io.totptoken.host.transport.SealedStateException;
import io.totptoken.sim.SimulatedToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Secret Service key source against a real gnome-keyring-daemon on a private D-Bus session. */
class KeyringTest {
    @TempDir
    Path dir;

    @Test
    void keysGoToTheSecretServiceOnStandardInputAndComeBack() throws Exception {
        try (DesktopKeyring desktop = DesktopKeyring.start(dir.resolve("desktop"))) {
            Keyring ring = desktop.keyring();
            assertNotNull(ring, "a D-Bus session and secret-tool make a keyring");
            byte[] key = new byte[32];
            new java.security.SecureRandom().nextBytes(key);
            assertTrue(ring.store("00112233445566778899aabbccddeeff", key));
            assertArrayEquals(key, ring.lookup("00112233445566778899aabbccddeeff"));
            assertNull(ring.lookup("ffeeddccbbaa99887766554433221100"), "no key under another ID");
        }
    }

    @Test
    void aNewTokenKeepsItsKeyInTheKeyringAndNeedsTheKeyringAfterwards() throws Exception {
        Path file = dir.resolve("config/token.sim");
        byte[] image = new SimulatedToken().saveState();
        StateKeyFiles keyFiles = new StateKeyFiles(dir.resolve("keys"));
        List<String> notes = new ArrayList<>();
        try (DesktopKeyring desktop = DesktopKeyring.start(dir.resolve("desktop"))) {
            byte[] stored = new StateProtection(PasswordSource.NONE, desktop.keyring(), keyFiles, false, notes::add).codec()
                    .seal(file, image);
            assertEquals(SealedState.KeyKind.KEYRING, SealedState.header(file, stored).kind());
            assertFalse(Files.exists(keyFiles.dir()), "no key file when the keyring took the key");
            assertTrue(notes.isEmpty(), notes.toString());
            assertArrayEquals(image, new StateProtection(PasswordSource.NONE, desktop.keyring(), keyFiles, false, notes::add)
                    .codec().open(file, stored));
            SealedStateException gone = assertThrows(SealedStateException.class,
                    () -> new StateProtection(PasswordSource.NONE, null, keyFiles, false, notes::add).codec().open(file, stored));
            assertTrue(gone.getMessage().startsWith(file + ": damaged or wrong key (its header puts the key in the desktop keyring"),
                    gone.getMessage());
        }
    }

    @Test
    void noDbusSessionMeansNoKeyring() {
        assertNull(Keyring.system(Map.of("PATH", "/usr/bin:/bin"), "Linux"));
    }

    @Test
    void aKeyringThatHangsIsGivenUpAndTheKeyGoesToAFile() throws Exception {
        // Fault injection a real keyring cannot be made to do on demand: a secret-tool that never answers.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tool = bin.resolve("secret-tool");
        Files.writeString(tool, "#!/bin/sh\nexec sleep 30\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + dir.resolve("nobody-listens"));
        Keyring ring = Keyring.system(env, "Linux");
        assertNotNull(ring);
        Path file = dir.resolve("config/token.sim");
        StateKeyFiles keyFiles = new StateKeyFiles(dir.resolve("keys"));
        List<String> notes = new ArrayList<>();
        byte[] stored = new StateProtection(PasswordSource.NONE, ring, keyFiles, false, notes::add).codec()
                .seal(file, new SimulatedToken().saveState());
        assertEquals(SealedState.KeyKind.KEY_FILE, SealedState.header(file, stored).kind());
        assertEquals(1, notes.size(), notes.toString());
    }
}
