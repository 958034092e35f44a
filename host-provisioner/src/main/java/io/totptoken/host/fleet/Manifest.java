package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.BoundedFile;
import io.totptoken.host.provisioning.CardName;
import io.totptoken.host.provisioning.InvalidCredentialException;
import io.totptoken.host.provisioning.OathType;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The admin's list of users: CSV with a header row. {@code account} is required; {@code issuer},
 * {@code serial} (the token that must get the row), {@code seed} (hex or base32, see
 * {@link SeedText}), privacyIDEA's {@code user} (also the pam_oath login), {@code realm}, {@code resolver}
 * and Microsoft Entra ID's {@code upn} are optional.
 * Blank lines and lines starting with '#' are skipped.
 *
 * <p>Every problem is collected, each with its line number, before anything is written; a
 * duplicate account (same issuer and account) or serial names both lines. Two identical rows are
 * refused too: they would give one user two tokens, which is rarely what a list means. So is what
 * an output cannot hold (a user, realm or resolver with a comma, or starting like a spreadsheet
 * formula: see {@link Csv}), since the run would otherwise write the token and then fail at the
 * outputs. The file is read up to {@link #MAX_BYTES}.
 */
public final class Manifest {
    static final Set<String> COLUMNS = Set.of("account", "issuer", "serial", "seed", "user", "realm", "resolver",
            "upn");
    static final long MAX_SERIAL = 0xFFFF_FFFFL;
    /** Hundreds of thousands of users; more is not a manifest (it may be /dev/zero). */
    static final int MAX_BYTES = 64 << 20;

    private Manifest() {
    }

    /** Rows in file order; throws {@link ManifestException} listing every bad line. */
    public static List<FleetRow> read(Path file, String defaultIssuer, OathType type, int period) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(BoundedFile.read(file, MAX_BYTES))).toString();
        } catch (BoundedFile.TooLargeException e) {
            throw new ManifestException(List.of("the manifest " + file + " " + e.getMessage()));
        } catch (CharacterCodingException e) {
            throw new ManifestException(List.of(file + " is not UTF-8 text"));
        } catch (IOException e) {
            throw new FleetException("cannot read the manifest " + file + ": " + e.getMessage(), e);
        }
        return parse(text, defaultIssuer, type, period);
    }

    static List<FleetRow> parse(String text, String defaultIssuer, OathType type, int period) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // spreadsheets put a byte order mark in front
        }
        String[] lines = text.split("\r?\n", -1);
        List<String> problems = new ArrayList<>();
        List<FleetRow> rows = new ArrayList<>();
        Map<String, Integer> column = null;
        Map<String, Integer> accounts = new HashMap<>();
        Map<Long, Integer> serials = new HashMap<>();
        for (int i = 0; i < lines.length; i++) {
            int line = i + 1;
            String raw = lines[i];
            if (raw.isBlank() || raw.stripLeading().startsWith("#")) {
                continue;
            }
            List<String> fields = Csv.split(raw);
            if (fields == null) {
                problems.add("line " + line + ": a quoted field is not closed");
                continue;
            }
            if (column == null) {
                column = header(fields, line, problems);
                if (column == null) {
                    break;
                }
                continue;
            }
            if (fields.size() > column.size()) {
                problems.add("line " + line + ": " + fields.size() + " fields but the header has " + column.size());
                continue;
            }
            FleetRow row = row(fields, column, line, defaultIssuer, type, period, problems);
            if (row == null) {
                continue;
            }
            String key = (row.issuer() == null ? defaultIssuer == null ? "" : defaultIssuer : row.issuer())
                    + ":" + row.account();
            Integer first = accounts.putIfAbsent(key, line);
            if (first != null) {
                problems.add("line " + line + ": account " + quote(row.account()) + " is already on line " + first);
                continue;
            }
            if (row.serial() != null) {
                Integer firstSerial = serials.putIfAbsent(row.serial(), line);
                if (firstSerial != null) {
                    problems.add("line " + line + ": serial " + row.serial() + " is already on line " + firstSerial);
                    continue;
                }
            }
            rows.add(row);
        }
        if (column == null && problems.isEmpty()) {
            problems.add("the manifest is empty: it needs a header row with an 'account' column");
        } else if (rows.isEmpty() && problems.isEmpty()) {
            problems.add("the manifest has a header but no rows");
        }
        if (!problems.isEmpty()) {
            rows.forEach(r -> { if (r.seed() != null) { java.util.Arrays.fill(r.seed(), (byte) 0); } });
            throw new ManifestException(problems);
        }
        return rows;
    }

    private static Map<String, Integer> header(List<String> fields, int line, List<String> problems) {
        Map<String, Integer> column = new HashMap<>();
        for (int c = 0; c < fields.size(); c++) {
            String name = fields.get(c).strip().toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(name)) {
                problems.add("line " + line + ": unknown column " + quote(fields.get(c))
                        + " (columns: account, issuer, serial, seed, user, realm, resolver, upn)");
            } else if (column.putIfAbsent(name, c) != null) {
                problems.add("line " + line + ": column '" + name + "' appears twice");
            }
        }
        if (!column.containsKey("account")) {
            problems.add("line " + line + ": the header has no 'account' column");
        }
        return problems.isEmpty() ? column : null;
    }

    private static FleetRow row(List<String> fields, Map<String, Integer> column, int line, String defaultIssuer,
                                OathType type, int period, List<String> problems) {
        String account = get(fields, column, "account");
        String issuer = get(fields, column, "issuer");
        String serialText = get(fields, column, "serial");
        String seedText = get(fields, column, "seed");
        int before = problems.size();
        if (account.isEmpty()) {
            problems.add("line " + line + ": the account is empty");
        }
        Long serial = null;
        if (!serialText.isEmpty()) {
            if (serialText.length() > 10 || !serialText.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                    || Long.parseLong(serialText) > MAX_SERIAL) {
                problems.add("line " + line + ": serial " + quote(serialText)
                        + " is not a token serial number (0 to " + MAX_SERIAL + ")");
            } else {
                serial = Long.parseLong(serialText);
            }
        }
        byte[] seed = null;
        if (!seedText.isEmpty()) {
            try {
                seed = SeedText.decode(seedText);
            } catch (InvalidCredentialException e) {
                problems.add("line " + line + ": " + e.getMessage());
            }
        }
        String effectiveIssuer = issuer.isEmpty() ? defaultIssuer : issuer;
        if (!account.isEmpty()) {
            try {
                CardName.encode(type, period, effectiveIssuer == null || effectiveIssuer.isBlank() ? null
                        : effectiveIssuer.strip(), account);
                if (effectiveIssuer != null && effectiveIssuer.indexOf(':') >= 0) {
                    problems.add("line " + line + ": the issuer must not contain ':'");
                } else if ((effectiveIssuer == null || effectiveIssuer.isBlank()) && account.indexOf(':') >= 0) {
                    problems.add("line " + line + ": account " + quote(account)
                            + " contains ':' but no issuer is given; put the part before ':' in the issuer column");
                } else if (account.chars().anyMatch(Character::isISOControl)) {
                    problems.add("line " + line + ": the account contains a control character");
                }
            } catch (InvalidCredentialException e) {
                problems.add("line " + line + ": " + e.getMessage());
            }
        }
        if (problems.size() > before) {
            if (seed != null) {
                java.util.Arrays.fill(seed, (byte) 0);
            }
            return null;
        }
        String user = get(fields, column, "user");
        FleetRow row = new FleetRow(line, issuer.isEmpty() ? null : issuer, account, serial, seed, null,
                user, get(fields, column, "realm"), get(fields, column, "resolver"), get(fields, column, "upn"));
        List<String> unfit = new ArrayList<>(ServerCsv.problems(row, !user.isEmpty()));
        String upnProblem = row.upn().isEmpty() ? null : EntraCsv.upnProblem(row.upn());
        if (upnProblem != null) {
            unfit.add(upnProblem);
        }
        if (!unfit.isEmpty()) {
            unfit.forEach(p -> problems.add("line " + line + ": " + p));
            if (seed != null) {
                java.util.Arrays.fill(seed, (byte) 0);
            }
            return null;
        }
        return row;
    }

    private static String get(List<String> fields, Map<String, Integer> column, String name) {
        Integer c = column.get(name);
        return c == null || c >= fields.size() ? "" : fields.get(c).strip();
    }

    static String quote(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
