package io.totptoken.host.cli;

import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.OathType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * On a terminal, before an import writes anything: what will be added (never a secret), and one
 * question for all of it. Printed on stderr, as prompts are, so stdout stays the codes.
 */
final class ImportPreview {
    private static final String[] HEADER = {"ISSUER", "ACCOUNT", "TYPE", "ALGORITHM", "DIGITS", "PERIOD"};

    private ImportPreview() {
    }

    /** Whether the person said yes; on no, "Nothing was changed." was said. */
    static boolean confirmed(Invocation run, Terminal t, List<CredentialSpec> specs, String tokens) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (CredentialSpec s : specs) {
            rows.add(new String[] {s.issuer() == null ? "-" : s.issuer(), s.account(), s.type().name(),
                s.algorithm().name(), String.valueOf(s.digits()),
                s.type() == OathType.TOTP ? s.period() + "s" : "counter " + s.counter()});
        }
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], TextWidth.of(row[i]));
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                line.append(Failures.oneLine(row[i]));
                if (i < row.length - 1) {
                    line.append(" ".repeat(width[i] - TextWidth.of(row[i]) + 2));
                }
            }
            run.note(line.toString().stripTrailing());
        }
        String answer = t.readLine("Add " + specs.size() + (specs.size() == 1 ? " account" : " accounts") + " to "
                + tokens + "? [y/N] ");
        if (answer != null && answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
            return true;
        }
        run.note("Nothing was changed.");
        return false;
    }
}
