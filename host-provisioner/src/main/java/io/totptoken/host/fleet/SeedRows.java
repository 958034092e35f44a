package io.totptoken.host.fleet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows for {@code --seeds}: each seed file entry goes to the token with its serial. Without a
 * manifest, the entry names the account (PSKC FriendlyName or UserId, privacyIDEA's user, else the
 * serial); with one, each manifest row must name a serial found in the file and takes its seed.
 */
public final class SeedRows {
    private SeedRows() {
    }

    public static List<FleetRow> rows(List<SeedEntry> entries, List<FleetRow> manifest) {
        List<String> problems = new ArrayList<>();
        List<FleetRow> out = new ArrayList<>();
        if (manifest == null) {
            for (int i = 0; i < entries.size(); i++) {
                SeedEntry e = entries.get(i);
                Long serial = serial(e.serial(), "entry " + (i + 1), problems);
                if (serial != null) {
                    String account = e.account() == null || e.account().isBlank() ? e.serial() : e.account();
                    add(out, new FleetRow(i + 1, e.issuer(), account, serial, e.secret().clone(), e.params(),
                            e.user(), e.realm(), e.resolver()), e.user() != null && !e.user().isBlank(),
                            "entry " + (i + 1), problems);
                }
            }
        } else {
            Map<String, SeedEntry> bySerial = new HashMap<>();
            entries.forEach(e -> bySerial.put(e.serial(), e));
            for (FleetRow r : manifest) {
                SeedEntry e = r.serial() == null ? null : bySerial.get(Long.toString(r.serial()));
                if (r.serial() == null) {
                    problems.add("line " + r.line() + ": with --seeds every row needs the serial of its token");
                } else if (r.seed() != null) {
                    problems.add("line " + r.line() + ": the row has a seed and --seeds gives one too");
                } else if (e == null) {
                    problems.add("line " + r.line() + ": the seed file has no entry for serial " + r.serial());
                } else {
                    add(out, new FleetRow(r.line(), r.issuer() != null ? r.issuer() : e.issuer(), r.account(),
                            r.serial(), e.secret().clone(), e.params(), r.user(), r.realm(), r.resolver(), r.upn()), true,
                            "line " + r.line(), problems);
                }
            }
        }
        if (!problems.isEmpty()) {
            out.forEach(r -> java.util.Arrays.fill(r.seed(), (byte) 0));
            throw new ManifestException(problems);
        }
        return out;
    }

    /** Adds the row, or its problems when an output could not hold it (see {@link ServerCsv#problems}). */
    private static void add(List<FleetRow> out, FleetRow row, boolean userGiven, String where, List<String> problems) {
        List<String> unfit = ServerCsv.problems(row, userGiven);
        if (unfit.isEmpty()) {
            out.add(row);
        } else {
            java.util.Arrays.fill(row.seed(), (byte) 0);
            unfit.forEach(p -> problems.add(where + ": " + p));
        }
    }

    private static Long serial(String text, String where, List<String> problems) {
        if (text.length() > 10 || text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || Long.parseLong(text) > Manifest.MAX_SERIAL) {
            problems.add(where + ": serial " + Manifest.quote(text)
                    + " is not a token serial number (0 to " + Manifest.MAX_SERIAL + ")");
            return null;
        }
        return Long.parseLong(text);
    }
}
