package io.totptoken.sim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keyfob's firmware: its button and display, working the token through APDUs as the
 * device's microcontroller does. A press shows the selected credential's code computed from
 * the device's own clock; a long press selects the next credential first.
 */
public final class Keyfob {
    /**
     * What the display shows: a code with its issuer, account and seconds left, or a message
     * ("no credentials", "no clock on this device"). Its one-line form ({@link #toString()}) is
     * what a device sends over the serial link, read back by {@link #parse(String)}.
     *
     * @param secondsLeft 0 when the device did not say (an HOTP credential)
     */
    public record Display(String issuer, String account, String code, long secondsLeft, String message) {
        /** The display line: {@code ISSUER  ACCOUNT  CODE  (N s left)}, issuer and seconds optional. */
        private static final Pattern LINE = Pattern.compile("(?:(.+?)  )?(.+?)  (\\d{6,10})(?:  \\((\\d{1,10}) s left\\))?");

        static Display message(String text) {
            return new Display(null, null, null, 0, text);
        }

        /** Reads a display line that came over the serial link; any other text is a message. */
        public static Display parse(String text) {
            Matcher m = LINE.matcher(text.strip());
            if (!m.matches()) {
                return message(text.strip());
            }
            return new Display(m.group(1), m.group(2), m.group(3), m.group(4) == null ? 0 : Long.parseLong(m.group(4)),
                    null);
        }

        @Override
        public String toString() {
            if (code == null) {
                return message;
            }
            String who = issuer == null ? account : issuer + "  " + account;
            return secondsLeft > 0 ? who + "  " + code + "  (" + secondsLeft + " s left)" : who + "  " + code;
        }
    }

    private static final byte[] SELECT = {0x00, (byte) 0xA4, 0x04, 0x00, 0x07,
        (byte) 0xA0, 0x00, 0x00, 0x05, 0x27, 0x21, 0x01};
    private static final byte[] LIST = {0x00, (byte) 0xA1, 0x00, 0x00};
    private static final byte[] SEND_REMAINING = {0x00, (byte) 0xA5, 0x00, 0x00};
    private static final byte[] GET_CLOCK = {0x00, (byte) 0xE2, 0x00, 0x00};

    private final SimulatedToken token;

    public Keyfob(SimulatedToken token) {
        this.token = token;
    }

    public Display press() {
        return show(false);
    }

    public Display longPress() {
        return show(true);
    }

    private Display show(boolean next) {
        // Selecting again ends any host session's unlocked state (YKOATH: valid until
        // deselect), as a real keyfob sharing its secure element would; no power cycle, so a
        // host's link stays up.
        if (sw(token.transmit(SELECT)) != 0x9000) {
            return Display.message("no OATH application");
        }
        byte[] list = transmitAll(LIST);
        if (sw(list) == 0x6982) {
            return Display.message("locked: unlock it from a computer");
        }
        List<byte[]> names = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i + 2 <= list.length - 2; ) {
            int len = list[i + 1] & 0xFF;
            types.add(list[i + 2] & 0xF0);
            byte[] name = new byte[len - 1];
            System.arraycopy(list, i + 3, name, 0, len - 1);
            names.add(name);
            i += 2 + len;
        }
        if (names.isEmpty()) {
            return Display.message("no credentials");
        }
        int selected = Math.floorMod(token.keyfobSelection() + (next ? 1 : 0), names.size());
        token.keyfobSelection(selected);
        byte[] name = names.get(selected);
        if (token.button() != null) {
            token.button().press(); // this press is the presence a touch credential asks for
        }
        byte[] command = new byte[5 + 2 + name.length];
        command[1] = (byte) 0xA2;
        command[3] = 0x01;
        command[4] = (byte) (2 + name.length);
        command[5] = 0x71;
        command[6] = (byte) name.length;
        System.arraycopy(name, 0, command, 7, name.length);
        byte[] r = token.transmit(command);
        if (token.button() != null) {
            token.button().clear(); // a press the card did not ask for must not count later
        }
        int sw = sw(r);
        if (sw == 0x6A88) {
            return Display.message("no clock on this device");
        }
        if (sw == 0x6985) {
            return Display.message(behindMessage(token.transmit(GET_CLOCK)));
        }
        if (sw != 0x9000 || r.length < 9 || r[0] != 0x76) {
            return Display.message(String.format("error %04X", sw));
        }
        int digits = r[2];
        long value = (((r[3] & 0x7F) << 24) | ((r[4] & 0xFF) << 16) | ((r[5] & 0xFF) << 8) | (r[6] & 0xFF));
        String code = String.format("%0" + digits + "d", value % (long) Math.pow(10, digits));
        long secondsLeft = 0;
        // After 76 (7 bytes) and D3 (10): D5 with 2 bytes, or 4 for a period of 65,536 s or more.
        int leftLen = r.length >= 7 + 10 + 2 ? r[18] : 0;
        if (types.get(selected) == 0x20 && (r[17] & 0xFF) == 0xD5 && (leftLen == 2 || leftLen == 4)
                && r.length >= 19 + leftLen + 2) {
            for (int i = 0; i < leftLen; i++) {
                secondsLeft = (secondsLeft << 8) | (r[19 + i] & 0xFF);
            }
        }
        String text = new String(name, StandardCharsets.UTF_8);
        int slash = text.indexOf('/');
        if (slash > 0 && text.substring(0, slash).chars().allMatch(Character::isDigit)) {
            text = text.substring(slash + 1);
        }
        int colon = text.indexOf(':');
        return colon > 0 ? new Display(text.substring(0, colon), text.substring(colon + 1), code, secondsLeft, null)
                : new Display(null, text, code, secondsLeft, null);
    }

    /**
     * What a refused clock code says: the date of the last code shown (GET CLOCK tag D4) and
     * the two ways out, as the mark never moves back by itself.
     */
    static String behindMessage(byte[] getClock) {
        String when = "";
        if (sw(getClock) == 0x9000 && getClock.length == 20 + 2 && (getClock[10] & 0xFF) == 0xD4) {
            long last = ByteBuffer.wrap(getClock, 12, 8).getLong();
            LocalDate day = LocalDate.ofInstant(Instant.ofEpochSecond(last), ZoneOffset.UTC);
            when = String.format(" (%04d-%02d-%02d)", day.getYear(), day.getMonthValue(), day.getDayOfMonth());
        }
        return "clock is behind the last code shown" + when
                + ": set the clock forward, or tokenctl reset to erase the token and clear the mark";
    }

    private byte[] transmitAll(byte[] command) {
        byte[] r = token.transmit(command);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        while ((r[r.length - 2] & 0xFF) == 0x61) {
            all.write(r, 0, r.length - 2);
            r = token.transmit(SEND_REMAINING);
        }
        all.write(r, 0, r.length);
        return all.toByteArray();
    }

    private static int sw(byte[] r) {
        return ((r[r.length - 2] & 0xFF) << 8) | (r[r.length - 1] & 0xFF);
    }
}
