package io.totptoken.host.provisioning;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The desktop's own screenshot tool, for when {@code java.awt.Robot} cannot capture: grim (Sway and
 * other wlroots compositors), gnome-screenshot (GNOME), spectacle (KDE Plasma), screencapture (macOS).
 *
 * <p>A screenshot shows the enrolment page, secret and all: the files are written into a fresh
 * directory only the user can open, and deleted with it as soon as they are read.
 */
final class ScreenshotTools {
    /** The pictures a tool took (one per screen for screencapture, all screens in one for the others). */
    record Shot(List<BufferedImage> screens, String tool) {
    }

    /** screencapture writes one file per display, as many as it is given names for. */
    private static final int MAC_SCREENS = 8;

    private ScreenshotTools() {
    }

    private static boolean mac() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac");
    }

    private static boolean set(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isEmpty();
    }

    /** The tools that can work in this session, in the order they are tried. */
    private static List<String> candidates(Map<String, String> env) {
        if (mac()) {
            return List.of("screencapture");
        }
        if (set(env, "WAYLAND_DISPLAY")) {
            return List.of("grim", "gnome-screenshot", "spectacle");
        }
        return List.of("gnome-screenshot", "spectacle");
    }

    static boolean anyPresent(Map<String, String> env) {
        return candidates(env).stream().anyMatch(t -> DesktopPrograms.find(env, t) != null);
    }

    static String permissionHint() {
        return mac() ? " (allow Screen Recording for this terminal in System Settings, Privacy & Security)" : "";
    }

    /**
     * Captures with the first tool present that works.
     *
     * @param robotFailed why java.awt.Robot could not, for the message when no tool can either
     * @param javaLacksDesktop Robot failed for want of Java's desktop libraries: installing them is a way out too
     * @throws DesktopUnavailableException naming what to install when no tool is present or none works
     */
    static Shot capture(Map<String, String> env, String robotFailed, boolean javaLacksDesktop) {
        if (!mac() && !set(env, "WAYLAND_DISPLAY") && !set(env, "DISPLAY")) {
            throw new DesktopUnavailableException("no screen to capture: neither DISPLAY nor WAYLAND_DISPLAY is set;"
                    + " run tokenctl in the desktop session, or save the QR code as an image and use --qr IMAGE");
        }
        List<String> failures = new ArrayList<>();
        for (String tool : candidates(env)) {
            Path program = DesktopPrograms.find(env, tool);
            if (program == null) {
                continue;
            }
            Shot shot = run(env, program, tool, failures);
            if (shot != null) {
                return shot;
            }
        }
        String why = "cannot capture the screen: " + robotFailed;
        if (failures.isEmpty()) {
            throw new DesktopUnavailableException(why + ", and no screenshot tool was found; install " + installHint(env, javaLacksDesktop)
                    + ", or save the QR code as an image and use --qr IMAGE");
        }
        throw new DesktopUnavailableException(why + ", and " + String.join("; ", failures)
                + "; save the QR code as an image and use --qr IMAGE");
    }

    private static String installHint(Map<String, String> env, boolean javaLacksDesktop) {
        String tools = set(env, "WAYLAND_DISPLAY")
                ? "grim (Sway and other wlroots desktops), gnome-screenshot (GNOME) or spectacle (KDE Plasma)"
                : "gnome-screenshot (GNOME) or spectacle (KDE Plasma)";
        return javaLacksDesktop && set(env, "DISPLAY") ? "openjdk-17-jre (for java.awt.Robot on X11), " + tools : tools;
    }

    /** One tool's try: its pictures, or null with the reason added to {@code failures}. */
    private static Shot run(Map<String, String> env, Path program, String tool, List<String> failures) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tokenctl-screen",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            List<Path> files = new ArrayList<>();
            List<String> command = new ArrayList<>(List.of(program.toString()));
            switch (tool) {
                case "grim" -> command.add(file(dir, 1, files));
                case "gnome-screenshot" -> command.addAll(List.of("-f", file(dir, 1, files)));
                case "spectacle" -> command.addAll(List.of("-b", "-n", "-o", file(dir, 1, files)));
                default -> {
                    command.add("-x");
                    for (int i = 1; i <= MAC_SCREENS; i++) {
                        command.add(file(dir, i, files));
                    }
                }
            }
            DesktopPrograms.Exit exit = DesktopPrograms.run(env, command, null);
            List<BufferedImage> screens = new ArrayList<>();
            for (Path f : files) {
                if (Files.isRegularFile(f) && Files.size(f) > 0) {
                    screens.add(QrImageReader.load(f, tool + "'s screenshot"));
                }
            }
            if (exit.ok() && !screens.isEmpty()) {
                return new Shot(screens, tool);
            }
            failures.add(tool + " failed" + (exit.ok() ? " (it wrote no picture)"
                    : " (exit " + exit.code() + (exit.error().isEmpty() ? "" : ": " + exit.error()) + ")"));
            return null;
        } catch (IOException e) {
            failures.add(tool + " could not be used (" + e.getMessage() + ")");
            return null;
        } finally {
            delete(dir);
        }
    }

    private static String file(Path dir, int screen, List<Path> files) {
        Path f = dir.resolve("screen-" + screen + ".png");
        files.add(f);
        return f.toString();
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // already gone
        }
    }
}
