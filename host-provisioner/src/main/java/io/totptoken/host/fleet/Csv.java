package io.totptoken.host.fleet;

import java.util.ArrayList;
import java.util.List;

/**
 * The CSV of RFC 4180 as spreadsheets write it: comma-separated, fields optionally in double
 * quotes with "" for a quote inside. Server import files are written without quotes (their
 * readers split on commas), so {@link #field} refuses what would need them there.
 *
 * <p>A spreadsheet runs a cell that starts with {@code = + - @}, a tab or a carriage return as a
 * formula ({@code =HYPERLINK(...)}, OWASP's "CSV injection"). OWASP's advice, a single quote in
 * front, suits the report, which people open; a server importing its CSV would keep the quote as
 * part of the user name, so server import fields that start so are refused instead, at manifest
 * check, before anything is journaled.
 */
final class Csv {
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private Csv() {
    }

    /** Whether a spreadsheet would take the cell for a formula. */
    static boolean looksLikeFormula(String value) {
        return value != null && !value.isEmpty() && FORMULA_STARTS.indexOf(value.charAt(0)) >= 0;
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

    /** A field for a report: a quote in front of what looks like a formula, and quoted when it holds a comma, quote or line break. */
    static String quoted(String value) {
        if (value == null) {
            return "";
        }
        if (looksLikeFormula(value)) {
            value = "'" + value;
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /** A field for a server import file, whose readers split on every comma: no quoting possible. */
    static String field(String what, String value) {
        String problem = serverFieldProblem(what, value);
        if (problem != null) {
            throw new FleetException(problem);
        }
        return value == null ? "" : value;
    }

    /** Why {@code value} cannot be a field of a server import file, or null when it can. */
    static String serverFieldProblem(String what, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '\n' || c == '\r' || c == '"') {
                return what + " " + Manifest.quote(value)
                        + " contains a comma, quote or line break, which server CSV imports cannot hold";
            }
        }
        if (looksLikeFormula(value)) {
            return what + " " + Manifest.quote(value) + " starts with '=', '+', '-', '@' or a tab, which a spreadsheet"
                    + " opening the server CSV would run as a formula";
        }
        return null;
    }
}
