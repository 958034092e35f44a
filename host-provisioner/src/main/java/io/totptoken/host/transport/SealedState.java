package io.totptoken.host.transport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A simulated token's state file, encrypted: AES-256-GCM over the token's persistent image, with
 * a fresh random 96-bit nonce on every write. The header says how to find the key and is
 * authenticated as additional data, so changing any byte of it (the key's kind, the scrypt
 * parameters, the salt, the file's ID) fails the tag check like a wrong key does.
 *
 * <pre>
 * magic "TKSEAL" | version 1 | kind (1 passphrase, 2 keyring, 3 key file) | 16-byte file ID
 *   [kind 1: log2 N | r | p | salt length | salt]      (scrypt parameters)
 * | 12-byte nonce | ciphertext and 16-byte tag
 * </pre>
 *
 * The file ID names the key in the keyring or key directory; it is random, made once when the
 * file is first sealed, and never changes (the token's own ID changes on RESET).
 */
public final class SealedState {
    static final byte[] MAGIC = "TKSEAL".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    public static final int ID_BYTES = 16;
    public static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    /** Bounds on the scrypt parameters a header may ask for, so that a forged header cannot make us spend gigabytes or minutes. */
    static final int MIN_LOG_N = 14;
    static final int MAX_LOG_N = 20;
    static final int MAX_R = 16;
    static final int MAX_P = 4;
    static final long MAX_SCRYPT_MEMORY = 256L << 20;
    static final int MIN_SALT = 16;
    static final int MAX_SALT = 64;

    /** Where the key of a sealed file is kept. */
    public enum KeyKind {
        PASSPHRASE(1), KEYRING(2), KEY_FILE(3);

        final int code;

        KeyKind(int code) {
            this.code = code;
        }

        static KeyKind of(int code) {
            for (KeyKind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    /** scrypt's cost parameters and salt, for a passphrase key. */
    public record Scrypt(int logN, int r, int p, byte[] salt) {
        public Scrypt {
            salt = salt.clone();
            if (logN < MIN_LOG_N || logN > MAX_LOG_N || r < 1 || r > MAX_R || p < 1 || p > MAX_P
                    || 128L * r * (1L << logN) > MAX_SCRYPT_MEMORY || salt.length < MIN_SALT || salt.length > MAX_SALT) {
                throw new IllegalArgumentException("scrypt parameters out of bounds");
            }
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }
    }

    /** What the file says about its key; kdf is set for a passphrase key only. */
    public record Header(KeyKind kind, byte[] id, Scrypt kdf) {
        public Header {
            id = id.clone();
            if (id.length != ID_BYTES || (kind == KeyKind.PASSPHRASE) != (kdf != null)) {
                throw new IllegalArgumentException("a passphrase header needs scrypt parameters, no other does");
            }
        }

        @Override
        public byte[] id() {
            return id.clone();
        }

        /** The file ID in hex, the name of its key in the keyring or key directory. */
        public String idText() {
            return HexFormat.of().formatHex(id);
        }

        /** The header as the file holds it (no key material: kind, ID, scrypt parameters). */
        public byte[] encoded() {
            return encode();
        }

        byte[] encode() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(MAGIC);
            out.write(VERSION);
            out.write(kind.code);
            out.writeBytes(id);
            if (kdf != null) {
                out.write(kdf.logN());
                out.write(kdf.r());
                out.write(kdf.p());
                out.write(kdf.salt.length);
                out.writeBytes(kdf.salt);
            }
            return out.toByteArray();
        }
    }

    private SealedState() {
    }

    /** Whether the bytes begin as a sealed file does (a plain token image begins "TOTP"). */
    public static boolean isSealed(byte[] stored) {
        return stored.length >= MAGIC.length && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** Reads the header of a sealed file; anything that is not a well-formed header is a damaged file. */
    public static Header header(Path file, byte[] stored) {
        try {
            ByteBuffer in = ByteBuffer.wrap(stored);
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw damaged(file);
            }
            int version = in.get() & 0xFF;
            if (version != VERSION) {
                throw new SealedStateException(file + ": sealed with format version " + version
                        + ", which this tokenctl cannot read (a newer tokenctl wrote it?)");
            }
            KeyKind kind = KeyKind.of(in.get() & 0xFF);
            if (kind == null) {
                throw damaged(file);
            }
            byte[] id = new byte[ID_BYTES];
            in.get(id);
            Scrypt kdf = null;
            if (kind == KeyKind.PASSPHRASE) {
                int logN = in.get() & 0xFF;
                int r = in.get() & 0xFF;
                int p = in.get() & 0xFF;
                byte[] salt = new byte[in.get() & 0xFF];
                in.get(salt);
                kdf = new Scrypt(logN, r, p, salt);
            }
            if (in.remaining() < NONCE_BYTES + TAG_BITS / 8) {
                throw damaged(file);
            }
            return new Header(kind, id, kdf);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw damaged(file);
        }
    }

    /** The file's bytes: header, a fresh random nonce, and the image encrypted under key with the header as AAD. */
    public static byte[] seal(Header header, byte[] key, byte[] image, SecureRandom random) {
        byte[] aad = header.encode();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            byte[] sealed = gcm(true, key, nonce, aad, image, 0, image.length);
            ByteBuffer out = ByteBuffer.allocate(aad.length + NONCE_BYTES + sealed.length);
            out.put(aad).put(nonce).put(sealed);
            return out.array();
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("AES-GCM encryption cannot fail", e);
        }
    }

    /** The image inside a sealed file; a wrong key and a changed byte anywhere are the same one-line failure. */
    public static byte[] open(Path file, byte[] stored, byte[] key) {
        Header header = header(file, stored);
        int aadLength = header.encode().length;
        byte[] nonce = Arrays.copyOfRange(stored, aadLength, aadLength + NONCE_BYTES);
        int from = aadLength + NONCE_BYTES;
        if (stored.length - from < TAG_BITS / 8) {
            throw damaged(file);
        }
        try {
            return gcm(false, key, nonce, Arrays.copyOf(stored, aadLength), stored, from, stored.length - from);
        } catch (InvalidCipherTextException e) {
            throw damaged(file);
        }
    }

    /** The nonce of a sealed file (tests check that every write takes a fresh one). */
    static byte[] nonce(Path file, byte[] stored) {
        int aadLength = header(file, stored).encode().length;
        return Arrays.copyOfRange(stored, aadLength, aadLength + NONCE_BYTES);
    }

    /**
     * AES-256-GCM through Bouncy Castle's lightweight API rather than javax.crypto: the JCE's first
     * Cipher parses the crypto policy and loads the security providers, about a tenth of every
     * embedded-token command's run (measured in docs/cli.md); the cipher and the format are the same.
     */
    private static byte[] gcm(boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] in, int off, int len)
            throws InvalidCipherTextException {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a state key is " + KEY_BYTES + " bytes");
        }
        GCMModeCipher c = GCMBlockCipher.newInstance(AESEngine.newInstance());
        c.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce, aad));
        byte[] out = new byte[c.getOutputSize(len)];
        int n = c.processBytes(in, off, len, out, 0);
        n += c.doFinal(out, n);
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    static SealedStateException damaged(Path file) {
        return new SealedStateException(file + ": damaged or wrong key", true);
    }
}
