package io.totptoken.host.cli;

import static io.totptoken.host.cli.CliHarness.oathtool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.qrcode.QRCodeWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accounts add --screen} and {@code accounts code --copy} on a real X server: Xvfb, with
 * Debian's Chromium showing an enrolment page, tokenctl as its own JVM with DISPLAY set, codes
 * checked against oathtool, the clipboard read back with xclip.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@Tag("slow")
class ScreenCliTest {
    static final String SECRET = "N5XGKIDTMVRXEZLUEB2G6IDT";
    static final String URI = "otpauth://totp/Example:alice@example.com?secret=" + SECRET + "&issuer=Example";

    @TempDir
    static Path shared;
    static Xvfb x;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startX() throws Exception {
        DesktopRig.require(true, "Xvfb", "xdpyinfo", "xwininfo", "chromium", "xclip", "oathtool");
        x = Xvfb.start(shared);
    }

    @AfterAll
    static void stopX() {
        if (x != null) {
            x.close();
        }
    }

    private Map<String, String> desktop() {
        return DesktopRig.env(tmp.resolve("home"), "DISPLAY", x.display);
    }

    private DesktopRig.Run tokenctl(Map<String, String> env, String... args) throws Exception {
        return DesktopRig.run(tmp, env, DesktopRig.tokenctl(List.of(), args));
    }

    /** An enrolment page as a service shows it: a heading, the QR code (when given), the secret as text. */
    private Path page(String uri) throws Exception {
        String img = "";
        if (uri != null) {
            MatrixToImageWriter.writeToPath(new QRCodeWriter().encode(uri, BarcodeFormat.QR_CODE, 300, 300), "PNG",
                    tmp.resolve("qr.png"));
            img = "<img src=\"qr.png\" alt=\"QR code\" onload=\"document.title='Enrol ready'\">";
        }
        String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Enrol loading</title></head>"
                + "<body style=\"background:#fff;font-family:sans-serif\"" + (uri == null ? " onload=\"document.title='Enrol ready'\"" : "")
                + "><h1>Example: set up two-factor authentication</h1><p>Scan this QR code with your authenticator app:</p>"
                + img + "<p>Or type this secret: <code>" + SECRET + "</code></p></body></html>";
        Path page = tmp.resolve("enrol.html");
        Files.writeString(page, html);
        return page;
    }

    /**
     * accounts add --screen, again while the window is still being painted (a black screen, or no code
     * yet on a page that has one); a few tries, as the window is already up.
     */
    private DesktopRig.Run addFromScreen(Map<String, String> env, boolean pageHasCode) throws Exception {
        DesktopRig.Run r = null;
        for (int i = 0; i < 5; i++) {
            r = tokenctl(env, "accounts", "add", "--screen");
            boolean unpainted = pageHasCode && r.exit() == 2 && r.err().contains("no QR code found")
                    || r.err().contains("all-black");
            if (!unpainted) {
                return r;
            }
            Thread.sleep(500);
        }
        return r;
    }

    @Test
    void addsTheAccountWhoseQrCodeChromiumShowsAndPrintsOathtoolsCode() throws Exception {
        Process chromium = x.chromium(page(URI), "Enrol ready");
        try {
            long before = System.currentTimeMillis() / 1000;
            DesktopRig.Run r = addFromScreen(desktop(), true).expect(0);
            long after = System.currentTimeMillis() / 1000;
            assertTrue(r.err().contains("Found 1 QR code on the screen (captured with java.awt.Robot)."), r.err());
            assertTrue(r.err().contains("Added 1 account to the embedded token."), r.err());
            Matcher m = Pattern.compile(
                    "Example:alice@example\\.com  (\\d{6})  \\((\\d+) s left\\)(  next: \\d{6} \\(valid in \\d+ s\\))?").matcher(r.out().strip());
            assertTrue(m.matches(), r.out());
            Set<String> expected = new TreeSet<>();
            for (long t = before; t <= after; t++) {
                expected.add(oathtool("--totp", "-b", SECRET, "-N", "@" + t));
            }
            assertTrue(expected.contains(m.group(1)), m.group(1) + " is not oathtool's code, one of " + expected);
            assertFalse((r.out() + r.err()).contains(SECRET), "the secret was printed");
            assertEquals("Example:alice@example.com  TOTP  SHA1  30 s\n", tokenctl(desktop(), "accounts", "list").expect(0).out());
        } finally {
            DesktopRig.stop(chromium);
        }
    }

    @Test
    void aHeadlessJavaReadsTheScreenThroughGnomeScreenshotInAPrivateDirectoryItDeletes() throws Exception {
        DesktopRig.require(false, "gnome-screenshot");
        // On PATH before the real tool: notes the mode of the directory it is told to write into, then runs it.
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path seen = tmp.resolve("seen");
        Path tool = bin.resolve("gnome-screenshot");
        Files.writeString(tool, "#!/bin/sh\nstat -c %a \"$(dirname \"$2\")\" > '" + seen + "'\n"
                + "exec " + DesktopRig.onPath("gnome-screenshot") + " \"$@\"\n");
        assertTrue(tool.toFile().setExecutable(true));
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Map<String, String> env = desktop();
        env.put("PATH", bin + ":" + env.get("PATH"));
        Process chromium = x.chromium(page(URI), "Enrol ready");
        try {
            long before = System.currentTimeMillis() / 1000;
            DesktopRig.Run r = DesktopRig.run(tmp, env, DesktopRig.tokenctl(List.of("-Djava.awt.headless=true",
                    "-Djava.io.tmpdir=" + javaTmp), "accounts", "add", "--screen")).expect(0);
            long after = System.currentTimeMillis() / 1000;
            assertTrue(r.err().contains("Found 1 QR code on the screen (captured with gnome-screenshot)."), r.err());
            String code = r.out().strip().split("  ")[1];
            Set<String> expected = new TreeSet<>();
            for (long t = before; t <= after; t++) {
                expected.add(oathtool("--totp", "-b", SECRET, "-N", "@" + t));
            }
            assertTrue(expected.contains(code), code + " is not oathtool's code, one of " + expected);
            assertEquals("700", Files.readString(seen).strip(), "the screenshot's directory is not the user's alone");
            try (var left = Files.list(javaTmp)) {
                assertEquals(List.of(), left.toList(), "the screenshot was left behind");
            }
        } finally {
            DesktopRig.stop(chromium);
        }
    }

    @Test
    void aPageWithoutAQrCodeIsRefusedWithOneLineAndNothingIsAdded() throws Exception {
        Process chromium = x.chromium(page(null), "Enrol ready");
        try {
            String error = addFromScreen(desktop(), false).expect(2).errorLine();
            assertTrue(error.startsWith("tokenctl: no QR code found on the screen (1280x1024), captured with java.awt.Robot;"),
                    error);
            assertEquals("", tokenctl(desktop(), "accounts", "list").expect(0).out());
        } finally {
            DesktopRig.stop(chromium);
        }
    }

    @Test
    void aBlackScreenWithNoScreenshotToolSaysWhichToInstall() throws Exception {
        Files.createDirectories(tmp.resolve("bin"));
        Map<String, String> env = desktop();
        env.put("PATH", tmp.resolve("bin").toString()); // no gnome-screenshot, spectacle or grim on it
        String error = tokenctl(env, "accounts", "add", "--screen").expect(1).errorLine();
        assertTrue(error.contains("java.awt.Robot captured an all-black screen"), error);
        assertTrue(error.contains("no screenshot tool was found; install gnome-screenshot (GNOME) or spectacle (KDE Plasma)"),
                error);
    }

    @Test
    void aHeadlessJavaFallsBackToTheScreenshotToolsAndSaysWhichToInstall() throws Exception {
        Files.createDirectories(tmp.resolve("bin"));
        Map<String, String> env = desktop();
        env.put("PATH", tmp.resolve("bin").toString());
        DesktopRig.Run r = DesktopRig.run(tmp, env, DesktopRig.tokenctl(List.of("-Djava.awt.headless=true"),
                "accounts", "add", "--screen"));
        String error = r.expect(1).errorLine();
        assertTrue(error.startsWith("tokenctl: cannot capture the screen: this Java runs headless"), error);
        assertTrue(error.contains("install gnome-screenshot (GNOME) or spectacle (KDE Plasma)"), error);
    }

    @Test
    void copyPutsTheOneCodeOnTheClipboardThroughTheToolsStdin() throws Exception {
        tokenctl(desktop(), "accounts", "add", URI).expect(0);
        tokenctl(desktop(), "accounts", "add", "otpauth://totp/Other:bob?secret=MFRGGZDFMZTWQ2LK").expect(0);
        long before = System.currentTimeMillis() / 1000;
        DesktopRig.Run r = tokenctl(desktop(), "accounts", "code", "alice", "--copy").expect(0);
        long after = System.currentTimeMillis() / 1000;
        String code = r.out().strip().split("  ")[1];
        Set<String> expected = new TreeSet<>();
        for (long t = before; t <= after; t++) {
            expected.add(oathtool("--totp", "-b", SECRET, "-N", "@" + t));
        }
        assertTrue(expected.contains(code), code + " is not oathtool's code, one of " + expected);
        assertEquals(code, DesktopRig.output(Map.of("DISPLAY", x.display), "xclip", "-o", "-selection", "clipboard"));
        assertTrue(r.err().startsWith("Copied the code of Example:alice@example.com to the clipboard (with xclip); "), r.err());
        // xclip stays behind to serve the selection: its command line holds no code.
        List<ProcessHandle> xclips = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").endsWith("/xclip")).toList();
        assertFalse(xclips.isEmpty(), "no xclip serves the clipboard");
        for (ProcessHandle p : xclips) {
            assertFalse(String.join(" ", p.info().arguments().orElse(new String[0])).contains(code), "code on xclip's argv");
        }
    }

    @Test
    void copyRefusesSeveralAccountsAndAMissingToolOrDisplayWithOneLine() throws Exception {
        tokenctl(desktop(), "accounts", "add", URI).expect(0);
        tokenctl(desktop(), "accounts", "add", "otpauth://totp/Other:bob?secret=MFRGGZDFMZTWQ2LK").expect(0);
        assertEquals("tokenctl: --copy needs exactly one account, and the token has 2; name one with QUERY",
                tokenctl(desktop(), "accounts", "code", "--copy").expect(1).errorLine());
        Files.createDirectories(tmp.resolve("bin"));
        Map<String, String> noTool = desktop();
        noTool.put("PATH", tmp.resolve("bin").toString());
        assertEquals("tokenctl: no clipboard tool found; install xclip or xsel for X11",
                tokenctl(noTool, "accounts", "code", "bob", "--copy").expect(1).errorLine());
        Map<String, String> noDisplay = desktop();
        noDisplay.remove("DISPLAY");
        assertTrue(tokenctl(noDisplay, "accounts", "code", "bob", "--copy").expect(1).errorLine()
                .startsWith("tokenctl: no clipboard to copy to: neither WAYLAND_DISPLAY nor DISPLAY is set"));
    }
}
