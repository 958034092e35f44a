package io.totptoken.host.provisioning;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Key URI format, {@code otpauth://TYPE/LABEL?PARAMETERS} (REFERENCE.md section 3).
 *
 * <p>Choices where the format leaves room:
 * <ul>
 * <li>The label is a URI path: '+' in it is a literal plus. Query values are decoded like HTML
 *     forms, '+' meaning a space, because many generators write issuers that way; no legal value
 *     of secret, algorithm, digits, period or counter contains a '+', so only the issuer is affected.
 *     {@link #format} writes spaces as %20 and '+' as %2B, so its output reads back either way.</li>
 * <li>When both the {@code issuer} parameter and a label prefix are present the parameter wins,
 *     even when they differ: the format says the parameter is the reliable one, and the label
 *     prefix is often a display string (an old brand name, a domain). The account is the part of
 *     the label after the first ':' in either case.</li>
 * <li>Parameter names are matched case-insensitively; a known parameter given twice is refused,
 *     since it is unclear which one the issuer meant. Unknown parameters (image, lock, ...) are ignored.</li>
 * <li>The secret is kept raw even when it is longer than the hash block size.</li>
 * <li>Touch is not part of the format: parsed specs have touch off and {@link #format} drops it.</li>
 * <li>A Steam URI (TOTP, issuer {@code Steam}) may say {@code digits=5}: it is stored with 6, as
 *     ykman's {@code accounts uri} stores it, and its codes are shown as Steam's ({@link SteamCode}).</li>
 * </ul>
 */
public final class OtpauthUri {
    private static final String SCHEME = "otpauth";
    private static final int STEAM_DIGITS = 5;
    private static final Set<String> KNOWN = Set.of("secret", "issuer", "algorithm", "digits", "period", "counter");

    private OtpauthUri() {
    }

    /** @throws InvalidCredentialException naming the problem, never echoing the secret */
    public static CredentialSpec parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new InvalidCredentialException("no otpauth:// URI given");
        }
        String text = uri.strip();
        int colon = text.indexOf(':');
        String scheme = colon < 0 ? "" : text.substring(0, colon);
        if (scheme.equalsIgnoreCase("otpauth-migration")) {
            throw new InvalidCredentialException(
                    "this is a Google Authenticator export (otpauth-migration://), not a single otpauth:// URI");
        }
        if (!scheme.equalsIgnoreCase(SCHEME) || !text.startsWith("//", colon + 1)) {
            throw new InvalidCredentialException("not an otpauth:// URI");
        }
        String rest = text.substring(colon + 3);
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        int question = rest.indexOf('?');
        String path = question < 0 ? rest : rest.substring(0, question);
        String query = question < 0 ? "" : rest.substring(question + 1);
        int slash = path.indexOf('/');
        String typeText = slash < 0 ? path : path.substring(0, slash);
        if (typeText.isEmpty()) {
            throw new InvalidCredentialException("otpauth URI has no type; expected otpauth://totp/ or otpauth://hotp/");
        }
        OathType type = OathType.fromName(typeText);
        String label = PercentEncoding.decode(slash < 0 ? "" : path.substring(slash + 1), false, "label");
        Map<String, String> params = parameters(query);

        String labelIssuer = null;
        String account = label;
        int split = label.indexOf(':');
        if (split >= 0) {
            labelIssuer = label.substring(0, split);
            account = label.substring(split + 1);
        }
        if (account.isBlank()) {
            throw new InvalidCredentialException(label.isBlank()
                    ? "otpauth URI has no account name in its label"
                    : "otpauth URI label has an issuer but no account name after the ':'");
        }
        String issuer = params.get("issuer");
        if (issuer == null || issuer.isBlank()) {
            issuer = labelIssuer;
        }

        String secretText = params.get("secret");
        if (secretText == null) {
            throw new InvalidCredentialException("otpauth URI has no secret= parameter");
        }
        byte[] secret = Base32.decode(secretText);
        try {
            if (secret.length == 0) {
                throw new InvalidCredentialException("otpauth URI has an empty secret= parameter");
            }
            String algorithm = params.get("algorithm");
            int digits = params.containsKey("digits") ? (int) number(params, "digits", 9) : 6;
            if (digits == STEAM_DIGITS && type == OathType.TOTP && SteamCode.ISSUER.equals(issuer)) {
                // Steam URIs say 5 (characters); the token computes 6 digits and the host writes Steam's code, as ykman does.
                digits = 6;
            }
            int period = params.containsKey("period") && type == OathType.TOTP
                    ? (int) number(params, "period", 9) : CredentialSpec.DEFAULT_PERIOD;
            long counter = 0;
            if (type == OathType.HOTP) {
                if (!params.containsKey("counter")) {
                    throw new InvalidCredentialException("hotp URI has no counter= parameter");
                }
                counter = number(params, "counter", 18);
            }
            return new CredentialSpec(type, algorithm == null ? HashAlgorithm.SHA1 : HashAlgorithm.fromName(algorithm),
                    digits, period, counter, issuer, account, secret, false);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** Writes a URI that {@link #parse} reads back to an equal spec (touch aside). */
    public static String format(CredentialSpec spec) {
        StringBuilder uri = new StringBuilder(SCHEME).append("://")
                .append(spec.type().name().toLowerCase(Locale.ROOT)).append('/');
        if (spec.issuer() != null) {
            uri.append(PercentEncoding.encode(spec.issuer())).append(':');
        }
        uri.append(PercentEncoding.encode(spec.account()));
        uri.append("?secret=").append(Base32.encode(spec.secret()));
        if (spec.issuer() != null) {
            uri.append("&issuer=").append(PercentEncoding.encode(spec.issuer()));
        }
        uri.append("&algorithm=").append(spec.algorithm().name()).append("&digits=").append(spec.digits());
        if (spec.type() == OathType.TOTP) {
            uri.append("&period=").append(spec.period());
        } else {
            uri.append("&counter=").append(spec.counter());
        }
        return uri.toString();
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> params = new HashMap<>();
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String rawKey = equals < 0 ? pair : pair.substring(0, equals);
            String key;
            try {
                key = PercentEncoding.decode(rawKey, true, "parameter name").toLowerCase(Locale.ROOT);
            } catch (InvalidCredentialException e) {
                continue; // cannot be a parameter we know
            }
            if (!KNOWN.contains(key)) {
                continue;
            }
            String value = PercentEncoding.decode(equals < 0 ? "" : pair.substring(equals + 1), true, key + "= parameter");
            if (params.put(key, value) != null) {
                throw new InvalidCredentialException("otpauth URI has the " + key + "= parameter more than once");
            }
        }
        return params;
    }

    private static long number(Map<String, String> params, String key, int maxDigits) {
        String value = params.get(key).strip();
        if (value.isEmpty() || value.length() > maxDigits || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidCredentialException(key + "= parameter must be digits only (at most " + maxDigits
                    + "), not " + UserText.quoteValue(value));
        }
        return Long.parseLong(value);
    }
}
