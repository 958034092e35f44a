package io.totptoken.host.session;

import java.security.GeneralSecurityException;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** PBKDF2-HMAC-SHA1 (RFC 8018), as YKOATH passwords and PSKC's PBKDF2 key derivation use it. */
public final class Pbkdf2 {
    private Pbkdf2() {
    }

    /** Derives {@code bytes} bytes; the password copy inside the key spec is cleared afterwards. */
    public static byte[] hmacSha1(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA1 missing from the JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
