package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A private X server (Xvfb on a free display number) and the Chromium windows shown on it. */
final class Xvfb implements AutoCloseable {
    final String display;
    private final Process server;
    private final Path dir;

    private Xvfb(String display, Process server, Path dir) {
        this.display = display;
        this.server = server;
        this.dir = dir;
    }

    /** Starts Xvfb on the first free display from :90 and waits until it answers xdpyinfo. */
    static Xvfb start(Path dir) throws IOException, InterruptedException {
        for (int n = 90; n < 190; n++) {
            if (Files.exists(Path.of("/tmp/.X" + n + "-lock")) || Files.exists(Path.of("/tmp/.X11-unix/X" + n))) {
                continue;
            }
            String display = ":" + n;
            File log = dir.resolve("xvfb-" + n + ".log").toFile();
            Process p = new ProcessBuilder("Xvfb", display, "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
                    .redirectOutput(log).redirectError(log).start();
            if (DesktopRig.await(30, () -> !p.isAlive() || answers(display)) && p.isAlive()) {
                return new Xvfb(display, p, dir);
            }
            DesktopRig.stop(p); // another server took the number first: try the next
        }
        return fail("no free X display between :90 and :189");
    }

    private static boolean answers(String display) {
        try {
            Process p = new ProcessBuilder("xdpyinfo", "-display", display).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            } finally {
                DesktopRig.stop(p);
            }
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The names of the windows on the display, from xwininfo. */
    String windows() {
        return DesktopRig.output(Map.of("DISPLAY", display), "xwininfo", "-root", "-tree");
    }

    /**
     * Shows {@code page} in Debian's Chromium as an app window and waits until the window's title is
     * {@code readyTitle} (the page sets it once its pictures have loaded). The caller stops it.
     */
    Process chromium(Path page, String readyTitle) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium");
        File log = dir.resolve(profile.getFileName() + ".log").toFile();
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/chromium", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--no-default-browser-check", "--password-store=basic", "--window-position=0,0", "--window-size=1000,900",
                "--user-data-dir=" + profile, "--app=" + page.toUri()))
                .redirectOutput(log).redirectError(log).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("DISPLAY", display);
        pb.environment().put("HOME", profile.toString());
        Process p = pb.start();
        boolean shown = DesktopRig.await(90, () -> !p.isAlive() || windows().contains(readyTitle));
        if (!shown || !p.isAlive()) {
            DesktopRig.stop(p);
            fail("Chromium did not show " + page.getFileName() + " in 90 s: " + Files.readString(log.toPath()));
        }
        return p;
    }

    @Override
    public void close() {
        DesktopRig.stop(server);
        assertTrue(!server.isAlive(), "Xvfb " + display + " still runs");
    }
}
