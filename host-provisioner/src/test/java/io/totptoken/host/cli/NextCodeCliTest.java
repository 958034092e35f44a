package io.totptoken.host.cli;

import static io.totptoken.host.cli.CliHarness.oathtool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a code is valid: --next says from when until when, and an expiring code comes with the next one. */
class NextCodeCliTest extends CliTest {
    static final String ALICE = AccountsCliTest.ALICE;
    static final String RFC = AccountsCliTest.RFC;
    static final String OTHER = AccountsCliTest.OTHER;
    /** 2023-11-14T22:13:20Z, 10 s before the end of its 30-s step. */
    static final long T = 1_700_000_000L;

    @Override
    String[] secrets() {
        return new String[] {ALICE, RFC, OTHER};
    }

    @Test
    void addShowsTheNextCodeTooWhenFewerThanFiveSecondsAreLeft() {
        h.at(T + 6); // 4 s left
        String out = h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0).out();
        assertEquals("WiseMo:alice  " + totp(ALICE, T + 6) + "  (4 s left)  next: " + totp(ALICE, T + 10) + " (valid in 4 s)",
                out.strip());
        CliHarness five = new CliHarness(tmp.resolve("five"));
        five.at(T + 5); // 5 s left: time enough to type it
        assertEquals("WiseMo:alice  " + totp(ALICE, T + 5) + "  (5 s left)",
                five.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0).out().strip());
        five.assertNoSecretIn(ALICE);
    }

    @Test
    void codeShowsTheNextCodeOfEachExpiringTotpAccount() {
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        h.run("accounts", "add", "-s", OTHER, "-N", "Other:minute", "-P", "60").expect(0);
        h.run("accounts", "add", "-s", RFC, "-N", "Rfc:fresh", "-P", "45").expect(0);
        h.run("accounts", "add", "otpauth://hotp/Counter:rfc?secret=" + RFC + "&counter=0").expect(0);
        long at = 1_700_000_038L; // 2 s left of the 30-s and the 60-s steps, 17 s of the 45-s one
        h.at(at);
        List<String> lines = List.of(h.run("accounts", "code").expect(0).out().split("\n"));
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("Counter:rfc   [HOTP: "), lines.get(0));
        assertEquals("Other:minute  " + totp60(OTHER, at) + "  (2 s left)  next: " + totp60(OTHER, at + 60) + " (valid in 2 s)",
                lines.get(1));
        assertEquals("Rfc:fresh     " + oathtool("--totp", "-s", "45s", "-b", RFC, "-N", "@" + at) + "  (17 s left)", lines.get(2));
        assertEquals("WiseMo:alice  " + totp(ALICE, at) + "  (2 s left)  next: " + totp(ALICE, at + 30) + " (valid in 2 s)",
                lines.get(3));
        // The first two fields stay the name and the code.
        for (String line : lines.subList(1, 4)) {
            assertTrue(line.split("\\s+")[1].matches("[0-9]{6}"), line);
        }
        Map<String, Object> alice = JsonReader.array(h.run("accounts", "code", "--json", "alice").expect(0).out()).get(0);
        assertEquals(0L, alice.get("valid_in"));
        assertEquals(Map.of("code", totp(ALICE, at + 30), "valid_from", 1_700_000_040L, "valid_to", 1_700_000_070L,
                "valid_in", 2L), alice.get("next"));
        Map<String, Object> fresh = JsonReader.array(h.run("accounts", "code", "--json", "fresh").expect(0).out()).get(0);
        assertFalse(fresh.containsKey("next"), fresh.toString());
        // One CALCULATE ALL more for the next 30-s codes (and a CALCULATE for the 60-s one, as for its current code).
        assertTrue(h.run("accounts", "code", "-v").err().contains("tokenctl: 6 APDUs to"));
    }

    @Test
    void nextSaysWhenItsCodeIsValidInLocalTime() {
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        h.run("accounts", "add", "-s", OTHER, "-N", "Other:minute", "-P", "60").expect(0);
        for (ZoneId zone : List.of(ZoneId.of("UTC"), ZoneId.of("Asia/Kolkata"), ZoneId.of("America/New_York"))) {
            h.clock = Clock.fixed(Instant.ofEpochSecond(T), zone);
            List<String> lines = List.of(h.run("accounts", "code", "--next").expect(0).out().split("\n"));
            assertEquals("Other:minute  " + totp60(OTHER, T + 60) + "  (valid from " + local(1_700_000_040L, zone) + " to "
                    + local(1_700_000_100L, zone) + ", in 40 s)", lines.get(0), zone.toString());
            assertEquals("WiseMo:alice  " + totp(ALICE, T + 30) + "  (valid from " + local(1_700_000_010L, zone) + " to "
                    + local(1_700_000_040L, zone) + ", in 10 s)", lines.get(1), zone.toString());
        }
        Map<String, Object> next = JsonReader.array(h.run("accounts", "code", "--json", "--next", "alice").expect(0).out()).get(0);
        assertEquals(totp(ALICE, T + 30), next.get("code"));
        assertEquals(1_700_000_010L, next.get("valid_from"));
        assertEquals(1_700_000_040L, next.get("valid_to"));
        assertEquals(10L, next.get("valid_in"));
        assertFalse(next.containsKey("next"));
        // A window on another day than now says which day.
        h.at(T);
        String late = h.run("accounts", "code", "--next", "alice", "-t", "2023-11-14T23:59:50Z").expect(0).out();
        assertTrue(late.contains("(valid from 2023-11-15 00:00:00 to 2023-11-15 00:00:30, in 10 s)"), late);
    }

    private static String local(long epochSecond, ZoneId zone) {
        return ZonedDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), zone).format(DateTimeFormatter.ofPattern("HH:mm:ss"));
    }

    private static String totp(String secret, long t) {
        return oathtool("--totp", "-b", secret, "-N", "@" + t);
    }

    private static String totp60(String secret, long t) {
        return oathtool("--totp", "-s", "60s", "-b", secret, "-N", "@" + t);
    }
}
