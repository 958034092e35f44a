package io.totptoken.host.cli;

import io.totptoken.host.fleet.AttachedTokens;
import io.totptoken.host.fleet.InsertPrompt;
import io.totptoken.host.fleet.PskcProtection;
import io.totptoken.host.fleet.SeedEntry;
import io.totptoken.host.fleet.SeedFiles;
import io.totptoken.host.fleet.TokenSource;
import io.totptoken.host.provisioning.BoundedFile;
import io.totptoken.host.simulated.SimulatedFleet;
import io.totptoken.host.transport.SerialTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The options {@code bulk provision} and {@code bulk verify} share, as a picocli mixin: where the
 * tokens are, and what unlocks a seed file.
 */
final class BulkOptions {
    @ArgGroup(exclusive = false, heading = "Tokens:%n")
    Sources sources = new Sources();

    @ArgGroup(exclusive = false)
    SeedFileOptions seedFile = new SeedFileOptions();

    /** Where the tokens are: readers, ports or simulated tokens. */
    static final class Sources {
        @Option(names = {"-r", "--reader"}, paramLabel = "NAME", arity = "1..*",
                description = "Work the tokens in these PC/SC readers (a part of each name), one worker each.")
        List<String> readers = new ArrayList<>();

        @Option(names = "--all-readers", description = "Work the tokens in every PC/SC reader, one worker each.")
        boolean allReaders;

        @Option(names = "--port", paramLabel = "PATH", arity = "1..*",
                description = "Work the tokens on these serial ports, one worker each.")
        List<Path> ports = new ArrayList<>();

        @Option(names = "--simulated", paramLabel = "N", description = "N simulated tokens, one state file each in --sim-dir.")
        Integer simulated;

        @Option(names = "--sim-dir", paramLabel = "DIR",
                description = "Directory of the simulated tokens' state files (SERIAL.token, usable with --sim).")
        Path simDir;

        @Option(names = "--first-serial", paramLabel = "S",
                description = "With --simulated: new tokens' serials start at S (default 10000001); give each station of a --journal run its own range.")
        Long firstSerial;

        @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
                description = "Workers for simulated tokens (default ${DEFAULT-VALUE}).")
        int workers;

        @Option(names = "--yes", description = "Run unattended: never ask for the next token; each reader's token is done once.")
        boolean yes;

        TokenSource open(Invocation run) {
            int kinds = (readers.isEmpty() ? 0 : 1) + (allReaders ? 1 : 0) + (ports.isEmpty() ? 0 : 1)
                    + (simulated == null ? 0 : 1);
            if (kinds != 1) {
                throw new UsageException("name the tokens with one of --reader, --all-readers, --port or --simulated");
            }
            if (simulated != null) {
                if (simDir == null) {
                    throw new UsageException("--simulated needs --sim-dir DIR for the tokens' state files");
                }
                return firstSerial == null ? SimulatedFleet.open(simDir, simulated, workers)
                        : SimulatedFleet.open(simDir, simulated, workers, firstSerial);
            }
            if (firstSerial != null) {
                throw new UsageException("--first-serial numbers --simulated tokens");
            }
            InsertPrompt prompt = prompt(run);
            if (!ports.isEmpty()) {
                return AttachedTokens.of(ports.stream().map(Path::toString).toList(), "port", SerialTransport::open, prompt);
            }
            return allReaders ? AttachedTokens.allReaders(prompt) : AttachedTokens.readers(readers, prompt);
        }

        private InsertPrompt prompt(Invocation run) {
            Terminal t = run.env.terminal();
            if (yes || t == null) {
                return InsertPrompt.UNATTENDED;
            }
            return (lane, problem) -> {
                if (problem != null) {
                    run.note(problem);
                }
                String line = t.readLine("Insert the next token into " + lane + " and press Enter (q to stop): ");
                return line != null && !line.strip().equalsIgnoreCase("q");
            };
        }
    }

    /** A seed file and what unlocks it. */
    static final class SeedFileOptions {
        @Option(names = "--seeds-key-file", paramLabel = "FILE",
                description = "The PSKC seed file's pre-shared AES key (16 bytes, or 32 hex digits).")
        Path keyFile;

        @Option(names = "--seeds-password-file", paramLabel = "FILE",
                description = "The PSKC seed file's password (first line of FILE).")
        Path passwordFile;

        List<SeedEntry> read(Path file) {
            PskcProtection unlock = PskcProtection.none();
            if (keyFile != null && passwordFile != null) {
                throw new UsageException("give --seeds-key-file or --seeds-password-file, not both");
            }
            if (keyFile != null) {
                unlock = new PskcProtection.PreSharedKey(keyFromFile(keyFile, "--seeds-key-file"), "Pre-shared-key");
            } else if (passwordFile != null) {
                unlock = new PskcProtection.Password(PasswordOptions.readPasswordFile(passwordFile, "--seeds-password-file"), 0);
            }
            return SeedFiles.read(file, unlock);
        }
    }

    /** A key file holds 16 bytes or 32 hex digits; white space aside, 4 KiB is far more than that. */
    private static final int MAX_KEY_FILE = 4096;

    static byte[] keyFromFile(Path file, String option) {
        byte[] content;
        try {
            content = BoundedFile.read(file, MAX_KEY_FILE);
        } catch (BoundedFile.TooLargeException e) {
            throw new UsageException(option + ": " + file + " " + e.getMessage() + "; that is not a key file");
        } catch (IOException e) {
            throw new UsageException(option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        try {
            if (content.length == 16) {
                return content.clone();
            }
            String text = new String(content, java.nio.charset.StandardCharsets.US_ASCII).strip();
            if (text.length() == 32 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return java.util.HexFormat.of().parseHex(text);
            }
            throw new UsageException(option + ": " + file + " holds neither 16 bytes nor 32 hex digits");
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }
}
