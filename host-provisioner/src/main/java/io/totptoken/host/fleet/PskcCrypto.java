package io.totptoken.host.fleet;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cryptography of RFC 6030 section 6: AES-128-CBC with PKCS#7 padding and the 16-byte IV in
 * front of the ciphertext (xmlenc's aes128-cbc), HMAC-SHA1 ValueMACs over IV and ciphertext, and
 * PBKDF2-HMAC-SHA1 for password-derived keys.
 */
final class PskcCrypto {
    static final String AES128_CBC = "http://www.w3.org/2001/04/xmlenc#aes128-cbc";
    static final String HMAC_SHA1 = "http://www.w3.org/2000/09/xmldsig#hmac-sha1";
    static final String PBKDF2 = "http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PskcCrypto() {
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static byte[] encrypt(byte[] key, byte[] plain) {
        byte[] iv = random(16);
        try {
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            byte[] body = c.doFinal(plain);
            byte[] out = Arrays.copyOf(iv, 16 + body.length);
            System.arraycopy(body, 0, out, 16, body.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-128-CBC missing from the JDK", e);
        }
    }

    static byte[] decrypt(byte[] key, byte[] ivAndBody, String what) {
        if (ivAndBody.length < 32 || ivAndBody.length % 16 != 0) {
            throw new FleetException(what + ": the encrypted value is " + ivAndBody.length
                    + " bytes, not an IV and whole AES blocks");
        }
        try {
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(ivAndBody, 0, 16));
            return c.doFinal(ivAndBody, 16, ivAndBody.length - 16);
        } catch (javax.crypto.BadPaddingException e) {
            throw new FleetException(what + ": cannot decrypt; wrong key or password?");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-128-CBC missing from the JDK", e);
        }
    }

    static byte[] mac(byte[] macKey, byte[] data) {
        try {
            Mac m = Mac.getInstance("HmacSHA1");
            m.init(new SecretKeySpec(macKey, "HmacSHA1"));
            return m.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 missing from the JDK", e);
        }
    }

    static boolean macMatches(byte[] macKey, byte[] data, byte[] expected) {
        return MessageDigest.isEqual(mac(macKey, data), expected);
    }
}
