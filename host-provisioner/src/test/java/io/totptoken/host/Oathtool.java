package io.totptoken.host;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's oathtool, the independent reference every code in these tests is checked against. A
 * test fails (rather than skips) without it: CI installs it.
 */
public final class Oathtool {
    private Oathtool() {
    }

    /** oathtool's answer to {@code args}, stripped; fails the test when it cannot run or refuses. */
    public static String run(String... args) {
        List<String> command = new ArrayList<>();
        command.add("oathtool");
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail("oathtool " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            return fail("these tests need oathtool (Debian: apt-get install oathtool): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }
}
