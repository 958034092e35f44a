package io.totptoken.host.provisioning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The directory where tokenctl keeps the embedded token and remembered password keys:
 * {@code $TOKENCTL_HOME}, else {@code $XDG_CONFIG_HOME/tokenctl}, else {@code $HOME/.config/tokenctl}.
 * {@code $HOME} is read from the environment, as every Unix tool does: Java's {@code user.home}
 * comes from the password database and ignores it, so it is only the fallback when HOME is unset.
 * A relative {@code XDG_CONFIG_HOME} or {@code HOME} is ignored, as the XDG Base Directory
 * specification says for its variables: a relative path would move with the working directory.
 * Both files hold key material, so the directory and every directory it creates are owner-only.
 */
public record TokenHome(Path dir) {
    public static final String ENV_HOME = "TOKENCTL_HOME";
    static final String TOKEN_FILE = "token.sim";
    static final String KEYS_FILE = "keys.json";

    /**
     * Resolves the directory from environment variables, with {@code passwdHome} (Java's
     * {@code user.home}) for a missing HOME; creates nothing.
     */
    public static TokenHome resolve(Map<String, String> env, Path passwdHome) {
        String home = env.get(ENV_HOME);
        if (home != null && !home.isBlank()) {
            return new TokenHome(Path.of(home).toAbsolutePath());
        }
        Path config = absolute(env.get("XDG_CONFIG_HOME"));
        if (config == null) {
            Path userHome = absolute(env.get("HOME"));
            config = (userHome != null ? userHome : passwdHome).resolve(".config");
        }
        return new TokenHome(config.resolve("tokenctl").toAbsolutePath());
    }

    private static Path absolute(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Path p = Path.of(value);
        return p.isAbsolute() ? p : null;
    }

    /** The state file of the embedded simulated token. */
    public Path tokenFile() {
        return dir.resolve(TOKEN_FILE);
    }

    /** Remembered password keys (never passwords), by token ID. */
    public Path keysFile() {
        return dir.resolve(KEYS_FILE);
    }

    /** Creates the directory, and any missing parent, readable by the owner only. */
    public Path create() {
        createPrivate(dir);
        return dir;
    }

    public static void createPrivate(Path dir) {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        createPrivate(dir.toAbsolutePath().getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new UncheckedIOException("cannot create the directory " + dir + ": a file of that name exists", e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
