package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.transport.SealedState;
import io.totptoken.host.transport.SealedState.KeyKind;
import io.totptoken.host.transport.SealedStateException;
import io.totptoken.host.transport.StateCodec;
import io.totptoken.sim.SimulatedToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateKeysTest {
    @TempDir
    Path dir;
    private final List<String> notes = new ArrayList<>();
    private final byte[] image = new SimulatedToken().saveState();

    /** A passphrase given ahead (null: none) and one the prompt answers (null: nobody to ask). */
    private static PasswordSource passphrase(String given, String typed) {
        return new PasswordSource() {
            @Override
            public char[] given() {
                return given == null ? null : given.toCharArray();
            }

            @Override
            public char[] ask(String token) {
                return typed == null ? null : typed.toCharArray();
            }
        };
    }

    private StateKeyFiles keyFiles() {
        return new StateKeyFiles(dir.resolve("data/tokenctl/keys"));
    }

    private StateCodec codec(PasswordSource pass, boolean keepPlain) {
        return new StateProtection(pass, null, keyFiles(), keepPlain, notes::add).codec();
    }

    private Path tokenFile() {
        return dir.resolve("config/tokenctl/token.sim");
    }

    @Test
    void aNewTokenWithoutPassphraseOrKeyringGetsAKeyFileOutsideItsDirectoryAndSaysSoOnce() throws Exception {
        Path file = tokenFile();
        StateCodec c = codec(PasswordSource.NONE, false);
        byte[] first = c.seal(file, image);
        byte[] second = c.seal(file, image);
        SealedState.Header h = SealedState.header(file, first);
        assertEquals(KeyKind.KEY_FILE, h.kind());
        Path key = keyFiles().file(h.idText());
        assertTrue(Files.isRegularFile(key));
        assertFalse(key.startsWith(file.getParent()), key + " must not be in the token's directory");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("file permissions only") && notes.get(0).contains("TOKENCTL_PASSPHRASE"), notes.get(0));
        assertArrayEquals(image, codec(PasswordSource.NONE, false).open(file, second));
        assertEquals(1, notes.size(), "opening says nothing: " + notes);
    }

    @Test
    void aMissingKeyFileIsOneLineNamingIt() throws Exception {
        Path file = tokenFile();
        byte[] stored = codec(PasswordSource.NONE, false).seal(file, image);
        Path key = keyFiles().file(SealedState.header(file, stored).idText());
        Files.delete(key);
        SealedStateException e = assertThrows(SealedStateException.class, () -> codec(PasswordSource.NONE, false).open(file, stored));
        assertEquals(file + ": damaged or wrong key (no key file " + key + ")", e.getMessage());
    }

    @Test
    void aPassphraseTokenNeedsItsPassphraseAlways() {
        Path file = tokenFile();
        byte[] stored = codec(passphrase("correct horse", null), false).seal(file, image);
        assertEquals(KeyKind.PASSPHRASE, SealedState.header(file, stored).kind());
        assertTrue(notes.isEmpty(), notes.toString());
        assertFalse(Files.exists(keyFiles().dir()), "no key file for a passphrase token");
        assertArrayEquals(image, codec(passphrase("correct horse", null), false).open(file, stored));
        assertArrayEquals(image, codec(passphrase(null, "correct horse"), false).open(file, stored), "asked at the prompt");
        SealedStateException none = assertThrows(SealedStateException.class, () -> codec(PasswordSource.NONE, false).open(file, stored));
        assertTrue(none.getMessage().startsWith(file + " is encrypted under a passphrase: set TOKENCTL_PASSPHRASE"), none.getMessage());
        SealedStateException wrong = assertThrows(SealedStateException.class,
                () -> codec(passphrase("battery staple", null), false).open(file, stored));
        assertEquals(file + ": damaged or wrong key", wrong.getMessage());
    }

    @Test
    void aPlainFileOpensAndIsSealedOnItsNextWriteWithANote() {
        Path file = tokenFile();
        StateCodec c = codec(PasswordSource.NONE, false);
        assertArrayEquals(image, c.open(file, image));
        assertTrue(notes.isEmpty());
        byte[] stored = c.seal(file, image);
        assertTrue(SealedState.isSealed(stored));
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith(file + " was stored unencrypted; it is now encrypted"), notes.get(0));
    }

    @Test
    void keepPlainLeavesNewAndPlainTokensPlainButStillOpensSealedOnes() {
        Path file = tokenFile();
        assertArrayEquals(image, codec(PasswordSource.NONE, true).seal(file, image));
        StateCodec plain = codec(PasswordSource.NONE, true);
        plain.open(file, image);
        assertArrayEquals(image, plain.seal(file, image));
        byte[] sealed = codec(PasswordSource.NONE, false).seal(file, image);
        StateCodec again = codec(PasswordSource.NONE, true);
        assertArrayEquals(image, again.open(file, sealed));
        assertTrue(SealedState.isSealed(again.seal(file, image)), "a sealed token stays sealed");
    }

    @Test
    void aPassphraseGivenToAKeyFileTokenMovesItUnderThePassphraseAndRetiresTheKeyFile() {
        Path file = tokenFile();
        byte[] stored = codec(PasswordSource.NONE, false).seal(file, image);
        SealedState.Header before = SealedState.header(file, stored);
        notes.clear();
        StateCodec c = codec(passphrase("correct horse", null), false);
        c.open(file, stored);
        assertTrue(notes.isEmpty(), "nothing is said before the write that does it: " + notes);
        byte[] moved = c.seal(file, image);
        SealedState.Header after = SealedState.header(file, moved);
        assertEquals(KeyKind.PASSPHRASE, after.kind());
        assertArrayEquals(before.id(), after.id());
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(Files.exists(keyFiles().file(before.idText())), "kept until the sealed file is found under the passphrase");
        assertArrayEquals(image, codec(passphrase("correct horse", null), false).open(file, moved));
        assertFalse(Files.exists(keyFiles().file(before.idText())));
        assertThrows(SealedStateException.class, () -> codec(PasswordSource.NONE, false).open(file, moved));
    }

    @Test
    void keyDirectoryFollowsXdgDataHomeThenHome() {
        Path passwd = Path.of("/var/lib/u");
        assertEquals(Path.of("/x/data/tokenctl/keys"), StateKeyFiles.resolve(java.util.Map.of("XDG_DATA_HOME", "/x/data",
                "HOME", "/home/u"), passwd).dir());
        assertEquals(Path.of("/home/u/.local/share/tokenctl/keys"), StateKeyFiles.resolve(java.util.Map.of("XDG_DATA_HOME",
                "relative", "HOME", "/home/u"), passwd).dir());
        assertEquals(Path.of("/var/lib/u/.local/share/tokenctl/keys"), StateKeyFiles.resolve(java.util.Map.of(), passwd).dir());
    }

    @Test
    void aDamagedKeyFileIsRefusedInOneLine() throws Exception {
        Path file = tokenFile();
        byte[] stored = codec(PasswordSource.NONE, false).seal(file, image);
        Path key = keyFiles().file(SealedState.header(file, stored).idText());
        Files.writeString(key, "not base64 at all\n");
        SealedStateException e = assertThrows(SealedStateException.class, () -> codec(PasswordSource.NONE, false).open(file, stored));
        assertEquals(key + ": not a tokenctl key file", e.getMessage());
    }
}
