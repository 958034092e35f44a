package io.totptoken.host.provisioning.imports;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JDK's PBKDF2 and AES-GCM as the app backups use them (2FAS: PBKDF2-HMAC-SHA256; andOTP:
 * PBKDF2-HMAC-SHA1; both a 256-bit key and a 128-bit tag after the ciphertext). The JDK encodes
 * the password as UTF-8, as the apps do.
 */
final class PasswordGcm {
    static final int TAG_BYTES = 16;
    private static final int KEY_BITS = 256;

    private PasswordGcm() {
    }

    /** A GCM tag that does not match: the wrong password, or a changed file. */
    static final class BadTagException extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /**
     * The 32-byte key; the caller wipes it.
     *
     * @param prf "PBKDF2WithHmacSHA256" or "PBKDF2WithHmacSHA1"
     */
    static byte[] deriveKey(String prf, char[] password, byte[] salt, int iterations) {
        if (password == null || password.length == 0) {
            throw new ImportException("the password is empty");
        }
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance(prf).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ImportException("cannot derive the key (" + e.getClass().getSimpleName() + ")");
        } finally {
            spec.clearPassword();
        }
    }

    /** The plaintext of {@code ciphertextAndTag}; the caller wipes it. */
    static byte[] decrypt(byte[] key, byte[] nonce, byte[] ciphertextAndTag, int offset, int length)
            throws BadTagException {
        if (length < TAG_BYTES) {
            throw new ImportException("the encrypted part is shorter than its " + TAG_BYTES + "-byte GCM tag");
        }
        SecretKeySpec aes = new SecretKeySpec(key, "AES");
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, aes, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            return cipher.doFinal(ciphertextAndTag, offset, length);
        } catch (AEADBadTagException e) {
            throw new BadTagException();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ImportException("cannot decrypt (" + e.getClass().getSimpleName() + ")");
        }
    }

    static void wipe(byte[] bytes) {
        if (bytes != null) {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    static void wipe(char[] chars) {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }
}
