package io.totptoken.host.cli;

import io.totptoken.host.fleet.AttachedTokens;
import io.totptoken.host.fleet.FleetException;
import io.totptoken.host.fleet.FleetOptions;
import io.totptoken.host.fleet.FleetOutputs;
import io.totptoken.host.fleet.FleetResult;
import io.totptoken.host.fleet.FleetRow;
import io.totptoken.host.fleet.FleetRun;
import io.totptoken.host.fleet.FleetVerifier;
import io.totptoken.host.fleet.InsertPrompt;
import io.totptoken.host.fleet.JournalFailedException;
import io.totptoken.host.fleet.Manifest;
import io.totptoken.host.fleet.ProgressReporter;
import io.totptoken.host.fleet.PskcProtection;
import io.totptoken.host.fleet.SeedEntry;
import io.totptoken.host.fleet.SeedFiles;
import io.totptoken.host.fleet.SeedRows;
import io.totptoken.host.fleet.SimulatedFleet;
import io.totptoken.host.fleet.TokenOutcome;
import io.totptoken.host.fleet.TokenSource;
import io.totptoken.host.provisioning.BoundedFile;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.InvalidCredentialException;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.transport.SerialTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokenctl bulk provision|verify}: fleets of tokens, through the io.totptoken.host.fleet library. */
final class BulkCommands {
    private BulkCommands() {
    }

    @Command(name = "bulk", description = "Provision or audit many tokens at once (docs/fleet.md).")
    static final class Group extends Groups.ShowsUsage {
        @Mixin
        VerboseOption verbose;

        Group(Invocation run) {
            this.verbose = new VerboseOption(run);
        }
    }

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
                return SimulatedFleet.open(simDir, simulated, workers);
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

    @Command(name = "provision", description = {
        "Write a credential to every token of a fleet, read a code back from each, and record it all in --out:",
        "a journal, privacyIDEA and LinOTP CSV, PSKC, a report (and otpauth URIs with --uris). The files hold seeds: "
            + "they are owner-only; delete them once imported.",
        "A killed run continues with --resume; no token is written twice and no user gets a second seed."})
    static final class Provision implements Callable<Integer> {
        private final Invocation run;

        @Mixin
        VerboseOption verbose;

        @ArgGroup(exclusive = false, heading = "Tokens:%n")
        Sources sources = new Sources();

        @Option(names = "--manifest", paramLabel = "FILE",
                description = "CSV of users: account, and optionally issuer, serial, seed, user, realm, resolver.")
        Path manifest;

        @Option(names = "--seeds", paramLabel = "FILE",
                description = "Write the seeds of this PSKC, privacyIDEA or LinOTP file to the tokens of their serials.")
        Path seeds;

        @ArgGroup(exclusive = false)
        SeedFileOptions seedFile = new SeedFileOptions();

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for the journal and outputs.")
        Path out;

        @Option(names = "--issuer", paramLabel = "NAME", description = "Issuer for rows without one.")
        String issuer;

        @Option(names = "--type", paramLabel = "TYPE", defaultValue = "totp", description = "totp (default) or hotp.")
        String type;

        @Option(names = {"-a", "--algorithm"}, paramLabel = "ALG", defaultValue = "SHA1",
                description = "SHA1 (default), SHA256 or SHA512; generated seeds are 20, 32 or 64 bytes.")
        String algorithm;

        @Option(names = {"-d", "--digits"}, defaultValue = "6", description = "6 (default), 7 or 8.")
        int digits;

        @Option(names = "--period", defaultValue = "30", description = "TOTP period in seconds (default 30).")
        int period;

        @Option(names = "--touch", description = "Codes need a touch (verification then waits for one on each token).")
        boolean touch;

        @Option(names = "--admin-password-file", paramLabel = "FILE",
                description = "Set the password in FILE (first line) on every token.")
        Path adminPasswordFile;

        @Option(names = "--reset", description = "Wipe tokens that already hold credentials or a password.")
        boolean reset;

        @Option(names = "--resume", description = "Continue the run recorded in --out.")
        boolean resume;

        @Option(names = "--force-new-seed",
                description = "With --resume: give new seeds to rows whose token was written but never verified (a lost token).")
        boolean forceNewSeed;

        @Option(names = "--pskc-key-file", paramLabel = "FILE",
                description = "Encrypt the PSKC output with this pre-shared AES key (16 bytes, or 32 hex digits).")
        Path pskcKeyFile;

        @Option(names = "--pskc-password-file", paramLabel = "FILE",
                description = "Encrypt the PSKC output with a key derived by PBKDF2 from the password in FILE.")
        Path pskcPasswordFile;

        @Option(names = "--uris", description = "Also write otpauth:// URIs.")
        boolean uris;

        Provision(Invocation run) {
            this.run = run;
            this.verbose = new VerboseOption(run);
        }

        @Override
        public Integer call() {
            OathType oathType = OathType.fromName(type);
            HashAlgorithm hash = HashAlgorithm.fromName(algorithm);
            char[] admin = adminPasswordFile == null ? null
                    : PasswordOptions.readPasswordFile(adminPasswordFile, "--admin-password-file");
            try {
                FleetOptions options;
                List<FleetRow> rows;
                PskcProtection protection;
                TokenSource source;
                try {
                    options = new FleetOptions(oathType, hash, digits, period, issuer, touch, admin, reset,
                            forceNewSeed, run.env.clock());
                    rows = rows(oathType);
                    protection = protection();
                    source = sources.open(run);
                } catch (FleetException | InvalidCredentialException e) {
                    throw new UsageException(e.getMessage()); // nothing was written: a bad manifest, seed file or option
                }
                ProgressReporter progress = new ProgressReporter(run.err(), run.env.terminal() != null);
                FleetResult result;
                FleetOutputs.Written written;
                FleetRun fleet;
                try {
                    fleet = FleetRun.start(out, rows, options, resume);
                } catch (JournalFailedException e) {
                    return failed(e);
                } catch (FleetException e) {
                    throw new UsageException(e.getMessage()); // the journal exists, or does not match the resume
                }
                try (fleet) {
                    result = fleet.provision(source, progress);
                    written = fleet.writeOutputs(new FleetOutputs.Options(protection, uris));
                } catch (FleetException e) {
                    return failed(e);
                }
                progress.summary(result);
                written.notes().forEach(run::note);
                written.files().forEach(f -> run.out().println(f));
                if (result.stopped() != null) {
                    return ExitCodes.FAILED;
                }
                return result.complete() ? ExitCodes.OK : ExitCodes.PARTIAL;
            } finally {
                if (admin != null) {
                    Arrays.fill(admin, '\0');
                }
            }
        }

        /** The journal or the outputs could not be written: the journal holds what was done; --resume continues. */
        private int failed(FleetException e) {
            run.err().println("tokenctl: " + e.getMessage().replaceAll("[\\r\\n]+", " "));
            Failures.trace(run, e);
            return ExitCodes.FAILED;
        }

        private List<FleetRow> rows(OathType oathType) {
            if (manifest == null && seeds == null) {
                throw new UsageException("give --manifest FILE, --seeds FILE, or both");
            }
            List<FleetRow> fromManifest = manifest == null ? null : Manifest.read(manifest, issuer, oathType, period);
            return seeds == null ? fromManifest : SeedRows.rows(seedFile.read(seeds), fromManifest);
        }

        private PskcProtection protection() {
            if (pskcKeyFile != null && pskcPasswordFile != null) {
                throw new UsageException("give --pskc-key-file or --pskc-password-file, not both");
            }
            if (pskcKeyFile != null) {
                return new PskcProtection.PreSharedKey(keyFromFile(pskcKeyFile, "--pskc-key-file"), "Pre-shared-key");
            }
            if (pskcPasswordFile != null) {
                return new PskcProtection.Password(PasswordOptions.readPasswordFile(pskcPasswordFile, "--pskc-password-file"),
                        PskcProtection.DEFAULT_ITERATIONS);
            }
            return PskcProtection.none();
        }
    }

    @Command(name = "verify", description = {
        "Audit attached tokens against a seed file without writing to them: each token's TOTP code is compared "
            + "with the code of its serial's seed. HOTP entries are skipped (reading a code advances the counter)."})
    static final class Verify implements Callable<Integer> {
        private final Invocation run;

        @Mixin
        VerboseOption verbose;

        @ArgGroup(exclusive = false, heading = "Tokens:%n")
        Sources sources = new Sources();

        @Option(names = "--seeds", paramLabel = "FILE", required = true,
                description = "PSKC, privacyIDEA or LinOTP seed file.")
        Path seeds;

        @ArgGroup(exclusive = false)
        SeedFileOptions seedFile = new SeedFileOptions();

        @Option(names = "--admin-password-file", paramLabel = "FILE",
                description = "The tokens' password (first line of FILE), to unlock them.")
        Path adminPasswordFile;

        Verify(Invocation run) {
            this.run = run;
            this.verbose = new VerboseOption(run);
        }

        @Override
        public Integer call() {
            char[] admin = adminPasswordFile == null ? null
                    : PasswordOptions.readPasswordFile(adminPasswordFile, "--admin-password-file");
            try {
                List<SeedEntry> entries = seedFile.read(seeds);
                TokenSource source = sources.open(run);
                ProgressReporter progress = new ProgressReporter(run.err(), run.env.terminal() != null);
                List<TokenOutcome> outcomes = new FleetVerifier(entries, admin, run.env.clock()).verify(source, progress);
                long ok = outcomes.stream().filter(o -> o.result() == TokenOutcome.Result.PROVISIONED).count();
                run.note("");
                for (TokenOutcome o : outcomes) {
                    run.out().println(o.serial() + "," + (o.result() == TokenOutcome.Result.PROVISIONED ? "match"
                            : o.result() == TokenOutcome.Result.REFUSED ? "skipped" : "MISMATCH")
                            + (o.reason() == null ? "" : "," + o.reason()));
                }
                run.note(ok + " of " + outcomes.size() + " tokens match the seed file");
                return ok == outcomes.size() ? ExitCodes.OK : ExitCodes.PARTIAL;
            } catch (FleetException e) {
                throw new UsageException(e.getMessage());
            } finally {
                if (admin != null) {
                    Arrays.fill(admin, '\0');
                }
            }
        }
    }
}
