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
            case 0x6A84 -> "the token is full; delete a credential first";
            case 0x6982 -> operation.equals("code")
                    ? "the token refused: touch the token when asked, or the time is older than it accepts"
                    : "the token is locked with a password and this session has not given it";
            case 0x6983 -> WrongPasswordException.LOCKED_OUT;
            case 0x6984 -> "no such credential on the token";
            case 0x6A80 -> "the token rejected the data of the " + operation + " command";
            case 0x6A81 -> "the token does not support this algorithm";
            case 0x6A82 -> "no OATH application on this token";
            case 0x6985 -> switch (operation) {
                case "set clock" -> "that moves the token's clock backwards; add --force to do it";
                case "device code" -> "the token's clock is behind the last code it showed; set its clock forward "
                        + "(tokenctl clock set), or reset the token (tokenctl reset) to erase it and clear the mark";
                default -> "the token cannot do that now";
            };
            case 0x6A88 -> "the token has no clock";
            // ISO 7816-4 memory failure: the token kept its state from before the command.
            case 0x6581 -> "the token could not store the change (memory failure)";
            case 0x6D00, 0x6E00 -> "the token does not know this command";
            case 0x6700 -> "the token rejected the command length";
            default -> String.format("the token refused the %s command with a status we do not know (%04X)", operation, sw);
        };
    }
}
