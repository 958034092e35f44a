package io.totptoken.host.provisioning;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a keyfob's display shows after a press: a code with its issuer, account and seconds left,
 * or a message ("no credentials", "no clock on this device").
 *
 * @param secondsLeft 0 when the device did not say (an HOTP credential)
 */
public record KeyfobDisplay(String issuer, String account, String code, int secondsLeft, String message) {
    /** The device's display line: {@code ISSUER  ACCOUNT  CODE  (N s left)}, as the simulated keyfob writes it. */
    private static final Pattern LINE = Pattern.compile("(?:(.+?)  )?(.+?)  (\\d{6,10})(?:  \\((\\d+) s left\\))?");

    /** Reads a display line that came over the serial link. */
    public static KeyfobDisplay parse(String text) {
        Matcher m = LINE.matcher(text.strip());
        if (!m.matches()) {
            return new KeyfobDisplay(null, null, null, 0, text.strip());
        }
        return new KeyfobDisplay(m.group(1), m.group(2), m.group(3), m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
                null);
    }

    /** The display as one line, as the device shows it. */
    @Override
    public String toString() {
        if (code == null) {
            return message;
        }
        String who = issuer == null ? account : issuer + "  " + account;
        return secondsLeft > 0 ? who + "  " + code + "  (" + secondsLeft + " s left)" : who + "  " + code;
    }
}
