package io.totptoken.host.fleet;

/**
 * What happened to one token in this run.
 *
 * @param lane    where it was (reader, port, simulated group)
 * @param serial  its serial number, or null when it could not be read
 * @param account the row it got, or null
 * @param result  see {@link Result}
 * @param code    the code read back and matched (a past code, harmless), or null
 * @param moving  the TOTP time step or HOTP counter of that code
 * @param reason  why it failed or was refused, or null
 * @param apdus   commands sent to it
 */
public record TokenOutcome(String lane, Long serial, String account, Result result, String code, long moving,
                           String reason, int apdus) {
    public enum Result {
        /** Written (or found written after a crash) and its code matched. */
        PROVISIONED,
        /** Already verified earlier in this run (inserted twice): nothing sent but the reads. */
        ALREADY_DONE,
        /** Turned away before anything was assigned to it: used, locked, full, no serial, no row left. */
        REFUSED,
        /** Something went wrong after a row was bound to it; the reason says what happens next. */
        FAILED;

        public boolean isFailure() {
            return this == REFUSED || this == FAILED;
        }
    }
}
