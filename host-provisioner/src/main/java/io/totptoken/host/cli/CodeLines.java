package io.totptoken.host.cli;

import io.totptoken.host.provisioning.AccountCode;
import io.totptoken.host.provisioning.Accounts;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a code line says how long its code is valid, for {@code accounts code} and {@code accounts add}.
 * A line starts {@code NAME  CODE}, so that its first two whitespace-separated fields stay the
 * name and the code; what follows is for people.
 */
final class CodeLines {
    /** With fewer seconds left than this, there is no time to type the code: the next one is shown too. */
    static final int SHOW_NEXT_BELOW = 5;

    private CodeLines() {
    }

    /**
     * The next code of each code about to expire, null for the others (and for touch and HOTP
     * accounts); the token is asked only when some code is about to expire.
     */
    static List<AccountCode> nextWhenEnding(Accounts accounts, List<AccountCode> codes, Instant at) {
        List<AccountCode> ending = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            AccountCode c = codes.get(i);
            if (c != null && c.code() != null && c.validTo() != null && !c.touch() && c.secondsLeft(at) < SHOW_NEXT_BELOW) {
                ending.add(c);
                where.add(i);
            }
        }
        List<AccountCode> next = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            next.add(null);
        }
        if (!ending.isEmpty()) {
            List<AccountCode> following = accounts.following(ending);
            for (int i = 0; i < ending.size(); i++) {
                next.set(where.get(i), following.get(i));
            }
        }
        return next;
    }

    /** {@code  (N s left)}, and {@code  next: CODE (valid in N s)} when there is a next code. */
    static void appendSecondsLeft(StringBuilder line, AccountCode code, AccountCode next, Instant at) {
        line.append("  (").append(code.secondsLeft(at)).append(" s left)");
        if (next != null) {
            line.append("  next: ").append(next.code()).append(" (valid in ").append(validIn(next, at)).append(" s)");
        }
    }

    /** For a code of a later time step: {@code  (valid from 12:00:30 to 12:01:00, in 3 s)}, local time. */
    static void appendWindow(StringBuilder line, AccountCode code, Instant at, ZoneId zone) {
        line.append("  (valid from ").append(localTime(code.validFrom(), at, zone)).append(" to ")
                .append(localTime(code.validTo(), at, zone)).append(", in ").append(validIn(code, at)).append(" s)");
    }

    /** Whole seconds from {@code at} until the code becomes valid; 0 when it already is. */
    static long validIn(AccountCode code, Instant at) {
        return Math.max(0, code.validFrom().getEpochSecond() - at.getEpochSecond());
    }

    /** The JSON fields of a next code. */
    static Map<String, Object> json(AccountCode next, Instant at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", next.code());
        m.put("valid_from", next.validFrom().getEpochSecond());
        m.put("valid_to", next.validTo().getEpochSecond());
        m.put("valid_in", validIn(next, at));
        return m;
    }

    /** HH:MM:SS in the zone; with the date in front when it is not the day of {@code at}. */
    static String localTime(Instant t, Instant at, ZoneId zone) {
        LocalDateTime local = LocalDateTime.ofInstant(t, zone);
        // By hand: DateTimeFormatter and String.format load many classes on every start-up.
        StringBuilder b = new StringBuilder();
        if (!local.toLocalDate().equals(LocalDateTime.ofInstant(at, zone).toLocalDate())) {
            b.append(local.toLocalDate()).append(' ');
        }
        return b.append(two(local.getHour())).append(':').append(two(local.getMinute())).append(':')
                .append(two(local.getSecond())).toString();
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
