package io.totptoken.host.cli;

import io.totptoken.host.provisioning.RememberedKeys;
import io.totptoken.host.provisioning.TokenHome;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/**
 * What tokenctl takes from the world, injectable for tests: environment variables, the home
 * directory from the password database (used only when HOME is unset), the terminal (null when
 * there is none), output streams, the clock (its zone is the local time shown to users) and
 * standard input (read only by commands given "-").
 */
record CliEnvironment(Map<String, String> env, Path passwdHome, Terminal terminal, PrintStream out, PrintStream err,
                      Clock clock, InputStream in) {
    static final String ENV_PASSWORD = "TOKENCTL_PASSWORD";
    static final String ENV_NEW_PASSWORD = "TOKENCTL_NEW_PASSWORD";
    static final String ENV_AUTO_TOUCH = "TOKENCTL_AUTO_TOUCH";

    /** With an empty standard input. */
    CliEnvironment(Map<String, String> env, Path passwdHome, Terminal terminal, PrintStream out, PrintStream err,
                   Clock clock) {
        this(env, passwdHome, terminal, out, err, clock, InputStream.nullInputStream());
    }

    static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.home")), Terminal.system(),
                System.out, System.err, new SystemClock(), System.in);
    }

    /**
     * The system clock in the local zone, which is looked up only when a time is shown: reading
     * the zone database on every start-up would slow the fast path for nothing.
     */
    private static final class SystemClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneId.systemDefault();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.system(zone);
        }

        @Override
        public Instant instant() {
            return Instant.now();
        }
    }

    TokenHome home() {
        return TokenHome.resolve(env, passwdHome);
    }

    RememberedKeys keys() {
        return new RememberedKeys(home().keysFile());
    }

    String getenv(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }
}
