package io.totptoken.host.provisioning;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * One OATH credential as it will be put on the token.
 *
 * <p>The record keeps its own copy of the secret (the constructor copies it); {@link #secret()}
 * returns that copy itself so the session layer does not multiply secret arrays: read it, build
 * the APDU, then call {@link #wipe()}. The secret is the raw key as the user gave it, even when it
 * is longer than the hash block size: hashing long keys is the session layer's job.
 *
 * <p>Normalisation: issuer and account are stripped of surrounding white space, an empty issuer
 * becomes null, a HOTP credential's period is 30 (unused) and a TOTP credential's counter is 0.
 *
 * @param type      HOTP or TOTP
 * @param algorithm HMAC hash
 * @param digits    6, 7 or 8
 * @param period    TOTP time step in seconds, positive
 * @param counter   HOTP initial counter, 0 to 2^32 - 1 (YKOATH sends it as 4 bytes, tag 0x7A)
 * @param issuer    issuer, or null; never contains ':'
 * @param account   account name, never empty; contains ':' only when there is an issuer (as in a Key URI label)
 * @param secret    raw HMAC key, at least one byte
 * @param touch     whether the token should require a touch before each code
 */
public record CredentialSpec(OathType type, HashAlgorithm algorithm, int digits, int period, long counter,
                             String issuer, String account, byte[] secret, boolean touch) {
    public static final int DEFAULT_PERIOD = CardName.DEFAULT_PERIOD;
    public static final int MIN_DIGITS = 6;
    public static final int MAX_DIGITS = 8;
    public static final long MAX_COUNTER = 0xFFFF_FFFFL;

    public CredentialSpec {
        if (type == null) {
            throw new InvalidCredentialException("OTP type is missing (expected TOTP or HOTP)");
        }
        if (algorithm == null) {
            throw new InvalidCredentialException("hash algorithm is missing (expected SHA1, SHA256 or SHA512)");
        }
        if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
            throw new InvalidCredentialException("digits must be 6, 7 or 8, not " + digits);
        }
        if (type == OathType.TOTP) {
            if (period <= 0) {
                throw new InvalidCredentialException("period must be a positive number of seconds, not " + period);
            }
            counter = 0;
        } else {
            if (counter < 0 || counter > MAX_COUNTER) {
                throw new InvalidCredentialException(
                        "HOTP counter must be between 0 and " + MAX_COUNTER + ", not " + counter);
            }
            period = DEFAULT_PERIOD;
        }
        issuer = issuer == null || issuer.isBlank() ? null : issuer.strip();
        account = account == null ? "" : account.strip();
        if (account.isEmpty()) {
            throw new InvalidCredentialException("account name is missing");
        }
        checkText("issuer", issuer);
        checkText("account name", account);
        if (issuer != null && issuer.indexOf(':') >= 0) {
            throw new InvalidCredentialException("issuer " + UserText.quote(issuer) + " must not contain ':'");
        }
        if (issuer == null && account.indexOf(':') >= 0) {
            throw new InvalidCredentialException("account name " + UserText.quote(account)
                    + " contains ':' but no issuer is given; give the part before ':' as the issuer");
        }
        if (secret == null || secret.length == 0) {
            throw new InvalidCredentialException("secret is empty");
        }
        secret = secret.clone();
        CardName.encode(type, period, issuer, account); // throws when the name does not fit the token
    }

    /** The YKOATH name {@code [period/][issuer:]account} in UTF-8, at most 64 bytes (see {@link CardName#encode}). */
    public byte[] cardName() {
        return CardName.encode(type, period, issuer, account);
    }

    /** Splits a YKOATH name back into period, issuer and account (see {@link CardName#parse}). */
    public static CardName fromCardName(byte[] name, OathType type) {
        return CardName.parse(name, type);
    }

    /** Overwrites the secret with zeros; the spec must not be used to provision afterwards. */
    public void wipe() {
        Arrays.fill(secret, (byte) 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CredentialSpec o
                && type == o.type && algorithm == o.algorithm && digits == o.digits && period == o.period
                && counter == o.counter && touch == o.touch && Objects.equals(issuer, o.issuer)
                && account.equals(o.account) && MessageDigest.isEqual(secret, o.secret);
    }

    @Override
    public int hashCode() {
        // The secret is left out on purpose: a hash of it would be a (weak) fingerprint of the key.
        return Objects.hash(type, algorithm, digits, period, counter, issuer, account, touch);
    }

    @Override
    public String toString() {
        return "CredentialSpec[type=" + type + ", algorithm=" + algorithm + ", digits=" + digits
                + ", period=" + period + ", counter=" + counter + ", issuer=" + issuer + ", account=" + account
                + ", secret=<" + secret.length + " bytes hidden>, touch=" + touch + "]";
    }

    private static void checkText(String what, String text) {
        if (text == null) {
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidCredentialException(what + " contains a control character at position " + (i + 1));
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidCredentialException(what + " is not valid Unicode (lone surrogate at position "
                        + (i + 1) + ")");
            }
        }
    }
}
