package io.totptoken.host.session;

/**
 * The token refused a command; carries the status word and a sentence a user can act on. The
 * message is the sentence alone: the status word is for -v ({@link #status()}), except for a
 * status we have no sentence for, whose message names it.
 */
public class ApduException extends RuntimeException {
    private final int sw;

    public ApduException(int sw, String sentence) {
        super(sentence);
        this.sw = sw;
    }

    public int sw() {
        return sw;
    }

    /** "status 6982", for verbose output. */
    public String status() {
        return String.format("status %04X", sw);
    }

    /** The sentence for a YKOATH status word in the context of an operation ("add", "delete"...). */
    static String explain(int sw, String operation) {
        return switch (sw) {
            case Ykoath.SW_NO_SPACE -> "the token is full; delete a credential first";
            case Ykoath.SW_AUTH_REQUIRED -> operation.equals("code")
                    ? "the token refused: touch the token when asked, or the time is older than it accepts"
                    : "the token is locked with a password and this session has not given it";
            case Ykoath.SW_AUTH_BLOCKED -> WrongPasswordException.LOCKED_OUT;
            case Ykoath.SW_NO_SUCH_OBJECT -> "no such credential on the token";
            case Ykoath.SW_WRONG_DATA -> "the token rejected the data of the " + operation + " command";
            case Ykoath.SW_FUNC_NOT_SUPPORTED -> "the token does not support this algorithm";
            case Ykoath.SW_FILE_NOT_FOUND -> "no OATH application on this token";
            case Ykoath.SW_CONDITIONS -> switch (operation) {
                case "set clock" -> "that moves the token's clock backwards; add --force to do it";
                case "device code" -> "the token's clock is behind the last code it showed; set its clock forward "
                        + "(tokenctl clock set), or reset the token (tokenctl reset) to erase it and clear the mark";
                default -> "the token cannot do that now";
            };
            case Ykoath.SW_NO_CLOCK -> "the token has no clock";
            // the token kept its state from before the command
            case Ykoath.SW_MEMORY_FAILURE -> "the token could not store the change (memory failure)";
            case Ykoath.SW_INS_NOT_SUPPORTED, Ykoath.SW_CLA_NOT_SUPPORTED -> "the token does not know this command";
            case Ykoath.SW_WRONG_LENGTH -> "the token rejected the command length";
            default -> String.format("the token refused the %s command with a status we do not know (%04X)", operation, sw);
        };
    }
}
