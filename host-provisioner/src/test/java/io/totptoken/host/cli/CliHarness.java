package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.totptoken.host.Oathtool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs tokenctl in this process against a temporary TOKENCTL_HOME (its --sim tokens plain), with a fixed clock and an
 * optional scripted terminal, and keeps every output so that a test can check no secret leaked.
 */
final class CliHarness {
    record Result(int code, String out, String err) {
        Result expect(int expected) {
            assertEquals(expected, code, "exit code; stdout:\n" + out + "\nstderr:\n" + err);
            return this;
        }

        /** Exactly one line on stderr, "tokenctl: ...". */
        Result oneErrorLine() {
            String[] lines = err.strip().split("\n");
            assertEquals(1, lines.length, "stderr: " + err);
            assertEquals(true, lines[0].startsWith("tokenctl: "), lines[0]);
            return this;
        }
    }

    final Path home;
    final Map<String, String> env = new HashMap<>();
    final List<String> outputs = new ArrayList<>();
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    /** Lines the scripted terminal answers with, in order; null means no terminal. */
    Deque<String> terminal;
    /** What each run reads on standard input. */
    byte[] stdin = new byte[0];

    CliHarness(Path home) {
        this.home = home;
        env.put("TOKENCTL_HOME", home.toString());
        // --sim test tokens stay plain, as tests that look inside them expect; the embedded token is
        // always encrypted, and SealedStateCliTest removes this to test encrypted --sim tokens.
        env.put(StatePassphrase.ENV_SIM_PLAIN, "1");
    }

    Result run(String... args) {
        return runAsking(new String[1], args);
    }

    /** As {@link #run}; {@code lastPrompt[0]} gets the last prompt the scripted terminal was shown. */
    Result runAsking(String[] lastPrompt, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal t = terminal == null ? null : new Terminal() {
            @Override
            public char[] readPassword(String prompt) {
                lastPrompt[0] = prompt;
                String line = terminal.poll();
                return line == null ? null : line.toCharArray();
            }

            @Override
            public String readLine(String prompt) {
                lastPrompt[0] = prompt;
                return terminal.poll();
            }
        };
        CliEnvironment e = new CliEnvironment(Map.copyOf(env), home.resolve("user"), t,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), clock,
                new java.io.ByteArrayInputStream(stdin));
        int code = Main.run(e, args);
        Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        outputs.add(r.out());
        outputs.add(r.err());
        return r;
    }

    /** Standard input for the following runs. */
    CliHarness stdin(byte[] bytes) {
        stdin = bytes.clone();
        return this;
    }

    CliHarness stdin(String text) {
        return stdin(text.getBytes(StandardCharsets.UTF_8));
    }

    CliHarness terminal(String... lines) {
        terminal = new ArrayDeque<>(List.of(lines));
        return this;
    }

    void at(long epochSeconds) {
        clock = Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }

    /** Fails when any output so far holds a secret, in base32 (any case, with or without padding) or hex. */
    void assertNoSecretIn(String... base32Secrets) {
        for (String secret : base32Secrets) {
            byte[] raw = io.totptoken.host.provisioning.Base32.decode(secret);
            String hex = java.util.HexFormat.of().formatHex(raw);
            String b32 = secret.replace("=", "").toUpperCase(Locale.ROOT);
            for (String output : outputs) {
                String upper = output.toUpperCase(Locale.ROOT);
                assertFalse(upper.contains(b32), "base32 secret in output:\n" + output);
                assertFalse(output.toLowerCase(Locale.ROOT).contains(hex), "hex secret in output:\n" + output);
            }
        }
    }

    /** oathtool's answer; the test fails (rather than skips) without it: CI installs it. */
    static String oathtool(String... args) {
        return Oathtool.run(args);
    }
}
