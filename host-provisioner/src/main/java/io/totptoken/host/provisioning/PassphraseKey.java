package io.totptoken.host.provisioning;

import io.totptoken.host.transport.SealedState;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * A state key from a passphrase: scrypt (Bouncy Castle) over its UTF-8 bytes. scrypt rather than
 * PBKDF2: at the same wall time per command (measured in docs/cli.md) it also costs an attacker
 * 32 MiB of memory per guess, which GPUs and ASICs pay dearly for; PBKDF2 costs them only hashing.
 */
final class PassphraseKey {
    /** N = 2^15, r = 8, p = 1 (32 MiB): the parameters Aegis, age and the scrypt paper recommend for interactive use. */
    static final int LOG_N = 15;
    static final int R = 8;
    static final int P = 1;
    static final int SALT_BYTES = 16;

    private PassphraseKey() {
    }

    /** Fresh parameters with a random salt, for a file sealed under a passphrase for the first time. */
    static SealedState.Scrypt freshParameters(SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new SealedState.Scrypt(LOG_N, R, P, salt);
    }

    /** The 256-bit key; the passphrase's UTF-8 copy is wiped, the passphrase itself is the caller's. */
    static byte[] derive(char[] passphrase, SealedState.Scrypt kdf) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        Arrays.fill(encoded.array(), (byte) 0);
        try {
            return SCrypt.generate(bytes, kdf.salt(), 1 << kdf.logN(), kdf.r(), kdf.p(), SealedState.KEY_BYTES);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
