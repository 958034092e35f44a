package io.totptoken.host.fleet;

import java.util.ArrayList;
import java.util.List;

/**
 * The manifest check for outputs the admin asked for by name ({@code --entra}, {@code --pam-oath}):
 * without it, a file whose tokens do not all fit is skipped with a note after the run; with it,
 * every row that would not fit is refused before anything is journaled, each with its line.
 */
public final class RequiredOutputs {
    private RequiredOutputs() {
    }

    /**
     * @param defaults the run's type, algorithm, digits and period, for rows a seed file does not set
     * @param where    "line" for manifest rows, "entry" for a seed file's entries
     */
    public static void check(List<FleetRow> rows, SeedParams defaults, boolean entra, boolean pamOath, String where) {
        List<String> problems = new ArrayList<>();
        for (FleetRow row : rows) {
            SeedParams p = row.params() != null ? row.params() : defaults;
            int secret = row.seed() == null ? 0 : row.seed().length;
            List<String> rowProblems = new ArrayList<>();
            if (entra) {
                add(rowProblems, EntraCsv.paramsProblem(p, secret), FleetOutputs.ENTRA);
                if (EntraCsv.upn(row) == null) {
                    rowProblems.add(FleetOutputs.ENTRA + " needs a UPN: give a 'upn' column, or an account that is"
                            + " an e-mail address (not " + Manifest.quote(row.account()) + ")");
                }
            }
            if (pamOath) {
                add(rowProblems, PamOathUsers.paramsProblem(p, secret), FleetOutputs.PAM_OATH);
                add(rowProblems, PamOathUsers.loginProblem(row.user()), FleetOutputs.PAM_OATH);
            }
            rowProblems.forEach(problem -> problems.add(where + " " + row.line() + ": " + problem));
        }
        if (!problems.isEmpty()) {
            rows.forEach(r -> { if (r.seed() != null) { java.util.Arrays.fill(r.seed(), (byte) 0); } });
            throw new ManifestException(problems);
        }
    }

    private static void add(List<String> problems, String problem, String file) {
        if (problem != null) {
            problems.add(file + ": " + problem);
        }
    }
}
