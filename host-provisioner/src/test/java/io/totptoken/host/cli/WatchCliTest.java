package io.totptoken.host.cli;

import static io.totptoken.host.cli.CliHarness.oathtool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code accounts code --watch}: the live view in a real terminal (tmux, read with capture-pane,
 * stopped with Ctrl-C), and the plain blocks it prints without one.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@Tag("slow")
class WatchCliTest extends CliTest {
    static final String ALICE = "JBSWY3DPEHPK3PXP";
    static final String FAST = "MFRGGZDFMZTWQ2LK";
    private static final Pattern LINE = Pattern.compile("(\\S+)\\s+(\\d{6})  \\((\\d+) s left\\)");

    private final String socket = "tokenctl-watch-test-" + ProcessHandle.current().pid();
    private boolean tmuxStarted;
    private Process plain;

    @BeforeEach
    void accounts() {
        h.clock = Clock.systemUTC();
    }

    @AfterEach
    void stop() {
        if (tmuxStarted) {
            tmux("kill-server");
        }
        DesktopRig.stop(plain);
    }

    private String tmux(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        return DesktopRig.output(Map.of(), cmd.toArray(new String[0]));
    }

    private String pane(String format) {
        return tmux("display-message", "-p", "-t", "watch", format).strip();
    }

    /** Where the harness keeps the embedded token's state key (its user's ~/.local/share), for a tokenctl run as a process. */
    private Path keyData() {
        return h.home.resolve("user").resolve(".local").resolve("share");
    }

    @Test
    void liveViewCountsDownRecomputesAtEachRollOverAndGivesTheTerminalBackOnCtrlC() throws Exception {
        DesktopRig.require(false, "tmux", "oathtool");
        h.run("accounts", "add", "otpauth://totp/Fast:roll?secret=" + FAST + "&period=3").expect(0);
        h.run("accounts", "add", "otpauth://totp/WiseMo:alice?secret=" + ALICE + "&issuer=WiseMo").expect(0);
        Path conf = Files.writeString(tmp.resolve("tmux.conf"), "set -g remain-on-exit on\n");
        List<String> start = new ArrayList<>(List.of("tmux", "-L", socket, "-f", conf.toString(), "new-session", "-d",
                "-s", "watch", "-x", "100", "-y", "20", "-e", "TOKENCTL_HOME=" + h.home, "-e", "XDG_DATA_HOME=" + keyData()));
        start.addAll(DesktopRig.tokenctl(List.of(), "accounts", "code", "--watch"));
        tmuxStarted = true;
        DesktopRig.output(Map.of(), start.toArray(new String[0]));
        // Everything the program writes to its terminal, to check what it leaves the terminal in:
        // tmux's own flags for a pane that has died are not dependable (it redraws dead panes).
        Path raw = tmp.resolve("pane.raw");
        tmux("pipe-pane", "-o", "-t", "watch", "cat >> " + raw);
        assertTrue(DesktopRig.await(60, () -> tmux("capture-pane", "-p", "-t", "watch").contains("Fast:roll")),
                "no view: " + tmux("capture-pane", "-p", "-t", "watch"));
        assertEquals("1 0", pane("#{alternate_on} #{cursor_flag}"), "the view takes the alternate screen, cursor hidden");

        // Sampled for 7 s: the 3-s account rolls over at least twice, each code oathtool's at its time.
        Map<String, Long> fastCodes = new LinkedHashMap<>();
        Set<String> countdown = new TreeSet<>();
        String screen = "";
        long end = System.currentTimeMillis() + 7000;
        while (System.currentTimeMillis() < end) {
            long at = System.currentTimeMillis() / 1000;
            screen = tmux("capture-pane", "-p", "-t", "watch");
            assertTrue(screen.startsWith("Codes on the embedded token at "), screen);
            assertTrue(screen.contains("Ctrl-C to stop"), screen);
            Matcher m = LINE.matcher(screen);
            while (m.find()) {
                if (m.group(1).equals("Fast:roll")) {
                    fastCodes.putIfAbsent(m.group(2), at);
                } else {
                    assertEquals("WiseMo:alice", m.group(1), screen);
                    countdown.add(m.group(3));
                    // Drawn at most a second or two before it was read (a loaded machine).
                    assertTrue(List.of(oathtool("--totp", "-b", ALICE, "-N", "@" + at),
                            oathtool("--totp", "-b", ALICE, "-N", "@" + (at - 2))).contains(m.group(2)), screen);
                }
            }
            Thread.sleep(300);
        }
        assertTrue(fastCodes.size() >= 3, "the 3-s code was not recomputed at each roll-over: " + fastCodes);
        for (Map.Entry<String, Long> seen : fastCodes.entrySet()) {
            long at = seen.getValue();
            Set<String> near = new TreeSet<>();
            for (long t = at - 2; t <= at + 1; t++) {
                near.add(oathtool("--totp", "-s", "3s", "-b", FAST, "-N", "@" + t));
            }
            assertTrue(near.contains(seen.getKey()), seen.getKey() + " at " + at + " is none of oathtool's " + near);
        }
        assertTrue(countdown.size() >= 4, "the seconds left did not count down: " + countdown);
        assertFalse(screen.contains(ALICE) || screen.contains(FAST), "a secret on screen");

        tmux("send-keys", "-t", "watch", "C-c");
        assertTrue(DesktopRig.await(20, () -> pane("#{pane_dead}").equals("1")), "still running after Ctrl-C");
        assertEquals("0", pane("#{alternate_on}"), "main screen not given back");
        DesktopRig.await(10, () -> readQuietly(raw).contains("\u001b[?1049l"));
        String written = readQuietly(raw);
        int shown = written.lastIndexOf("\u001b[?25h");
        assertTrue(shown >= 0 && shown > written.lastIndexOf("\u001b[?25l"), "cursor not shown again at the end");
        assertTrue(written.lastIndexOf("\u001b[?1049l") > written.lastIndexOf("\u001b[?1049h"), "alternate screen not left");
    }

    @Test
    void withoutATerminalEachRollOverPrintsANewBlock() throws Exception {
        DesktopRig.require(false, "oathtool");
        h.run("accounts", "add", "otpauth://totp/Fast:roll?secret=" + FAST + "&period=2").expect(0);
        ProcessBuilder pb = new ProcessBuilder(DesktopRig.tokenctl(List.of(), "accounts", "code", "--watch"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(tmp.resolve("watch.err").toFile());
        pb.environment().put("TOKENCTL_HOME", h.home.toString());
        pb.environment().put("XDG_DATA_HOME", keyData().toString());
        plain = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        long firstAt = 0;
        while (lines.size() < 5) {
            String line = out.readLine();
            assertTrue(line != null, "output ended: " + lines + Files.readString(tmp.resolve("watch.err")));
            if (lines.isEmpty()) {
                firstAt = System.currentTimeMillis() / 1000;
            }
            lines.add(line);
        }
        // "Fast:roll  CODE  (N s left)", a blank line, the next step's code, and so on.
        assertEquals("", lines.get(1), lines.toString());
        assertEquals("", lines.get(3), lines.toString());
        List<String> codes = new ArrayList<>();
        for (int i : new int[] {0, 2, 4}) {
            Matcher m = LINE.matcher(lines.get(i));
            assertTrue(m.matches() && m.group(1).equals("Fast:roll"), lines.get(i));
            codes.add(m.group(2));
        }
        boolean consecutive = false;
        for (long step = firstAt / 2 - 2; step <= firstAt / 2; step++) {
            consecutive |= codes.equals(List.of(oathtool("--totp", "-s", "2s", "-b", FAST, "-N", "@" + step * 2),
                    oathtool("--totp", "-s", "2s", "-b", FAST, "-N", "@" + (step + 1) * 2),
                    oathtool("--totp", "-s", "2s", "-b", FAST, "-N", "@" + (step + 2) * 2)));
        }
        assertTrue(consecutive, "not the codes of three steps in a row: " + lines);
        assertTrue(plain.isAlive(), "it stopped by itself");
    }

    @Test
    void watchTakesNoOptionThatAsksForOneAnswer() {
        h.run("accounts", "add", "otpauth://totp/WiseMo:alice?secret=" + ALICE).expect(0);
        for (String option : List.of("--json", "--next", "--copy")) {
            h.run("accounts", "code", "--watch", option).expect(2).oneErrorLine();
        }
        assertEquals("tokenctl: --watch shows the codes live; it goes with neither --json, --time, --next, --copy nor --single\n",
                h.run("accounts", "code", "--watch", "--time", "5").expect(2).err());
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
