package io.totptoken.host.cli;

import io.totptoken.host.provisioning.TokenTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run that ./tokenctl makes once after each build with {@code -XX:ArchiveClassesAtExit}: it
 * loads the classes of the everyday commands (add, code, list on a throwaway simulated token, one
 * under a passphrase, and the PC/SC classes), so that the class archive serves every later run whatever its first command.
 * Touches neither the user's token nor any reader's token.
 */
public final class ArchiveTraining {
    private ArchiveTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("tokenctl-training");
        try {
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
            CliEnvironment env = new CliEnvironment(Map.of("TOKENCTL_HOME", dir.toString()), dir, null, sink, sink,
                    Clock.systemUTC());
            String sim = dir.resolve("training.sim").toString();
            Main.run(env, "accounts", "add", "--sim", sim, "otpauth://totp/Training:a?secret=JBSWY3DPEHPK3PXP&period=60");
            Main.run(env, "accounts", "add", "--sim", sim, "otpauth://totp/Training:b?secret=JBSWY3DPEHPK3PXP");
            Main.run(env, "accounts", "code", "--sim", sim);
            Main.run(env, "accounts", "code", "--sim", sim, "--json", "Training:a");
            Main.run(env, "accounts", "list", "--sim", sim);
            Main.run(env, "accounts", "code", "--sim", sim, "nothing matches this");
            // A state file under a passphrase: scrypt's classes, for those who give one.
            CliEnvironment withPassphrase = new CliEnvironment(Map.of("TOKENCTL_HOME", dir.toString(),
                    StatePassphrase.ENV_PASSPHRASE, "training"), dir, null, sink, sink, Clock.systemUTC());
            Main.run(withPassphrase, "accounts", "list", "--sim", dir.resolve("passphrase.sim").toString());
            try {
                TokenTarget.readers(); // javax.smartcardio's classes; lists readers, opens no card
            } catch (RuntimeException | LinkageError e) {
                // no PC/SC on this machine: its classes are loaded all the same
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
