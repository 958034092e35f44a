package io.totptoken.host.cli;

import static io.totptoken.host.cli.CliHarness.oathtool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.totptoken.host.provisioning.Account;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.provisioning.TokenTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command printed for HOTP and touch accounts works as printed: it names the token that was used. */
class CodeHintCliTest extends CliTest {
    static final String RFC = AccountsCliTest.RFC;
    static final String OTHER = AccountsCliTest.OTHER;
    private static final Pattern COMMAND = Pattern.compile("(tokenctl accounts code .*?)(?: to compute)?\\]");

    @BeforeEach
    void prepare() {
        h.env.put("TOKENCTL_AUTO_TOUCH", "1");
    }

    @Override
    String[] secrets() {
        return new String[] {RFC, OTHER};
    }

    @Test
    void addsHintForAHotpAccountOnASimulatedTokenRunsAsPrinted() throws Exception {
        // A path and a name the shell must be given in quotes.
        Path sim = Files.createDirectories(tmp.resolve("my tokens")).resolve("it's.sim");
        String out = h.run("accounts", "add", "--sim", sim.toString(),
                "otpauth://hotp/Counter:it%27s%20me?secret=" + RFC + "&counter=0").expect(0).out();
        assertTrue(out.contains("--sim "), out);
        assertEquals("Counter:it's me  " + oathtool("--hotp", "-c", "0", "-b", RFC) + "\n", runPrinted(out));
        // The embedded token needs no option, and the token named is the one the account is on.
        String embedded = h.run("accounts", "add", "--touch", "otpauth://totp/Touch:me?secret=" + OTHER).expect(0).out();
        assertTrue(!embedded.contains("--sim") && embedded.contains("tokenctl accounts code Touch:me]"), embedded);
        assertTrue(runPrinted(embedded).startsWith("Touch:me  " + oathtool("--totp", "-b", OTHER, "-N", "@1700000000") + "  "));
    }

    @Test
    void codesHintsNameTheTokenThePasswordFileAndHiddenAccounts() throws Exception {
        Path sim = tmp.resolve("a.sim");
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "secret words\n");
        h.run("accounts", "add", "--sim", sim.toString(), "otpauth://hotp/Counter:rfc?secret=" + RFC + "&counter=0").expect(0);
        h.run("accounts", "add", "--sim", sim.toString(), "--touch", "-s", OTHER, "-N", "_hidden:touchy", "-P", "60").expect(0);
        h.run("access", "change", "--sim", sim.toString(), "--new-password-file", pw.toString()).expect(0);
        String all = h.run("accounts", "code", "-H", "--sim", sim.toString(), "--password-file", pw.toString()).expect(0).out();
        String[] lines = all.split("\n");
        assertEquals("_hidden:touchy  [touch required: run tokenctl accounts code 60/_hidden:touchy -H --sim " + sim
                + " --password-file " + pw + " to compute]", lines[0]);
        assertEquals("Counter:rfc     [HOTP: run tokenctl accounts code Counter:rfc --sim " + sim + " --password-file " + pw
                + " to compute]", lines[1]);
        assertEquals(oathtool("--totp", "-s", "60s", "-b", OTHER, "-N", "@1700000000"), runPrinted(lines[0]).split("\\s+")[1]);
        assertEquals(oathtool("--hotp", "-c", "0", "-b", RFC), runPrinted(lines[1]).split("\\s+")[1]);
    }

    @Test
    void readersAndSerialPortsAreNamedWithTheirOptions() {
        Account a = new Account("Touch:me".getBytes(StandardCharsets.UTF_8), OathType.TOTP, HashAlgorithm.SHA1, 30, "Touch", "me");
        assertEquals("tokenctl accounts code Touch:me --reader 'Yubico YubiKey'",
                CodeHint.command(new TokenTarget.Reader("Yubico YubiKey"), a, null));
        assertEquals("tokenctl accounts code Touch:me --port /dev/ttyACM0", CodeHint.command(new TokenTarget.Serial("/dev/ttyACM0"), a, null));
        assertEquals("'-x'", CodeHint.shellWord("-x"));
        assertEquals("''", CodeHint.shellWord(""));
    }

    /** Splits the printed command as sh does (the real shell, not a copy of the quoting rules) and runs it. */
    private String runPrinted(String output) throws Exception {
        Matcher m = COMMAND.matcher(output);
        assertTrue(m.find(), output);
        String[] words = shellWords(m.group(1));
        assertEquals("tokenctl", words[0]);
        return h.run(List.of(words).subList(1, words.length).toArray(new String[0])).expect(0).out();
    }

    private static String[] shellWords(String command) throws IOException, InterruptedException {
        List<String> sh = new ArrayList<>(List.of("sh", "-c", "for w in " + command + "; do printf '%s\\0' \"$w\"; done"));
        Process p = new ProcessBuilder(sh).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("sh failed on " + command);
        }
        return out.split("\0");
    }
}
