package io.totptoken.host.provisioning.imports;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * The two primitives of an Aegis vault (Aegis docs/vault.md): scrypt turns a password into the key
 * of a password slot, and AES-256-GCM (12-byte nonce, 16-byte tag kept apart from the ciphertext)
 * wraps the master key in each slot and encrypts the database with it.
 */
final class AegisCrypto {
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    /** Aegis's own parameters; the writer never uses weaker ones. */
    static final int SCRYPT_N = 1 << 15;
    static final int SCRYPT_R = 8;
    static final int SCRYPT_P = 1;
    /**
     * The most a slot may ask for: scrypt needs 128 * N * r bytes and N * r * p work, so a file
     * from anywhere could otherwise ask for gigabytes or hours. At most 128 MiB and N*r*p at most
     * 2^23: four and 32 times Aegis's defaults.
     */
    static final long MAX_SCRYPT_MEMORY = 128L * 1024 * 1024;
    static final long MAX_SCRYPT_WORK = (1L << 20) * 8;

    private AegisCrypto() {
    }

    /** The key of a password slot; the password's UTF-8 bytes are wiped afterwards. */
    static byte[] scrypt(char[] password, byte[] salt, int n, int r, int p) {
        checkScrypt(n, r, p);
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[utf8.remaining()];
        utf8.get(bytes);
        Arrays.fill(utf8.array(), (byte) 0);
        try {
            return SCrypt.generate(bytes, salt, n, r, p, KEY_BYTES);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Refuses scrypt parameters that are not scrypt's or would cost more than {@link #MAX_SCRYPT_MEMORY}/{@link #MAX_SCRYPT_WORK}. */
    static void checkScrypt(int n, int r, int p) {
        if (n < 2 || (n & (n - 1)) != 0 || r < 1 || p < 1 || 128L * n * r > MAX_SCRYPT_MEMORY
                || (long) n * r * p > MAX_SCRYPT_WORK) {
            throw new ImportException("the vault's password slot asks for scrypt parameters N=" + n + " r=" + r
                    + " p=" + p + ", more than tokenctl spends (at most " + (MAX_SCRYPT_MEMORY >> 20)
                    + " MiB, N*r*p at most " + MAX_SCRYPT_WORK + ")");
        }
    }

    /** Plaintext of {@code ciphertext}+{@code tag}, or null when the tag does not match (wrong key or changed bytes). */
    static byte[] open(byte[] key, byte[] nonce, byte[] ciphertext, byte[] tag) {
        if (nonce.length != NONCE_BYTES || tag.length != TAG_BYTES) {
            throw new ImportException("the vault's nonce or tag has the wrong length (" + nonce.length + " and "
                    + tag.length + " bytes, not " + NONCE_BYTES + " and " + TAG_BYTES + ")");
        }
        byte[] joined = new byte[ciphertext.length + TAG_BYTES];
        System.arraycopy(ciphertext, 0, joined, 0, ciphertext.length);
        System.arraycopy(tag, 0, joined, ciphertext.length, TAG_BYTES);
        try {
            return cipher(Cipher.DECRYPT_MODE, key, nonce).doFinal(joined);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    }

    /** {ciphertext, tag} of {@code plaintext}; the nonce must never have been used with this key. */
    static byte[][] seal(byte[] key, byte[] nonce, byte[] plaintext) {
        try {
            byte[] joined = cipher(Cipher.ENCRYPT_MODE, key, nonce).doFinal(plaintext);
            int length = joined.length - TAG_BYTES;
            return new byte[][] {Arrays.copyOf(joined, length), Arrays.copyOfRange(joined, length, joined.length)};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
        return c;
    }
}
