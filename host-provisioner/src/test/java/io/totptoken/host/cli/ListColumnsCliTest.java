package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** accounts list: every column lined up, wide and combining characters counted as a terminal shows them, touch marked. */
class ListColumnsCliTest {
    @TempDir
    Path tmp;

    @Test
    void columnsLineUpAndTouchAccountsAreMarked() {
        CliHarness h = new CliHarness(tmp.resolve("home"));
        h.run("accounts", "add", "-s", AccountsCliTest.RFC, "-N", "Bank:a", "-a", "SHA256", "--touch").expect(0);
        h.run("accounts", "add", "-s", AccountsCliTest.RFC, "-N", "Longer Issuer:bob@example.com").expect(0);
        h.run("accounts", "add", "-s", AccountsCliTest.RFC, "-N", "Mail:c", "-P", "60").expect(0);
        h.run("accounts", "add", "-s", AccountsCliTest.RFC, "-N", "Counter:d", "-o", "hotp").expect(0);
        assertEquals(""
                + "Bank:a                         TOTP  SHA256  30 s  touch\n"
                + "Counter:d                      HOTP  SHA1\n"
                + "Longer Issuer:bob@example.com  TOTP  SHA1    30 s\n"
                + "Mail:c                         TOTP  SHA1    60 s\n", h.run("accounts", "list").expect(0).out());
        List<Map<String, Object>> json = JsonReader.array(h.run("accounts", "list", "--json").expect(0).out());
        assertEquals(Boolean.TRUE, json.get(0).get("touch"));
        assertEquals(null, json.get(1).get("touch"), "YKOATH does not say whether a HOTP account needs a touch");
        assertEquals(Boolean.FALSE, json.get(2).get("touch"));
    }

    @Test
    void wideAndCombiningCharactersAreMeasuredInColumns() {
        CliHarness h = new CliHarness(tmp.resolve("home"));
        h.run("accounts", "add", "-s", AccountsCliTest.RFC, "-N", "日本:銀行").expect(0); // 9 columns, 5 characters
        h.run("accounts", "add", "-s", AccountsCliTest.RFC, "-N", "Cafe\u0301:x").expect(0); // 6 columns, 7 characters
        h.run("accounts", "add", "-s", AccountsCliTest.RFC, "-N", "abcdefghi").expect(0); // 9 columns
        String out = h.run("accounts", "list").expect(0).out();
        for (String line : out.split("\n")) {
            assertEquals(9 + 2, TextWidth.of(line.substring(0, line.indexOf("TOTP"))), line);
        }
        assertEquals(2, TextWidth.of("日"));
        assertEquals(1, TextWidth.of("e\u0301"));
    }
}
