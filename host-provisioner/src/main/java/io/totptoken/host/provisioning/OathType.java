package io.totptoken.host.provisioning;

import io.totptoken.host.session.Ykoath;
import java.util.Locale;

/** Counter-based or time-based OTP; {@link #code()} is the YKOATH high nibble of the type/algorithm byte. */
public enum OathType {
    HOTP(Ykoath.TYPE_HOTP),
    TOTP(Ykoath.TYPE_TOTP);

    private final int code;

    OathType(int code) {
        this.code = code;
    }

    /** YKOATH type bits: 0x10 HOTP, 0x20 TOTP (high nibble of the PUT key TLV's first byte). */
    public int code() {
        return code;
    }

    /** Accepts "totp" or "hotp" in any case, as found in the Key URI type position. */
    public static OathType fromName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "totp":
                return TOTP;
            case "hotp":
                return HOTP;
            default:
                throw new InvalidCredentialException("unknown OTP type " + UserText.quoteValue(name) + " (expected totp or hotp)");
        }
    }
}
