package io.totptoken.host.provisioning;

import java.time.Instant;

/**
 * An account and its code, or why there is none.
 *
 * @param code      zero-padded digits, or null when not computed (see {@link #missing})
 * @param touch     whether the token asks for a touch for each code of this account (known from CALCULATE ALL)
 * @param validFrom start of the code's time step (TOTP), else null
 * @param validTo   end of the code's time step, exclusive (TOTP), else null
 */
public record AccountCode(Account account, String code, Missing missing, boolean touch, Instant validFrom, Instant validTo) {
    /** Why a code was not computed: it would use up a HOTP counter value, or need a touch. */
    public enum Missing { NONE, HOTP, TOUCH }

    /** Whole seconds from {@code now} until the code expires (TOTP), or -1. */
    public long secondsLeft(Instant now) {
        return validTo == null ? -1 : Math.max(0, validTo.getEpochSecond() - now.getEpochSecond());
    }
}
