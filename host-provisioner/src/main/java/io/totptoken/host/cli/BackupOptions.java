package io.totptoken.host.cli;

import io.totptoken.host.provisioning.BoundedFile;
import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.imports.AegisBackup;
import io.totptoken.host.storage.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The encrypted Aegis vault {@code accounts add} keeps as a backup: given with --backup, or the
 * default one named in the token home's file {@code default-backup} (one line: the vault's path),
 * which --backup FILE --set-default writes. Its password, like a token's, is never an option value:
 * --backup-password-file, TOKENCTL_BACKUP_PASSWORD, or a prompt without echo (twice for a new vault).
 */
final class BackupOptions {
    static final String ENV_BACKUP_PASSWORD = "TOKENCTL_BACKUP_PASSWORD";
    static final String DEFAULT_FILE = "default-backup";

    @Option(names = "--backup", paramLabel = "FILE",
            description = "Also put every credential added into the encrypted Aegis vault FILE (created when missing; "
                    + "an account of the same issuer and name is replaced), written before any token.")
    Path file;

    @Option(names = "--set-default-backup",
            description = "Remember --backup FILE (in the token home's default-backup file), so that every later "
                    + "accounts add keeps it current without --backup.")
    boolean setDefault;

    @Option(names = "--no-backup", description = "Do not write the default backup this time.")
    boolean none;

    @Option(names = "--backup-password-file", paramLabel = "FILE",
            description = "Read the backup vault's password from the first line of FILE (else "
                    + ENV_BACKUP_PASSWORD + ", else asked on the terminal).")
    Path passwordFile;

    /** The backup to keep, opened and its password checked; null when there is none. */
    AegisBackup open(Invocation run) {
        if (none && (file != null || setDefault)) {
            throw new UsageException("--no-backup goes without --backup and --set-default-backup");
        }
        if (setDefault && file == null) {
            throw new UsageException("--set-default-backup needs --backup FILE");
        }
        Path vault = none ? null : file != null ? file : defaultBackup(run);
        if (vault == null) {
            if (passwordFile != null) {
                throw new UsageException("--backup-password-file needs --backup FILE or a default backup");
            }
            return null;
        }
        return AegisBackup.open(vault, password(run), new SecureRandom());
    }

    /**
     * Puts {@code specs} into the backup and writes it, before any token is written: a failure
     * here leaves every token as it was. With --set-default-backup, remembers the vault afterwards.
     */
    void write(Invocation run, AegisBackup backup, List<CredentialSpec> specs) {
        backup.add(specs);
        try {
            backup.write();
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot write the backup " + backup.file() + " ("
                    + e.getMessage() + "); no token was written", e));
        }
        run.note("Backed up " + specs.size() + (specs.size() == 1 ? " account" : " accounts") + " to " + backup.file() + ".");
        if (setDefault) {
            rememberDefault(run, backup.file());
        }
    }

    private AegisBackup.Password password(Invocation run) {
        return new AegisBackup.Password() {
            @Override
            public char[] forExisting(Path vault) {
                char[] given = given(run);
                return given != null ? given : ask(run, "Password of the backup " + vault + ": ");
            }

            @Override
            public char[] forNew(Path vault) {
                char[] given = given(run);
                if (given != null) {
                    return given;
                }
                char[] first = ask(run, "New password for the backup " + vault + ": ");
                char[] second = ask(run, "The same password again: ");
                boolean same = Arrays.equals(first, second);
                Arrays.fill(second, '\0');
                if (!same) {
                    Arrays.fill(first, '\0');
                    throw new UsageException("the two passwords for the backup differ; nothing was written");
                }
                return first;
            }
        };
    }

    private char[] given(Invocation run) {
        if (passwordFile != null) {
            return PasswordOptions.readPasswordFile(passwordFile, "--backup-password-file");
        }
        String env = run.env.getenv(ENV_BACKUP_PASSWORD);
        return env == null || env.isEmpty() ? null : env.toCharArray();
    }

    private static char[] ask(Invocation run, String prompt) {
        Terminal t = run.env.terminal();
        if (t == null) {
            throw new UsageException("the backup needs its password: give --backup-password-file FILE or "
                    + ENV_BACKUP_PASSWORD + ", or run on a terminal to be asked");
        }
        char[] typed = t.readPassword(prompt);
        if (typed == null || typed.length == 0) {
            throw new UsageException("no password typed for the backup");
        }
        return typed;
    }

    /** The vault named in the token home's default-backup file, or null when there is none. */
    static Path defaultBackup(Invocation run) {
        Path setting = run.env.home().dir().resolve(DEFAULT_FILE);
        byte[] bytes;
        try {
            bytes = BoundedFile.read(setting, PasswordOptions.MAX_PASSWORD_LINE);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UsageException("cannot read the default backup setting " + setting + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        String line = new String(bytes, StandardCharsets.UTF_8).strip();
        int newline = line.indexOf('\n');
        line = newline < 0 ? line : line.substring(0, newline).strip();
        if (line.isEmpty()) {
            return null;
        }
        Path vault = Path.of(line);
        if (!vault.isAbsolute()) {
            throw new UsageException(setting + " names " + line + ", not an absolute path; fix it or write it again "
                    + "with accounts add --backup FILE --set-default-backup");
        }
        return vault;
    }

    private static void rememberDefault(Invocation run, Path vault) {
        Path dir = run.env.home().create();
        try {
            AtomicFile.write(dir.resolve(DEFAULT_FILE), (vault.toAbsolutePath() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot write the default backup setting in " + dir
                    + " (" + e.getMessage() + ")", e));
        }
        run.note("Every later accounts add keeps " + vault + " current (--no-backup skips it once).");
    }
}
