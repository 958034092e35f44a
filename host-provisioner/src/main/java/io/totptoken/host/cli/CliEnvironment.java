package io.totptoken.host.cli;

import io.totptoken.host.provisioning.RememberedKeys;
import io.totptoken.host.provisioning.TokenHome;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What tokenctl takes from the world, injectable for tests: environment variables, the home
 * directory from the password database (used only when HOME is unset), the terminal (null when
 * there is none), output streams and the clock.
 */
record CliEnvironment(Map<String, String> env, Path passwdHome, Terminal terminal, PrintStream out, PrintStream err,
                      Clock clock) {
    static final String ENV_PASSWORD = "TOKENCTL_PASSWORD";
    static final String ENV_NEW_PASSWORD = "TOKENCTL_NEW_PASSWORD";
    static final String ENV_AUTO_TOUCH = "TOKENCTL_AUTO_TOUCH";

    static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.home")), Terminal.system(),
                System.out, System.err, Clock.systemUTC());
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
