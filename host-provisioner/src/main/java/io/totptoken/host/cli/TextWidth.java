package io.totptoken.host.cli;

/**
 * How many terminal columns a string takes, to line up columns of names: combining marks take
 * none, East Asian wide and fullwidth characters and emoji two, everything else one (wcwidth's
 * rules, for the ranges names hold in practice).
 */
final class TextWidth {
    /** First and last code points of the wide ranges (Unicode's East Asian Width W and F, and emoji). */
    private static final int[] WIDE = {
        0x1100, 0x115F, 0x2E80, 0x303E, 0x3041, 0x33FF, 0x3400, 0x4DBF, 0x4E00, 0x9FFF, 0xA000, 0xA4CF,
        0xAC00, 0xD7A3, 0xF900, 0xFAFF, 0xFE30, 0xFE4F, 0xFF00, 0xFF60, 0xFFE0, 0xFFE6,
        0x1F300, 0x1F64F, 0x1F900, 0x1F9FF, 0x20000, 0x2FFFD, 0x30000, 0x3FFFD};

    private TextWidth() {
    }

    static int of(String s) {
        int width = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            width += of(cp);
        }
        return width;
    }

    private static int of(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || type == Character.CONTROL) {
            return 0;
        }
        for (int i = 0; i < WIDE.length; i += 2) {
            if (cp >= WIDE[i] && cp <= WIDE[i + 1]) {
                return 2;
            }
        }
        return 1;
    }

    /** {@code s} followed by spaces up to {@code width} columns. */
    static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - of(s)));
    }
}
