package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** AWT stays off every command's start-up path but --screen's (its toolkit costs start-up time, and X). */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DesktopStartupTest {
    @TempDir
    Path tmp;

    private DesktopRig.Run logged(Map<String, String> env, String... args) throws Exception {
        return DesktopRig.run(tmp, env, DesktopRig.tokenctl(List.of("-Xlog:class+load=info:stdout"), args));
    }

    private static boolean awt(String classLog) {
        return classLog.contains(" java.awt.") || classLog.contains(" sun.awt.");
    }

    @Test
    void everydayCommandsLoadNoAwtAndScreenDoes() throws Exception {
        Map<String, String> env = DesktopRig.env(tmp.resolve("home"));
        DesktopRig.Run add = logged(env, "accounts", "add", "otpauth://totp/WiseMo:alice?secret=JBSWY3DPEHPK3PXP");
        assertEquals(0, add.exit(), add.err());
        assertTrue(add.out().contains("io.totptoken.host.cli.AddCommand"), "the class log works");
        for (DesktopRig.Run r : List.of(add, logged(env, "accounts", "code"), logged(env, "accounts", "list"),
                logged(env, "accounts", "code", "alice", "--copy"), logged(env, "info"))) {
            assertFalse(awt(r.out()), "AWT loaded: " + r.err());
        }
        // No display at all: Robot cannot, no tool can either, and the one line says so.
        DesktopRig.Run screen = logged(env, "accounts", "add", "--screen");
        assertEquals(1, screen.exit(), screen.err());
        assertTrue(awt(screen.out()), "--screen did not use AWT");
        assertEquals("tokenctl: no screen to capture: neither DISPLAY nor WAYLAND_DISPLAY is set; run tokenctl in the"
                + " desktop session, or save the QR code as an image and use --qr IMAGE", screen.errorLine());
    }
}
