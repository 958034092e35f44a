package io.totptoken.host.fleet;

import io.totptoken.host.fleet.JournalRecord.Assigned;
import io.totptoken.host.fleet.JournalRecord.Failed;
import io.totptoken.host.fleet.JournalRecord.Header;
import io.totptoken.host.fleet.JournalRecord.Refused;
import io.totptoken.host.fleet.JournalRecord.Released;
import io.totptoken.host.fleet.JournalRecord.Verified;
import io.totptoken.host.fleet.JournalRecord.Written;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Journal records to lines and back (the format of docs/fleet.md). A line is the record's kind
 * letter and its fields, tab-separated and percent-escaped (tab, newline, CR and {@code %}), then
 * a tab, the CRC-32 of what precedes it in 8 hex digits, and a newline. The CRC tells a torn write
 * (which {@link Journal} drops at the end of the file) from an intact line; an intact line that is
 * not a record (an unknown kind, too few or too many fields, a bad number) is damage, refused with
 * its line number.
 */
final class JournalCodec {
    private static final int CRC_DIGITS = 8;

    private JournalCodec() {
    }

    /** The whole line for {@code record}, newline included. */
    static byte[] encode(JournalRecord record) {
        return frame(fields(record));
    }

    /**
     * The record on one line (without its newline), strictly: a line whose CRC does not match is
     * refused too.
     */
    static JournalRecord decode(byte[] line, int lineNumber) {
        List<String> fields = unframe(line, 0, line.length, lineNumber);
        if (fields == null) {
            throw damaged(lineNumber, "its checksum does not match");
        }
        return parse(fields, lineNumber);
    }

    private static List<String> fields(JournalRecord record) {
        if (record instanceof Header h) {
            return List.of("H", h.version(), h.run());
        } else if (record instanceof Assigned a) {
            SeedParams p = a.params();
            List<String> f = new java.util.ArrayList<>(Arrays.asList("A", Long.toString(a.serial()), Integer.toString(a.line()), p.type().name(),
                    p.algorithm().name(), Integer.toString(p.digits()), Integer.toString(p.period()),
                    Long.toString(p.counter()), flag(a.touch()), a.issuer(), a.account(), a.user(), a.realm(),
                    a.resolver(), HexFormat.of().formatHex(a.seed())));
            if (!a.upn().isEmpty()) {
                f.add(a.upn()); // a 15th field only then: lines without one are as before
            }
            return f;
        } else if (record instanceof Written w) {
            return List.of("W", Long.toString(w.serial()));
        } else if (record instanceof Verified v) {
            return Arrays.asList("V", Long.toString(v.serial()), v.code(), Long.toString(v.moving()),
                    Long.toString(v.checkedAt()), Long.toString(v.nextCounter()));
        } else if (record instanceof Failed f) {
            return Arrays.asList("F", Long.toString(f.serial()), f.reason());
        } else if (record instanceof Released x) {
            return Arrays.asList("X", Long.toString(x.serial()), x.reason(), flag(x.keepSeed()));
        } else if (record instanceof Refused n) {
            return Arrays.asList("N", Long.toString(n.serial()), n.reason());
        }
        throw new IllegalArgumentException("not a journal record: " + record);
    }

    private static String flag(boolean b) {
        return b ? "1" : "0";
    }

    /** The record the fields of an intact line hold, or the damage at {@code lineNumber}. */
    static JournalRecord parse(List<String> fields, int lineNumber) {
        String kind = fields.get(0);
        Fields f = new Fields(fields, lineNumber);
        f.expect(switch (kind) {
            case "W" -> 1;
            case "H", "F", "N" -> 2;
            case "X" -> 3;
            case "V" -> 5;
            case "A" -> fields.size() == 16 ? 15 : 14; // with a UPN, or without
            default -> throw damaged(lineNumber, "no record kind is \"" + printable(kind) + "\"");
        });
        return switch (kind) {
            case "H" -> new Header(f.text(), f.text());
            case "A" -> new Assigned(f.serial(), f.integer("row line"), new SeedParams(f.oathType(), f.algorithm(),
                    f.integer("digits"), f.integer("period"), f.number("counter")), f.flag("touch"), f.issuer(),
                    f.text(), f.text(), f.text(), f.text(), f.seed(), fields.size() == 16 ? f.text() : "");
            case "W" -> new Written(f.serial());
            case "V" -> new Verified(f.serial(), f.text(), f.number("time step or counter"), f.number("time"),
                    f.number("next counter"));
            case "F" -> new Failed(f.serial(), f.text());
            case "X" -> new Released(f.serial(), f.text(), f.flag("keep-seed"));
            default -> new Refused(f.serial(), f.text());
        };
    }

    /** The fields of a line's record, in order; reads them strictly, naming what is wrong. */
    private static final class Fields {
        private final List<String> fields;
        private final int lineNumber;
        private int next = 1;

        Fields(List<String> fields, int lineNumber) {
            this.fields = fields;
            this.lineNumber = lineNumber;
        }

        /** Refuses a record with too few or too many fields. */
        void expect(int count) {
            int got = fields.size() - 1;
            if (got != count) {
                throw damaged(lineNumber, (got < count ? "too few" : "too many") + " fields for a record of kind "
                        + fields.get(0) + " (" + got + ", not " + count + ")");
            }
        }

        String text() {
            return fields.get(next++);
        }

        String issuer() {
            String s = text();
            return s.isEmpty() ? null : s;
        }

        long serial() {
            return number("serial");
        }

        long number(String what) {
            String s = text();
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw bad(what, "is not a number");
            }
        }

        int integer(String what) {
            long n = number(what);
            if (n != (int) n) {
                throw bad(what, "is out of range");
            }
            return (int) n;
        }

        boolean flag(String what) {
            return switch (text()) {
                case "1" -> true;
                case "0" -> false;
                default -> throw bad(what, "is neither 0 nor 1");
            };
        }

        OathType oathType() {
            String s = text();
            for (OathType t : OathType.values()) {
                if (t.name().equals(s)) {
                    return t;
                }
            }
            throw bad("type", "is neither TOTP nor HOTP");
        }

        HashAlgorithm algorithm() {
            String s = text();
            for (HashAlgorithm a : HashAlgorithm.values()) {
                if (a.name().equals(s)) {
                    return a;
                }
            }
            throw bad("algorithm", "is not a hash algorithm");
        }

        /** The seed in hex; a bad one is not quoted (it is a secret). */
        byte[] seed() {
            String s = text();
            try {
                byte[] seed = HexFormat.of().parseHex(s);
                if (seed.length > 0) {
                    return seed;
                }
            } catch (IllegalArgumentException e) {
                // below
            }
            throw bad("seed", "is not hex");
        }

        private FleetException bad(String what, String why) {
            return damaged(lineNumber, "field " + (next - 1) + " (" + what + ") of the " + fields.get(0)
                    + " record " + why);
        }
    }

    /** Damage in an intact line: one line, naming it. */
    static FleetException damaged(int lineNumber, String why) {
        return new FleetException("the journal is damaged at line " + lineNumber + ": " + why
                + "; it was changed by something other than tokenctl");
    }

    /** A kind for a message: what the file says, cut short and without control characters. */
    private static String printable(String s) {
        String cut = s.length() > 16 ? s.substring(0, 16) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** Fields to a line: escaped, tab-separated, the CRC-32, a newline. */
    static byte[] frame(List<String> fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append('\t');
            }
            escape(line, fields.get(i) == null ? "" : fields.get(i));
        }
        CRC32 crc = new CRC32();
        byte[] body = line.toString().getBytes(StandardCharsets.UTF_8);
        crc.update(body);
        line.append('\t').append(String.format("%08x", crc.getValue())).append('\n');
        Arrays.fill(body, (byte) 0);
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The fields of the line in {@code content[from, to)} (no newline), or null when its CRC does
     * not match: a torn write or a changed line. A line whose CRC matches but whose text cannot be
     * a line of fields is damage at {@code lineNumber}.
     */
    static List<String> unframe(byte[] content, int from, int to, int lineNumber) {
        int tab = to - CRC_DIGITS - 1;
        if (tab < from || content[tab] != '\t') {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(content, from, tab - from);
        String expected = String.format("%08x", crc.getValue());
        if (!expected.equals(new String(content, tab + 1, CRC_DIGITS, StandardCharsets.ISO_8859_1))) {
            return null;
        }
        String body;
        try {
            body = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content, from, tab - from)).toString();
        } catch (CharacterCodingException e) {
            throw damaged(lineNumber, "it is not UTF-8 text");
        }
        List<String> fields = new ArrayList<>();
        for (String f : body.split("\t", -1)) {
            fields.add(unescape(f, lineNumber));
        }
        return fields;
    }

    private static void escape(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '%' -> out.append("%25");
                case '\t' -> out.append("%09");
                case '\n' -> out.append("%0A");
                case '\r' -> out.append("%0D");
                default -> out.append(c);
            }
        }
    }

    private static String unescape(String s, int lineNumber) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 2 >= s.length() || !HexFormat.isHexDigit(s.charAt(i + 1))
                    || !HexFormat.isHexDigit(s.charAt(i + 2))) {
                throw damaged(lineNumber, "a % is not followed by two hex digits");
            }
            out.append((char) HexFormat.fromHexDigits(s, i + 1, i + 3));
            i += 2;
        }
        return out.toString();
    }
}
