package io.totptoken.host.cli;

import io.totptoken.host.fleet.EntraCsv;
import io.totptoken.host.fleet.FleetException;
import io.totptoken.host.fleet.FleetOptions;
import io.totptoken.host.fleet.FleetOutputs;
import io.totptoken.host.fleet.FleetResult;
import io.totptoken.host.fleet.FleetRow;
import io.totptoken.host.fleet.FleetRun;
import io.totptoken.host.fleet.JournalFailedException;
import io.totptoken.host.fleet.Manifest;
import io.totptoken.host.fleet.PgLocation;
import io.totptoken.host.fleet.ProgressReporter;
import io.totptoken.host.fleet.PskcProtection;
import io.totptoken.host.fleet.RequiredOutputs;
import io.totptoken.host.fleet.SeedParams;
import io.totptoken.host.fleet.SeedRows;
import io.totptoken.host.fleet.TokenSource;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.InvalidCredentialException;
import io.totptoken.host.provisioning.OathType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokenctl bulk provision}: a fleet of tokens written and verified through the io.totptoken.host.fleet library. */
@Command(name = "provision", description = {
    "Write a credential to every token of a fleet, read a code back from each, and record it all in --out:",
    "a journal, privacyIDEA and LinOTP CSV, PSKC, Microsoft Entra ID CSV, a pam_oath usersfile, a report (and otpauth "
        + "URIs with --uris). The files hold seeds: they are owner-only; delete them once imported.",
    "A killed run continues with --resume; no token is written twice and no user gets a second seed.",
    "With --journal postgresql://USER@HOST[:PORT]/DB several stations share one run (docs/fleet.md)."})
final class BulkProvisionCommand implements Callable<Integer> {
    private final Invocation run;

    @Mixin
    SeedFileOptions files = new SeedFileOptions();

    @Mixin
    VerboseOption verbose;

    @Mixin
    BulkOptions shared = new BulkOptions();

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "CSV of users: account, and optionally issuer, serial, seed, user, realm, resolver, upn.")
    Path manifest;

    @Option(names = "--seeds", paramLabel = "FILE",
            description = "Write the seeds of this PSKC, privacyIDEA or LinOTP file to the tokens of their serials.")
    Path seeds;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory for the journal and outputs (optional with --journal: outputs then come from bulk export).")
    Path out;

    @Option(names = "--journal", paramLabel = "URI",
            description = "Keep the run in PostgreSQL, shared by every station: postgresql://USER@HOST[:PORT]/DB "
                    + "(password from PGPASSWORD or ~/.pgpass).")
    String journal;

    @Option(names = "--station", paramLabel = "NAME",
            description = "This station's name in a --journal run (default: the host name); --resume needs the same one.")
    String station;

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

    @Option(names = "--entra", description = "Refuse, before anything is written, rows entra.csv cannot hold "
            + "(no UPN, not SHA-1 TOTP of 30 or 60 s and 6 digits); without it entra.csv is skipped when one does not fit.")
    boolean entra;

    @Option(names = "--pam-oath", description = "Refuse, before anything is written, rows users.oath cannot hold "
            + "(a user that is no login name, not SHA-1); without it users.oath is skipped when one does not fit.")
    boolean pamOath;

    BulkProvisionCommand(Invocation run) {
        this.run = run;
        this.verbose = new VerboseOption(run);
    }

    @Override
    public Integer call() {
        if (out == null && journal == null) {
            throw new UsageException("give --out DIR for the journal and outputs (or a shared --journal postgresql://...)");
        }
        if (journal != null) {
            SharedJournalOption.location(journal); // a bad URI before anything else
        }
        OathType oathType = OathType.fromName(type);
        HashAlgorithm hash = HashAlgorithm.fromName(algorithm);
        char[] admin = adminPasswordFile == null ? null
                : PasswordOptions.readPasswordFile(adminPasswordFile, "--admin-password-file");
        try {
            FleetOptions options;
            List<FleetRow> rows;
            PskcProtection protection;
            EntraCsv.Device device;
            TokenSource source;
            try {
                options = new FleetOptions(oathType, hash, digits, period, issuer, touch, admin, reset,
                        forceNewSeed, run.env.clock());
                rows = rows(oathType);
                RequiredOutputs.check(rows, new SeedParams(oathType, hash, digits, period, 0), entra, pamOath,
                        manifest == null ? "entry" : "line");
                device = files.device();
                protection = files.protection();
                source = shared.sources.open(run);
            } catch (FleetException | InvalidCredentialException e) {
                throw new UsageException(e.getMessage()); // nothing was written: a bad manifest, seed file or option
            }
            ProgressReporter progress = new ProgressReporter(run.err(), run.env.terminal() != null);
            FleetResult result;
            FleetOutputs.Written written;
            FleetRun fleet;
            try {
                fleet = start(rows, options);
            } catch (JournalFailedException e) {
                return Failures.report(run, e); // the journal cannot be written
            } catch (FleetException e) {
                throw new UsageException(e.getMessage()); // the journal exists, or does not match the resume
            }
            try (fleet) {
                result = fleet.provision(source, progress);
                written = out == null ? null : fleet.writeOutputs(new FleetOutputs.Options(protection, files.uris, device));
            } catch (FleetException e) {
                return Failures.report(run, e); // the journal holds what was done; --resume continues
            }
            progress.summary(result);
            if (written != null) {
                written.notes().forEach(run::note);
                written.files().forEach(f -> run.out().println(f));
            }
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

    private FleetRun start(List<FleetRow> rows, FleetOptions options) {
        if (journal == null) {
            if (station != null) {
                throw new UsageException("--station names a station of a --journal run");
            }
            return FleetRun.start(out, rows, options, resume);
        }
        String name = station != null ? station : SharedJournalOption.hostName(run);
        if (!name.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new UsageException("--station: 1 to 64 letters, digits and . _ @ - (a host name fits), not '"
                    + Failures.oneLine(name) + "'");
        }
        PgLocation location = SharedJournalOption.location(journal);
        char[] password = SharedJournalOption.password(run, location);
        try {
            return FleetRun.startShared(location, password, name, out, rows, options, resume);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private List<FleetRow> rows(OathType oathType) {
        if (manifest == null && seeds == null) {
            throw new UsageException("give --manifest FILE, --seeds FILE, or both");
        }
        List<FleetRow> fromManifest = manifest == null ? null : Manifest.read(manifest, issuer, oathType, period);
        return seeds == null ? fromManifest : SeedRows.rows(shared.seedFile.read(seeds), fromManifest);
    }
}
