package io.totptoken.host.cli;

import io.totptoken.host.provisioning.imports.ImportException;
import io.totptoken.host.provisioning.imports.ImportPassword;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * The password of an encrypted export (an Aegis vault, a 2FAS or andOTP backup). As with the
 * token's password, never an option value: a file, TOKENCTL_IMPORT_PASSWORD, or a prompt without
 * echo on a terminal, in that order.
 */
final class ImportPasswordOptions {
    static final String ENV_IMPORT_PASSWORD = "TOKENCTL_IMPORT_PASSWORD";

    @Option(names = "--import-password-file", paramLabel = "FILE",
            description = "Read the password of encrypted exports (Aegis, 2FAS, andOTP) from the first line of FILE; "
                    + "else " + ENV_IMPORT_PASSWORD + ", else it is asked without echo on a terminal.")
    Path file;

    /**
     * The password source for one export file: asked (or read) at most once however often the
     * format asks; {@link FilePassword#close} wipes the copy kept.
     */
    FilePassword forFile(Invocation run) {
        return new FilePassword(run);
    }

    final class FilePassword implements ImportPassword, AutoCloseable {
        private final Invocation run;
        private char[] kept;

        private FilePassword(Invocation run) {
            this.run = run;
        }

        @Override
        public char[] forFile(String what) {
            if (kept == null) {
                kept = obtain(what);
            }
            return kept.clone();
        }

        private char[] obtain(String what) {
            if (file != null) {
                return PasswordOptions.readPasswordFile(file, "--import-password-file");
            }
            String env = run.env.getenv(ENV_IMPORT_PASSWORD);
            if (env != null) {
                return env.toCharArray();
            }
            Terminal t = run.env.terminal();
            if (t == null) {
                throw new ImportException(what + " is encrypted; give its password with --import-password-file FILE or "
                        + ENV_IMPORT_PASSWORD + ", or run on a terminal to be asked");
            }
            char[] typed = t.readPassword("Password for " + what + ": ");
            if (typed == null || typed.length == 0) {
                throw new ImportException("no password was typed for " + what);
            }
            return typed;
        }

        @Override
        public void close() {
            if (kept != null) {
                Arrays.fill(kept, '\0');
            }
        }
    }
}
