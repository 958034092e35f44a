package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.Base32;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Microsoft Entra ID's CSV of hardware OATH tokens, uploaded in the Entra admin center (the same
 * fields as Graph's {@code hardwareOathDevices}): the header {@code upn,serial number,secret
 * key,time interval,manufacturer,model}, the secret in base32 of at most 128 characters. Entra
 * takes TOTP with HMAC-SHA-1 and a 30 or 60 second interval only, and has no digits column (its
 * codes are 6 digits), so a run with anything else skips this file, as privacyIDEA's are skipped.
 * The UPN is the row's {@code upn}, else its account when that is an e-mail address.
 */
public final class EntraCsv {
    static final String HEADER = "upn,serial number,secret key,time interval,manufacturer,model";
    static final int MAX_SECRET_CHARS = 128;
    /** A manufacturer or model name; Entra shows them in its token list. */
    static final int MAX_NAME = 64;
    /** user@domain, nothing a CSV cell or Entra's UPN would not hold. */
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s,\"]+@[^@\\s,\"]+\\.[^@\\s,\".]+");

    private EntraCsv() {
    }

    /** What Entra lists as the tokens' manufacturer and model. */
    public record Device(String manufacturer, String model) {
        public static final String DEFAULT_MANUFACTURER = "TOTP Token";
        public static final String DEFAULT_MODEL = "YKOATH Java Card";

        public Device {
            manufacturer = name("manufacturer", manufacturer);
            model = name("model", model);
        }

        public static Device defaults() {
            return new Device(DEFAULT_MANUFACTURER, DEFAULT_MODEL);
        }

        private static String name(String what, String value) {
            String v = value == null ? "" : value.strip();
            String problem = Csv.serverFieldProblem("the Entra " + what, v);
            if (v.isEmpty() || v.length() > MAX_NAME || v.chars().anyMatch(Character::isISOControl)) {
                problem = "the Entra " + what + " must be 1 to " + MAX_NAME + " printable characters";
            }
            if (problem != null) {
                throw new FleetException(problem);
            }
            return v;
        }
    }

    /** The row's UPN, or null when it has none. */
    static String upn(FleetRow row) {
        if (!row.upn().isEmpty()) {
            return row.upn();
        }
        return ADDRESS.matcher(row.account()).matches() && Csv.serverFieldProblem("upn", row.account()) == null
                ? row.account() : null;
    }

    /** Why a given {@code upn} cell is not a user principal name, or null. */
    static String upnProblem(String upn) {
        String problem = Csv.serverFieldProblem("upn", upn);
        if (problem != null) {
            return problem;
        }
        return ADDRESS.matcher(upn).matches() ? null
                : "upn " + Manifest.quote(upn) + " is not a user principal name (user@domain)";
    }

    /** Why a token of these parameters cannot be an Entra hardware token, or null. */
    static String paramsProblem(SeedParams p, int secretLength) {
        if (p.type() != OathType.TOTP || p.algorithm() != HashAlgorithm.SHA1) {
            return "Entra ID takes SHA-1 TOTP tokens only, not " + p.algorithm() + " " + p.type();
        }
        if (p.period() != 30 && p.period() != 60) {
            return "Entra ID takes a 30 or 60 second period only, not " + p.period();
        }
        if (p.digits() != 6) {
            return "Entra ID has no digits column and takes 6-digit codes, not " + p.digits();
        }
        if (secretLength > 0 && Base32.encode(new byte[secretLength]).length() > MAX_SECRET_CHARS) {
            return "Entra ID takes secrets of at most " + MAX_SECRET_CHARS + " base32 characters (80 bytes), not "
                    + secretLength + " bytes";
        }
        return null;
    }

    /** Why these tokens cannot go into the file (it is then not written), or null. {@code upns} go with {@code entries}. */
    static String unfit(List<SeedEntry> entries, List<String> upns) {
        for (int i = 0; i < entries.size(); i++) {
            SeedEntry e = entries.get(i);
            String problem = paramsProblem(e.params(), e.secret().length);
            if (problem == null && upns.get(i) == null) {
                problem = "token " + e.serial() + " (account " + Manifest.quote(e.account()) + ") has no UPN: give a"
                        + " 'upn' column or e-mail addresses as accounts (--entra refuses such rows up front)";
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    static String write(List<SeedEntry> entries, List<String> upns, Device device) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < entries.size(); i++) {
            SeedEntry e = entries.get(i);
            out.append(String.join(",", Csv.field("upn", upns.get(i)), Csv.field("serial", e.serial()),
                    Base32.encode(e.secret()), Integer.toString(e.period()), device.manufacturer(), device.model()))
                    .append('\n');
        }
        return out.toString();
    }
}
