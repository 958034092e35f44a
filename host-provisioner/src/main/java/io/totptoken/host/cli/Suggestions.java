package io.totptoken.host.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean ...?" for a mistyped command or option: the names within a small edit distance
 * (a typed letter wrong, missing, extra, or two swapped: optimal string alignment distance, as
 * git and cargo use), or that begin with what was typed. Picocli's own suggestions compare letter
 * pairs, which misses swapped letters ({@code lsit} shares no pair with {@code list}).
 */
final class Suggestions {
    private Suggestions() {
    }

    /** The candidates close to {@code typed}, closest first (names it begins last). */
    static List<String> similar(String typed, Collection<String> candidates) {
        String t = typed.toLowerCase(Locale.ROOT);
        int letters = t.replace("-", "").length();
        int allowed = letters <= 4 ? 1 : 2;
        List<String> out = new ArrayList<>();
        List<Integer> scores = new ArrayList<>();
        for (String c : candidates) {
            String lc = c.toLowerCase(Locale.ROOT);
            int d = distance(t, lc);
            int score = d == 0 || out.contains(c) ? -1 : d <= allowed ? d : letters >= 2 && lc.startsWith(t) ? allowed + 1 : -1;
            if (score >= 0) {
                int at = 0;
                while (at < scores.size() && scores.get(at) <= score) {
                    at++;
                }
                out.add(at, c);
                scores.add(at, score);
            }
        }
        return out;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
