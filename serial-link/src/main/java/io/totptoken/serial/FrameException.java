package io.totptoken.serial;

/** Bytes that are not one well-formed frame; {@link #damage()} says what was wrong. */
public final class FrameException extends Exception {
    private final Damage damage;

    public FrameException(Damage damage, String message) {
        super(message);
        this.damage = damage;
    }

    public Damage damage() {
        return damage;
    }
}
