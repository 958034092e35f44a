package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The usersfile of pam_oath (liboath's {@code oath_authenticate_usersfile}), for Linux logins:
 * one line per token, {@code TYPE USER - HEXSECRET [COUNTER]}, fields split on white space. TYPE
 * is {@code HOTP/T30/6} for a TOTP token (period 30 or 60, digits 6 to 8), {@code HOTP} or
 * {@code HOTP/E/8} for an HOTP one, whose line ends with the counter of the next code; '-' is "no
 * password in front of the code". liboath computes HMAC-SHA-1 only and reads at most 32 bytes of
 * secret, so other tokens skip this file. pam_oath rewrites the file after each login to record
 * the last code, so the installed copy belongs to it, not to the run.
 */
public final class PamOathUsers {
    /** liboath's parser reads the secret into a 32-byte buffer. */
    static final int MAX_SECRET = 32;
    /** useradd's limit is 32 on Debian; directory users (user@domain) are longer. */
    static final int MAX_LOGIN = 256;
    /** POSIX's portable user names, with '@' for directory users and a trailing '$' for Samba's machine accounts. */
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.@-]*\\$?");

    private PamOathUsers() {
    }

    /** Why {@code user} cannot be a login name in the usersfile (white space splits it, ':' ends it in passwd), or null. */
    static String loginProblem(String user) {
        if (user.length() <= MAX_LOGIN && LOGIN.matcher(user).matches()) {
            return null;
        }
        return "user " + Manifest.quote(user) + " is not a login name for pam_oath (letters, digits, '.', '_', '-' "
                + "and '@', not starting with '-', no white space or ':', at most " + MAX_LOGIN + " characters)";
    }

    /** Why a token of these parameters cannot log in through pam_oath, or null. */
    static String paramsProblem(SeedParams p, int secretLength) {
        if (p.algorithm() != HashAlgorithm.SHA1) {
            return "pam_oath computes SHA-1 codes only, not " + p.algorithm();
        }
        if (p.type() == OathType.TOTP && p.period() != 30 && p.period() != 60) {
            return "pam_oath takes a 30 or 60 second period only, not " + p.period();
        }
        if (secretLength > MAX_SECRET) {
            return "pam_oath reads secrets of at most " + MAX_SECRET + " bytes, not " + secretLength;
        }
        return null;
    }

    /** Why these tokens cannot go into the file (it is then not written), or null. */
    static String unfit(List<SeedEntry> entries) {
        for (SeedEntry e : entries) {
            String problem = paramsProblem(e.params(), e.secret().length);
            if (problem == null) {
                problem = loginProblem(user(e));
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    static String type(SeedEntry e) {
        if (e.type() == OathType.TOTP) {
            return "HOTP/T" + e.period() + "/" + e.digits();
        }
        return e.digits() == 6 ? "HOTP" : "HOTP/E/" + e.digits();
    }

    static String write(List<SeedEntry> entries) {
        StringBuilder out = new StringBuilder();
        for (SeedEntry e : entries) {
            String user = user(e);
            String problem = loginProblem(user);
            if (problem != null) {
                throw new FleetException(problem);
            }
            out.append(type(e)).append(' ').append(user).append(" - ").append(HexFormat.of().formatHex(e.secret()));
            if (e.type() == OathType.HOTP) {
                out.append(' ').append(e.counter());
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The row's user, which is its account when it names none. */
    private static String user(SeedEntry e) {
        return e.user() == null || e.user().isEmpty() ? e.account() : e.user();
    }
}
