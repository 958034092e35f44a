package io.totptoken.host.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.transport.SealedState.Header;
import io.totptoken.host.transport.SealedState.KeyKind;
import io.totptoken.sim.SimulatedToken;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SealedStateTest {
    private static final Path FILE = Path.of("/home/u/.config/tokenctl/token.sim");
    private final SecureRandom random = new SecureRandom();
    private final byte[] key = bytes(32, 7);
    private final byte[] image = new SimulatedToken().saveState();

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 31);
        }
        return b;
    }

    private static Header keyFile() {
        return new Header(KeyKind.KEY_FILE, bytes(16, 1), null);
    }

    private static Header passphrase() {
        return new Header(KeyKind.PASSPHRASE, bytes(16, 1), new SealedState.Scrypt(15, 8, 1, bytes(16, 9)));
    }

    @Test
    void opensWhatItSealedUnderEitherKindOfHeader() {
        for (Header h : new Header[] {keyFile(), passphrase()}) {
            byte[] stored = SealedState.seal(h, key, image, random);
            assertTrue(SealedState.isSealed(stored));
            assertArrayEquals(image, SealedState.open(FILE, stored, key));
            Header back = SealedState.header(FILE, stored);
            assertEquals(h.kind(), back.kind());
            assertArrayEquals(h.id(), back.id());
        }
        assertFalse(SealedState.isSealed(image), "a plain token image is not taken for a sealed one");
    }

    @Test
    void everyWriteTakesAFreshNonce() {
        byte[] first = SealedState.seal(keyFile(), key, image, random);
        byte[] second = SealedState.seal(keyFile(), key, image, random);
        assertFalse(Arrays.equals(SealedState.nonce(FILE, first), SealedState.nonce(FILE, second)));
        assertFalse(Arrays.equals(first, second), "the same image under the same key must not give the same bytes");
    }

    @Test
    void wrongKeyIsDamagedOrWrongKeyWithThePath() {
        byte[] stored = SealedState.seal(keyFile(), key, image, random);
        SealedStateException e = assertThrows(SealedStateException.class, () -> SealedState.open(FILE, stored, bytes(32, 8)));
        assertEquals(FILE + ": damaged or wrong key", e.getMessage());
    }

    @Test
    void everyChangedByteIsRefusedAlike() {
        byte[] stored = SealedState.seal(passphrase(), key, image, random);
        // Every header byte (magic, version, kind, ID, scrypt parameters, salt), the nonce, and a sample of the ciphertext and tag.
        int headerEnd = passphrase().encode().length + SealedState.NONCE_BYTES;
        for (int i = 0; i < stored.length; i += i < headerEnd ? 1 : 97) {
            byte[] bad = stored.clone();
            bad[i] ^= 0x01;
            SealedStateException e = assertThrows(SealedStateException.class, () -> SealedState.open(FILE, bad, key),
                    "byte " + i);
            assertTrue(e.getMessage().startsWith(FILE.toString()), e.getMessage());
        }
        byte[] lastByte = stored.clone();
        lastByte[lastByte.length - 1] ^= 0x80;
        assertThrows(SealedStateException.class, () -> SealedState.open(FILE, lastByte, key));
    }

    @Test
    void truncatedFilesAreDamagedNotInternalErrors() {
        byte[] stored = SealedState.seal(passphrase(), key, image, random);
        for (int n = 0; n < stored.length; n += n < 80 ? 1 : 211) {
            byte[] cut = Arrays.copyOf(stored, n);
            if (SealedState.isSealed(cut)) {
                assertThrows(SealedStateException.class, () -> SealedState.open(FILE, cut, key), "length " + n);
            }
        }
    }

    @Test
    void aForgedHeaderCannotAskForUnboundedScryptWork() {
        byte[] stored = SealedState.seal(passphrase(), key, image, random);
        int logN = SealedState.MAGIC.length + 2 + SealedState.ID_BYTES;
        assertEquals(15, stored[logN]);
        byte[] huge = stored.clone();
        huge[logN] = 30;
        SealedStateException e = assertThrows(SealedStateException.class, () -> SealedState.header(FILE, huge));
        assertEquals(FILE + ": damaged or wrong key", e.getMessage());
    }

    @Test
    void aNewerFormatVersionSaysSo() {
        byte[] stored = SealedState.seal(keyFile(), key, image, random);
        stored[SealedState.MAGIC.length] = 2;
        SealedStateException e = assertThrows(SealedStateException.class, () -> SealedState.open(FILE, stored, key));
        assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
    }

    @Test
    void thePlainCodecRefusesASealedFileRatherThanMisreadingIt() {
        byte[] stored = SealedState.seal(keyFile(), key, image, random);
        SealedStateException e = assertThrows(SealedStateException.class, () -> StateCodec.PLAIN.open(FILE, stored));
        assertTrue(e.getMessage().startsWith(FILE + " is encrypted"), e.getMessage());
        assertArrayEquals(image, StateCodec.PLAIN.open(FILE, image));
    }
}
