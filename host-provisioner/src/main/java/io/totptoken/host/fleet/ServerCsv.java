package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.InvalidCredentialException;
import io.totptoken.host.provisioning.OathType;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The CSV seed files authentication servers import (REFERENCE section 5):
 * <ul>
 * <li>privacyIDEA OATH CSV: {@code serial, hex seed, type, otplen, timestep} (the fifth column is
 *     the counter for HOTP); its version 2 starts with a line {@code # version: 2} and puts
 *     {@code user, resolver, realm} in front. It has no hash column: privacyIDEA takes SHA-1, so
 *     only SHA-1 tokens can travel this way.</li>
 * <li>LinOTP: {@code serial, key, type, digits, period, hash}.</li>
 * </ul>
 * Their readers split on every comma, so nothing is quoted.
 */
public final class ServerCsv {
    public enum Format { PRIVACYIDEA, PRIVACYIDEA_V2, LINOTP }

    private static final Pattern VERSION = Pattern.compile("^#\\s*version:\\s*(\\d+)\\s*$");

    private ServerCsv() {
    }

    /**
     * Why the row's user, realm or resolver cannot go into privacyIDEA's version 2 file; empty when
     * they can. The user is the account when the row names none, as privacyIDEA's column then repeats it.
     */
    static List<String> problems(FleetRow row, boolean userGiven) {
        List<String> problems = new ArrayList<>();
        for (String problem : new String[] {
            Csv.serverFieldProblem(userGiven ? "user" : "account (the user, as none is given)", row.user()),
            Csv.serverFieldProblem("realm", row.realm()), Csv.serverFieldProblem("resolver", row.resolver())}) {
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }

    public static String write(Format format, List<SeedEntry> entries) {
        StringBuilder out = new StringBuilder();
        if (format == Format.PRIVACYIDEA_V2) {
            out.append("# version: 2\n");
        }
        for (SeedEntry e : entries) {
            String serial = Csv.field("serial", e.serial());
            String hex = HexFormat.of().formatHex(e.secret());
            String type = e.type().name().toLowerCase(Locale.ROOT);
            String fifth = Long.toString(e.type() == OathType.HOTP ? e.counter() : e.period());
            switch (format) {
                case PRIVACYIDEA -> out.append(String.join(",", serial, hex, type, Integer.toString(e.digits()), fifth));
                case PRIVACYIDEA_V2 -> out.append(String.join(",", Csv.field("user", e.user()),
                        Csv.field("resolver", e.resolver()), Csv.field("realm", e.realm()),
                        serial, hex, type, Integer.toString(e.digits()), fifth));
                case LINOTP -> out.append(String.join(",", serial, hex, type, Integer.toString(e.digits()),
                        Integer.toString(e.period()), e.algorithm().name().toLowerCase(Locale.ROOT)));
                default -> throw new IllegalArgumentException();
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Which CSV layout the text is in: the version line, else six columns ending in a hash name for LinOTP. */
    static Format detect(String text) {
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            var m = VERSION.matcher(line.strip());
            if (m.matches()) {
                if (!m.group(1).equals("2")) {
                    throw new FleetException("privacyIDEA CSV version " + m.group(1) + " is not supported (only 1 and 2)");
                }
                return Format.PRIVACYIDEA_V2;
            }
            if (line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",", -1);
            return f.length == 6 && f[5].strip().toLowerCase(Locale.ROOT).startsWith("sha") ? Format.LINOTP : Format.PRIVACYIDEA;
        }
        throw new FleetException("the seed file is empty");
    }

    /** Reads every row; problems are collected with their line numbers and thrown together. */
    public static List<SeedEntry> read(String text) {
        Format format = detect(text);
        List<SeedEntry> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> f = new ArrayList<>();
            for (String s : line.split(",", -1)) {
                f.add(s.strip());
            }
            try {
                out.add(row(format, f));
            } catch (InvalidCredentialException | NumberFormatException | FleetException e) {
                problems.add("line " + (i + 1) + ": " + (e instanceof NumberFormatException
                        ? "a number column is not a number" : e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            out.forEach(e -> java.util.Arrays.fill(e.secret(), (byte) 0));
            throw new ManifestException(problems);
        }
        return out;
    }

    private static SeedEntry row(Format format, List<String> f) {
        String user = "";
        String resolver = "";
        String realm = "";
        if (format == Format.PRIVACYIDEA_V2) {
            if (f.size() < 5) {
                throw new FleetException("a version 2 row needs user, resolver, realm, serial and seed");
            }
            user = f.remove(0);
            resolver = f.remove(0);
            realm = f.remove(0);
        }
        if (f.size() < 2 || f.get(0).isEmpty() || f.get(1).isEmpty()) {
            throw new FleetException("a row needs a serial and a hex seed");
        }
        String serial = f.get(0);
        String hex = f.get(1);
        if (hex.length() % 2 != 0 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new FleetException("the seed is not hex");
        }
        byte[] secret = HexFormat.of().parseHex(hex);
        OathType type = f.size() > 2 && !f.get(2).isEmpty() ? OathType.fromName(f.get(2)) : OathType.HOTP;
        int digits = f.size() > 3 && !f.get(3).isEmpty() ? Integer.parseInt(f.get(3)) : 6;
        int period = 30;
        long counter = 0;
        HashAlgorithm hash = HashAlgorithm.SHA1;
        if (f.size() > 4 && !f.get(4).isEmpty()) {
            if (format == Format.LINOTP || type == OathType.TOTP) {
                period = Integer.parseInt(f.get(4));
            } else {
                counter = Long.parseLong(f.get(4));
            }
        }
        if (format == Format.LINOTP && f.size() > 5 && !f.get(5).isEmpty()) {
            hash = HashAlgorithm.fromName(f.get(5));
        }
        SeedEntry entry = new SeedEntry(serial, type, hash, digits, period, counter, null, user.isEmpty() ? serial : user,
                user, realm, resolver, secret);
        entry.spec(); // refuses what the token cannot take: digits, period, counter, name length, empty seed
        return entry;
    }
}
