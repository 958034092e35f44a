package io.totptoken.host.fleet;

import java.util.ArrayList;
import java.util.List;

/**
 * The CSV of RFC 4180 as spreadsheets write it: comma-separated, fields optionally in double
 * quotes with "" for a quote inside. Server import files are written without quotes (their
 * readers split on commas), so {@link #field} refuses what would need them there.
 */
final class Csv {
    private Csv() {
    }

    /** Splits one line; null when a quoted field is not closed (the caller names the line). */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == ',') {
                out.add(wasQuoted ? field.toString() : field.toString().strip());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && field.toString().isBlank()) {
                field.setLength(0);
                quoted = true;
                wasQuoted = true;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        out.add(wasQuoted ? field.toString() : field.toString().strip());
        return out;
    }

    /** A field for a report: quoted when it holds a comma, quote or line break. */
    static String quoted(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /** A field for a server import file, whose readers split on every comma: no quoting possible. */
    static String field(String what, String value) {
        if (value == null) {
            return "";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '\n' || c == '\r' || c == '"') {
                throw new FleetException(what + " " + value.replaceAll("\\p{Cntrl}", "?")
                        + " contains a comma, quote or line break, which server CSV imports cannot hold");
            }
        }
        return value;
    }
}
