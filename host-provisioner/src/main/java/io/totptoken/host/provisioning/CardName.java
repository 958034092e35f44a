package io.totptoken.host.provisioning;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a YKOATH credential name, {@code [period/][issuer:]account} (REFERENCE.md section 2).
 *
 * <p>YKOATH cards do not store the TOTP period, so clients put it in the name when it is not
 * 30 s. These rules match the ones Yubico's clients use, so names written here read back the
 * same way in ykman and Yubico Authenticator.
 *
 * @param period  TOTP period in seconds (30 for HOTP, where it has no meaning)
 * @param issuer  issuer or null
 * @param account account, never empty
 */
public record CardName(int period, String issuer, String account) {
    /** YKOATH limit on the NAME tag (0x71). */
    public static final int MAX_LENGTH = 64;
    public static final int DEFAULT_PERIOD = 30;

    private static final Pattern TOTP_NAME = Pattern.compile("^((\\d+)/)?(([^:]+):)?(.+)$", Pattern.DOTALL);
    private static final Pattern TOTP_NAME_WITHOUT_PERIOD = Pattern.compile("^(([^:]+):)?(.+)$", Pattern.DOTALL);
    private static final Pattern LEADING_PERIOD = Pattern.compile("^\\d+/");

    /**
     * Encodes a name as UTF-8 bytes.
     *
     * <p>The period prefix is written for TOTP when the period is not 30, and also when it is 30
     * but the rest of the name itself starts with digits and a slash ("2024/alice"): without the
     * explicit "30/" such a name would read back with a period of 2024.
     *
     * @throws InvalidCredentialException when the name is longer than 64 bytes
     */
    public static byte[] encode(OathType type, int period, String issuer, String account) {
        String body = issuer == null ? account : issuer + ":" + account;
        boolean prefixed = type == OathType.TOTP
                && (period != DEFAULT_PERIOD || LEADING_PERIOD.matcher(body).lookingAt());
        String name = prefixed ? period + "/" + body : body;
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_LENGTH) {
            throw new InvalidCredentialException("credential name " + UserText.quote(name) + " is " + bytes.length
                    + " bytes in UTF-8 but the token stores at most " + MAX_LENGTH + "; shorten the issuer or account");
        }
        return bytes;
    }

    /**
     * Splits a name read from a card. TOTP: {@code ^((\d+)/)?(([^:]+):)?(.+)$}; a period prefix
     * that is zero or does not fit an int is taken as part of the name. HOTP: split on the first
     * ':' unless the name starts with ':'. Bytes that are not UTF-8 become U+FFFD.
     */
    public static CardName parse(byte[] name, OathType type) {
        String text = new String(name, StandardCharsets.UTF_8); // malformed bytes become U+FFFD
        if (text.isEmpty()) {
            throw new InvalidCredentialException("credential name is empty");
        }
        if (type == OathType.HOTP) {
            int colon = text.indexOf(':');
            if (colon > 0) {
                return new CardName(DEFAULT_PERIOD, text.substring(0, colon), text.substring(colon + 1));
            }
            return new CardName(DEFAULT_PERIOD, null, text);
        }
        Matcher m = TOTP_NAME.matcher(text);
        if (!m.matches()) {
            throw new InvalidCredentialException("credential name " + UserText.quote(text) + " has no account part");
        }
        if (m.group(2) != null) {
            Integer period = parsePeriod(m.group(2));
            if (period != null) {
                return new CardName(period, m.group(4), m.group(5));
            }
            m = TOTP_NAME_WITHOUT_PERIOD.matcher(text);
            m.matches(); // always matches a non-empty string
            return new CardName(DEFAULT_PERIOD, m.group(2), m.group(3));
        }
        return new CardName(DEFAULT_PERIOD, m.group(4), m.group(5));
    }

    private static Integer parsePeriod(String digits) {
        if (digits.length() > 9) {
            return null;
        }
        int value = Integer.parseInt(digits);
        return value > 0 ? value : null;
    }
}
