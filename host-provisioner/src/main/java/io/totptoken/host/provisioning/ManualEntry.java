package io.totptoken.host.provisioning;

import java.util.Arrays;

/**
 * A credential typed in by hand: a base32 secret and a name {@code ISSUER:ACCOUNT} or
 * {@code ACCOUNT}, with the Key URI defaults (TOTP, SHA1, 6 digits, 30 s) unless set otherwise.
 *
 * <p>The secret is taken as a {@link CharSequence} so that a CLI can pass the {@code char[]} from
 * {@code Console.readPassword} (wrapped with {@code CharBuffer.wrap}) and wipe it afterwards.
 */
public final class ManualEntry {
    private final CharSequence secret;
    private final String name;
    private OathType type = OathType.TOTP;
    private HashAlgorithm algorithm = HashAlgorithm.SHA1;
    private int digits = 6;
    private int period = CredentialSpec.DEFAULT_PERIOD;
    private long counter;
    private boolean touch;

    public ManualEntry(CharSequence base32Secret, String name) {
        this.secret = base32Secret;
        this.name = name;
    }

    public ManualEntry type(OathType type) {
        this.type = type;
        return this;
    }

    public ManualEntry algorithm(HashAlgorithm algorithm) {
        this.algorithm = algorithm;
        return this;
    }

    public ManualEntry digits(int digits) {
        this.digits = digits;
        return this;
    }

    public ManualEntry period(int seconds) {
        this.period = seconds;
        return this;
    }

    public ManualEntry counter(long counter) {
        this.counter = counter;
        return this;
    }

    public ManualEntry touch(boolean touch) {
        this.touch = touch;
        return this;
    }

    /** @throws InvalidCredentialException when the secret is not base32 or a field is out of range */
    public CredentialSpec build() {
        if (secret == null || secret.toString().isBlank()) {
            throw new InvalidCredentialException("secret is empty; type the base32 key the service showed");
        }
        if (name == null || name.isBlank()) {
            throw new InvalidCredentialException("name is empty; give ACCOUNT or ISSUER:ACCOUNT");
        }
        int colon = name.indexOf(':');
        String issuer = colon < 0 ? null : name.substring(0, colon);
        String account = colon < 0 ? name : name.substring(colon + 1);
        byte[] key = Base32.decode(secret);
        try {
            return new CredentialSpec(type, algorithm, digits, period, counter, issuer, account, key, touch);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
