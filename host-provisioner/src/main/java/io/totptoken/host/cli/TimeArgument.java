package io.totptoken.host.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** {@code --time}: seconds since 1970 (optionally with a leading '@', as oathtool and date take them) or ISO 8601 with a zone. */
final class TimeArgument {
    private TimeArgument() {
    }

    static Instant parse(String text) {
        return parse(text, "--time");
    }

    /** @param what the option or parameter, for the message */
    static Instant parse(String text, String what) {
        String t = text.strip();
        String digits = t.startsWith("@") ? t.substring(1) : t;
        if (!digits.isEmpty() && digits.length() <= 15 && digits.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochSecond(Long.parseLong(digits));
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            // not the Z form; try an offset
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException(what + ": '" + (t.length() > 40 ? t.substring(0, 40) + "..." : t)
                    + "' is neither seconds since 1970 nor an ISO 8601 time with a zone (2024-05-01T12:00:00Z)");
        }
    }
}
