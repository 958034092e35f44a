package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.fleet.JournalRecord.Assigned;
import io.totptoken.host.fleet.JournalRecord.Failed;
import io.totptoken.host.fleet.JournalRecord.Header;
import io.totptoken.host.fleet.JournalRecord.Refused;
import io.totptoken.host.fleet.JournalRecord.Released;
import io.totptoken.host.fleet.JournalRecord.Verified;
import io.totptoken.host.fleet.JournalRecord.Written;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Journal lines and records: every kind round-trips, the lines are those on disk, and damage is refused by line. */
class JournalCodecTest {
    private static final byte[] SEED = HexFormat.of().parseHex("3132333435363738393031323334353637383930");

    private static final List<JournalRecord> EVERY_KIND = List.of(
            new Header("1", "type=TOTP algorithm=SHA1 digits=6 period=30 issuer=null touch=false rows=6 digest=00"),
            new Assigned(10000001L, 2, new SeedParams(OathType.TOTP, HashAlgorithm.SHA1, 6, 30, 0), false, null,
                    "alice@example.com", "alice", "", "", SEED),
            new Assigned(Long.MAX_VALUE, Integer.MAX_VALUE, new SeedParams(OathType.HOTP, HashAlgorithm.SHA512, 8, 60,
                    Long.MAX_VALUE), true, "Corp\tIT", "bob%40example.com", "bob\nsmith", "staff\r", "ldap", SEED),
            new Written(10000001L),
            new Assigned(10000005L, 7, new SeedParams(OathType.TOTP, HashAlgorithm.SHA1, 6, 30, 0), false, null,
                    "carol", "carol", "", "", SEED, "carol@corp.example"),
            new Verified(10000001L, "755224", 56666666L, 1700000000L, 0),
            new Verified(4L, "", 0, 0, Long.MAX_VALUE),
            new Failed(10000002L, "the token was pulled\tat APDU 3 (100% sure)\nretry"),
            new Released(10000003L, "the token refused the PUT", true),
            new Released(10000003L, "released by --force-new-seed", false),
            new Refused(10000004L, "no TOKEN INFO"));

    /** The line without its newline, as the journal reader hands it over. */
    private static byte[] line(JournalRecord r) {
        byte[] l = JournalCodec.encode(r);
        assertEquals('\n', l[l.length - 1]);
        return Arrays.copyOf(l, l.length - 1);
    }

    private static byte[] framed(String... fields) {
        byte[] l = JournalCodec.frame(List.of(fields));
        return Arrays.copyOf(l, l.length - 1);
    }

    @Test
    void everyRecordKindRoundTrips() {
        for (JournalRecord r : EVERY_KIND) {
            assertEquals(r, JournalCodec.decode(line(r), 1));
        }
        Assigned a = (Assigned) JournalCodec.decode(line(EVERY_KIND.get(2)), 1);
        assertArrayEquals(SEED, a.seed());
        assertEquals("Corp\tIT", a.entry().issuer());
        assertNull(((Assigned) JournalCodec.decode(line(EVERY_KIND.get(1)), 1)).issuer(), "no issuer is an empty field");
    }

    @Test
    void eachKindHasItsLetterAndItsFields() {
        List<String> kinds = new ArrayList<>();
        for (JournalRecord r : EVERY_KIND) {
            String text = new String(line(r), StandardCharsets.UTF_8);
            kinds.add(text.substring(0, text.indexOf('\t')) + text.split("\t", -1).length);
        }
        // letter, then the field count: kind + fields + CRC
        // an assignment has a 15th field, its UPN, only when it has one: other lines are as before
        assertEquals(List.of("H4", "A16", "A16", "W3", "A17", "V7", "V7", "F4", "X5", "X5", "N4"), kinds);
        assertEquals("carol@corp.example", ((Assigned) JournalCodec.decode(line(EVERY_KIND.get(4)), 1)).upn());
        assertEquals("", ((Assigned) JournalCodec.decode(line(EVERY_KIND.get(1)), 1)).upn());
    }

    /** Every line of a journal the earlier tokenctl wrote reads back and is written again byte for byte. */
    @Test
    void theLinesOfAnEarlierJournalDecodeAndEncodeToTheSameBytes() throws Exception {
        byte[] sample;
        try (InputStream in = JournalCodecTest.class.getResourceAsStream("journal-v1.log")) {
            sample = in.readAllBytes();
        }
        String[] lines = new String(sample, StandardCharsets.UTF_8).split("\n");
        assertEquals(12, lines.length);
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            JournalRecord r = JournalCodec.decode(lines[i].getBytes(StandardCharsets.UTF_8), i + 1);
            kinds.add(r.getClass().getSimpleName());
            assertEquals(lines[i] + "\n", new String(JournalCodec.encode(r), StandardCharsets.UTF_8));
        }
        assertEquals(List.of("Header", "Assigned", "Written", "Verified", "Assigned", "Written", "Failed", "Assigned",
                "Released", "Refused", "Assigned", "Written"), kinds);
    }

    @Test
    void anAssignmentsSeedIsNotInItsText() {
        assertFalse(EVERY_KIND.get(1).toString().contains("3132"), EVERY_KIND.get(1).toString());
    }

    private static void assertDamagedAtLine7(byte[] line, String why) {
        FleetException e = assertThrows(FleetException.class, () -> JournalCodec.decode(line, 7));
        assertTrue(e.getMessage().startsWith("the journal is damaged at line 7: "), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void tooFewOrTooManyFieldsAreRefusedWithTheLineNumber() {
        assertDamagedAtLine7(framed("W"), "too few fields for a record of kind W (0, not 1)");
        assertDamagedAtLine7(framed("V", "5", "123456", "1", "2"), "too few fields for a record of kind V (4, not 5)");
        assertDamagedAtLine7(framed("W", "5", "6"), "too many fields for a record of kind W (2, not 1)");
        byte[] assigned = line(EVERY_KIND.get(1));
        String text = new String(assigned, StandardCharsets.UTF_8);
        String body = text.substring(0, text.lastIndexOf('\t'));
        String[] fields = body.substring(0, body.lastIndexOf('\t')).split("\t", -1); // the seed left out
        assertDamagedAtLine7(framed(fields), "too few fields for a record of kind A (13, not 14)");
    }

    @Test
    void badNumbersFlagsAndNamesAreRefusedWithTheLineNumber() {
        assertDamagedAtLine7(framed("W", "12x"), "field 1 (serial) of the W record is not a number");
        assertDamagedAtLine7(framed("W", ""), "field 1 (serial) of the W record is not a number");
        assertDamagedAtLine7(framed("V", "5", "123456", "1", "later", "0"), "field 4 (time) of the V record is not a number");
        assertDamagedAtLine7(framed("X", "5", "refused", "2"), "field 3 (keep-seed) of the X record is neither 0 nor 1");
        assertDamagedAtLine7(framed("A", "1", "99999999999", "TOTP", "SHA1", "6", "30", "0", "0", "", "a", "a", "", "",
                "00"), "field 2 (row line) of the A record is out of range");
        assertDamagedAtLine7(framed("A", "1", "2", "MOTP", "SHA1", "6", "30", "0", "0", "", "a", "a", "", "", "00"),
                "field 3 (type) of the A record is neither TOTP nor HOTP");
        assertDamagedAtLine7(framed("A", "1", "2", "TOTP", "MD5", "6", "30", "0", "0", "", "a", "a", "", "", "00"),
                "field 4 (algorithm) of the A record is not a hash algorithm");
        assertDamagedAtLine7(framed("A", "1", "2", "TOTP", "SHA1", "six", "30", "0", "0", "", "a", "a", "", "", "00"),
                "field 5 (digits) of the A record is not a number");
    }

    @Test
    void aBadSeedIsRefusedWithoutQuotingIt() {
        String seed = "31323334353637383930313233343536373839zz";
        byte[] l = framed("A", "1", "2", "TOTP", "SHA1", "6", "30", "0", "0", "", "a", "a", "", "", seed);
        assertDamagedAtLine7(l, "field 14 (seed) of the A record is not hex");
        FleetException e = assertThrows(FleetException.class, () -> JournalCodec.decode(l, 7));
        assertFalse(e.getMessage().contains("3132"), e.getMessage());
    }

    @Test
    void anUnknownKindIsRefusedWithTheLineNumber() {
        assertDamagedAtLine7(framed("Q", "5"), "no record kind is \"Q\"");
        assertDamagedAtLine7(framed("w", "5"), "no record kind is \"w\"");
        assertDamagedAtLine7(framed(""), "no record kind is \"\"");
    }

    /** A line of these bytes as they are (not escaped), with the CRC that makes it intact. */
    private static byte[] intact(byte[] body) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body);
        byte[] crcText = String.format("\t%08x", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        byte[] line = Arrays.copyOf(body, body.length + crcText.length);
        System.arraycopy(crcText, 0, line, body.length, crcText.length);
        return line;
    }

    @Test
    void badTextIsRefusedWithTheLineNumber() {
        assertEquals(new Failed(5, "100%"), JournalCodec.decode(intact("F\t5\t100%25".getBytes(StandardCharsets.UTF_8)), 7));
        assertDamagedAtLine7(intact("F\t5\t%zz".getBytes(StandardCharsets.UTF_8)), "a % is not followed by two hex digits");
        assertDamagedAtLine7(intact("F\t5\t100%".getBytes(StandardCharsets.UTF_8)), "a % is not followed by two hex digits");
        assertEquals(new Failed(5, "caf\u00e9"), JournalCodec.decode(intact("F\t5\tcaf\u00e9".getBytes(StandardCharsets.UTF_8)), 7));
        assertDamagedAtLine7(intact("F\t5\tcaf\u00e9".getBytes(StandardCharsets.ISO_8859_1)), "it is not UTF-8 text");
    }

    @Test
    void aLineWithoutItsChecksumIsRefusedWithTheLineNumber() {
        byte[] line = line(new Written(5));
        line[line.length - 1] ^= 1;
        assertDamagedAtLine7(line, "its checksum does not match");
        assertDamagedAtLine7("W\t5".getBytes(StandardCharsets.UTF_8), "its checksum does not match");
        assertDamagedAtLine7(new byte[0], "its checksum does not match");
    }
}
