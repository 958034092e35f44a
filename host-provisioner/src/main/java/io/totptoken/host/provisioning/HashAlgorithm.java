package io.totptoken.host.provisioning;

import io.totptoken.host.session.Ykoath;
import java.util.Locale;

/** The HMAC hashes a YKOATH token computes; {@link #code()} is the low nibble of the type/algorithm byte. */
public enum HashAlgorithm {
    SHA1(Ykoath.ALG_SHA1, "HmacSHA1", 64, 20),
    SHA256(Ykoath.ALG_SHA256, "HmacSHA256", 64, 32),
    SHA512(Ykoath.ALG_SHA512, "HmacSHA512", 128, 64);

    private final int code;
    private final String macName;
    private final int blockSize;
    private final int outputLength;

    HashAlgorithm(int code, String macName, int blockSize, int outputLength) {
        this.code = code;
        this.macName = macName;
        this.blockSize = blockSize;
        this.outputLength = outputLength;
    }

    /** YKOATH algorithm bits: 1 SHA1, 2 SHA256, 3 SHA512. */
    public int code() {
        return code;
    }

    /** Name for {@code javax.crypto.Mac.getInstance}. */
    public String macName() {
        return macName;
    }

    /** Hash block size in bytes; HMAC keys longer than this are hashed first (RFC 2104). */
    public int blockSize() {
        return blockSize;
    }

    /** Hash output length in bytes. */
    public int outputLength() {
        return outputLength;
    }

    public static HashAlgorithm fromCode(int code) {
        for (HashAlgorithm algorithm : values()) {
            if (algorithm.code == code) {
                return algorithm;
            }
        }
        throw new InvalidCredentialException("unknown YKOATH algorithm code " + code);
    }

    /** Accepts SHA1, SHA256, SHA512 in any case, with or without the dash (SHA-256). */
    public static HashAlgorithm fromName(String name) {
        switch (name.toUpperCase(Locale.ROOT).replace("-", "")) {
            case "SHA1":
                return SHA1;
            case "SHA256":
                return SHA256;
            case "SHA512":
                return SHA512;
            default:
                throw new InvalidCredentialException(
                        "unsupported algorithm " + UserText.quoteValue(name) + " (expected SHA1, SHA256 or SHA512)");
        }
    }
}
