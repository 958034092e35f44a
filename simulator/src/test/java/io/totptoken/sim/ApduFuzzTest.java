package io.totptoken.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.totptoken.conformance.CardClient;
import io.totptoken.conformance.Passwords;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of the applet's APDU input. A token holding known credentials
 * and a password takes a sequence of fuzzed commands, shaped enough (class, instruction,
 * TLVs naming real credentials) to get past the first checks. Every answer must be an
 * ISO status word, never an exception (6F00), and no answer may carry 8 bytes in a row
 * of the stored key material.
 *
 * <p>Without JAZZER_FUZZ the seeds in ApduFuzzTestInputs run as a regression test; with
 * JAZZER_FUZZ=1 it fuzzes for maxDuration; `./fuzz.sh MINUTES` fuzzes on, session after session.
 */
@Tag("slow")
class ApduFuzzTest {
    private static final int[] INS = {0x01, 0x02, 0x03, 0x04, 0x05, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xE1};
    private static final int[] TAGS = {0x71, 0x73, 0x74, 0x75, 0x78, 0x7A, 0xD1, 0x79, 0x00, 0xFF};
    private static final byte[][] NAMES = {"totp".getBytes(), "hotp".getBytes(), "big".getBytes(), "touch".getBytes()};

    /** One token for the whole run, reset and provisioned again for every input. */
    private static final SimulatedToken TOKEN =
            new SimulatedToken(SimulatedToken.Config.defaults().withSlots(8).withButton(true, 0));

    @FuzzTest(maxDuration = "15s")
    void apduSequences(FuzzedDataProvider data) {
        run(data, false);
    }

    /**
     * The same, with every command in extended-length form (ISO 7816-4: 00, a two-byte Lc, the
     * data, an optional two-byte Le), Lc sometimes disagreeing with the data that follows, and
     * bodies up to a kilobyte: jCardSim's APDU buffer is longer than 32,767 bytes, so lengths the
     * applet reads must come from the APDU object, never from the buffer's size.
     */
    @FuzzTest(maxDuration = "15s")
    void extendedApdus(FuzzedDataProvider data) {
        run(data, true);
    }

    private static void run(FuzzedDataProvider data, boolean extended) {
        SimulatedToken token = TOKEN;
        token.powerCycle();
        CardClient c = new CardClient(token::transmit);
        c.select().ok();
        c.send(CardClient.INS_RESET, 0xDE, 0xAD, new byte[0]).ok();
        c.select().ok();
        c.put("totp", CardClient.TOTP | 1, 6, bytes(20, 1)).ok();
        c.send(CardClient.INS_PUT, 0, 0, CardClient.putData("hotp", CardClient.HOTP | 2, 8, bytes(32, 2), 0, new byte[] {0, 0, 0, 3})).ok();
        c.put("big", CardClient.TOTP | 3, 7, bytes(128, 3)).ok();
        c.send(CardClient.INS_PUT, 0, 0, CardClient.putData("touch", CardClient.TOTP | 1, 6, bytes(14, 4), 2, null)).ok();
        if (data.consumeBoolean()) {
            c.send(CardClient.INS_SET_CODE, 0, 0, Passwords.setCodeData(bytes(16, 5))).ok();
        }
        Set<String> secrets = secretWindows(token);
        int commands = data.consumeInt(1, 12);
        for (int i = 0; i < commands && data.remainingBytes() > 0; i++) {
            byte[] apdu = extended ? nextExtendedApdu(data) : nextApdu(data);
            byte[] response;
            try {
                response = token.transmit(apdu);
            } catch (RuntimeException e) {
                throw new AssertionError("transmit threw for " + hex(apdu), e);
            }
            int sw = ((response[response.length - 2] & 0xFF) << 8) | (response[response.length - 1] & 0xFF);
            if (sw == 0x6F00 || !(sw == 0x9000 || (sw >> 8) == 0x61 || (sw >> 8) == 0x67
                    || MalformedApduTest.ISO_ERRORS.contains(sw) || sw == 0x6A82)) {
                fail(String.format("SW %04X for %s", sw, hex(apdu)));
            }
            for (int at = 0; at + 8 <= response.length - 2; at++) {
                assertTrue(!secrets.contains(hex(java.util.Arrays.copyOfRange(response, at, at + 8))),
                        "key material in the answer to " + hex(apdu));
            }
        }
        // Whatever came before, the token still answers a well-formed command.
        c.select().ok();
    }

    private static byte[] nextExtendedApdu(FuzzedDataProvider data) {
        byte[] shaped = nextApdu(data);
        int header = 4;
        byte[] body;
        if (shaped.length <= header) {
            body = new byte[0];
        } else if (shaped[4] == 0 && shaped.length >= 7) {
            body = java.util.Arrays.copyOfRange(shaped, 7, shaped.length); // already extended
        } else {
            body = java.util.Arrays.copyOfRange(shaped, 5, shaped.length);
        }
        if (data.consumeInt(0, 3) == 0) {
            body = java.util.Arrays.copyOf(body, body.length + data.consumeInt(0, 1024)); // a long body
        }
        int lc = data.consumeInt(0, 4) == 0 ? data.consumeInt(0, 0xFFFF) : body.length;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(shaped, 0, Math.min(header, shaped.length));
        while (out.size() < header) {
            out.write(0);
        }
        out.write(0);
        out.write(lc >> 8);
        out.write(lc);
        out.writeBytes(body);
        if (data.consumeBoolean()) {
            int le = data.consumeInt(0, 0xFFFF);
            out.write(le >> 8);
            out.write(le);
        }
        return out.toByteArray();
    }

    private static byte[] nextApdu(FuzzedDataProvider data) {
        int shape = data.consumeInt(0, 9);
        if (shape == 0) {
            return data.consumeBytes(data.consumeInt(0, 300));
        }
        int cla = shape == 1 ? data.consumeByte() & 0xFF : 0;
        int ins = shape == 2 ? data.consumeByte() & 0xFF : INS[data.consumeInt(0, INS.length - 1)];
        int p1 = data.consumeInt(0, 3) == 0 ? data.consumeByte() & 0xFF : (ins == 0x04 ? 0xDE : 0);
        int p2 = data.consumeInt(0, 3) == 0 ? data.consumeByte() & 0xFF : (ins == 0x04 ? 0xAD : data.consumeInt(0, 1));
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        int tlvs = data.consumeInt(0, 4);
        for (int t = 0; t < tlvs; t++) {
            int tag = TAGS[data.consumeInt(0, TAGS.length - 1)];
            byte[] value = data.consumeBoolean() ? NAMES[data.consumeInt(0, NAMES.length - 1)]
                    : data.consumeBytes(data.consumeInt(0, 140));
            body.write(tag);
            if (data.consumeBoolean()) {
                body.write(data.consumeByte());
            } else if (value.length > 127) {
                body.write(0x81);
                body.write(value.length);
            } else {
                body.write(value.length);
            }
            body.writeBytes(value);
        }
        return CardClient.apdu(cla, ins, p1, p2, body.toByteArray());
    }

    /** Every 8-byte window of the stored key material and password. */
    private static Set<String> secretWindows(SimulatedToken token) {
        Set<String> windows = new HashSet<>();
        byte[] records = token.persistentBytes("records");
        for (int at = 84; at + 64 <= records.length; at += 148) {
            addWindows(windows, records, at, 64);
        }
        byte[] banks = token.persistentBytes("banks");
        addWindows(windows, banks, 12, 64);
        addWindows(windows, banks, 76 + 12, 64);
        return windows;
    }

    private static void addWindows(Set<String> windows, byte[] b, int off, int len) {
        for (int i = off; i + 8 <= off + len; i++) {
            boolean zero = true;
            for (int j = i; j < i + 8; j++) {
                zero &= b[j] == 0;
            }
            if (!zero) {
                windows.add(hex(java.util.Arrays.copyOfRange(b, i, i + 8)));
            }
        }
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 71 + i * 13 + 5);
        }
        return b;
    }
}
