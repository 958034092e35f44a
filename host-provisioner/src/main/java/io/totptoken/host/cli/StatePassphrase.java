package io.totptoken.host.cli;

import io.totptoken.host.provisioning.Keyring;
import io.totptoken.host.provisioning.PasswordSource;
import io.totptoken.host.provisioning.StateKeyFiles;
import io.totptoken.host.provisioning.StateProtection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How a simulated token's state file is protected, from the command line and the environment:
 * the passphrase from {@code --passphrase-file}, {@code TOKENCTL_PASSPHRASE_FILE} or
 * {@code TOKENCTL_PASSPHRASE}, else a prompt on a terminal when the file needs one; the keyring
 * the environment names; the key directory. {@code TOKENCTL_SIM_PLAIN=1} keeps {@code --sim}
 * test tokens unencrypted (never the embedded token).
 */
final class StatePassphrase {
    static final String ENV_PASSPHRASE = "TOKENCTL_PASSPHRASE";
    static final String ENV_PASSPHRASE_FILE = "TOKENCTL_PASSPHRASE_FILE";
    static final String ENV_SIM_PLAIN = "TOKENCTL_SIM_PLAIN";
    /** A passphrase file holds one line; anything longer is not one, and is not read into memory. */
    static final int MAX_FILE = 4096;

    private StatePassphrase() {
    }

    static boolean plainSims(Invocation run) {
        return "1".equals(run.env.getenv(ENV_SIM_PLAIN));
    }

    static StateProtection protection(Invocation run, Path optionFile, boolean keepPlain) {
        CliEnvironment env = run.env;
        PasswordSource passphrase = new PasswordSource() {
            @Override
            public char[] given() {
                if (optionFile != null) {
                    return read(optionFile, "--passphrase-file");
                }
                String file = env.getenv(ENV_PASSPHRASE_FILE);
                if (file != null) {
                    return read(Path.of(file), ENV_PASSPHRASE_FILE);
                }
                String value = env.getenv(ENV_PASSPHRASE);
                return value == null ? null : value.toCharArray();
            }

            @Override
            public char[] ask(String token) {
                Terminal t = env.terminal();
                return t == null ? null : t.readPassword("Passphrase for " + token + ": ");
            }
        };
        return new StateProtection(passphrase, Keyring.system(env.env(), System.getProperty("os.name", "")),
                StateKeyFiles.resolve(env.env(), env.passwdHome()), keepPlain, line -> run.note("tokenctl: " + line));
    }

    /** The first line of a passphrase file of at most 4 KB. */
    static char[] read(Path file, String source) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE + 1);
        } catch (IOException e) {
            throw new UsageException(source + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        if (bytes.length > MAX_FILE) {
            Arrays.fill(bytes, (byte) 0);
            throw new UsageException(source + ": " + file + " is over 4 KB; a passphrase file holds one line");
        }
        try {
            return PasswordOptions.readPasswordBytes(bytes, file, source);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
