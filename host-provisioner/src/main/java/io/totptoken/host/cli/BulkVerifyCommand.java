package io.totptoken.host.cli;

import io.totptoken.host.fleet.FleetException;
import io.totptoken.host.fleet.FleetVerifier;
import io.totptoken.host.fleet.ProgressReporter;
import io.totptoken.host.fleet.SeedEntry;
import io.totptoken.host.fleet.TokenOutcome;
import io.totptoken.host.fleet.TokenSource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokenctl bulk verify}: attached tokens audited against a seed file, read only. */
@Command(name = "verify", description = {
    "Audit attached tokens against a seed file without writing to them: each token's TOTP code is compared "
        + "with the code of its serial's seed. HOTP entries are skipped (reading a code advances the counter)."})
final class BulkVerifyCommand implements Callable<Integer> {
    private final Invocation run;

    @Mixin
    VerboseOption verbose;

    @Mixin
    BulkOptions shared = new BulkOptions();

    @Option(names = "--seeds", paramLabel = "FILE", required = true,
            description = "PSKC, privacyIDEA or LinOTP seed file.")
    Path seeds;

    @Option(names = "--admin-password-file", paramLabel = "FILE",
            description = "The tokens' password (first line of FILE), to unlock them.")
    Path adminPasswordFile;

    BulkVerifyCommand(Invocation run) {
        this.run = run;
        this.verbose = new VerboseOption(run);
    }

    @Override
    public Integer call() {
        char[] admin = adminPasswordFile == null ? null
                : PasswordOptions.readPasswordFile(adminPasswordFile, "--admin-password-file");
        try {
            List<SeedEntry> entries = shared.seedFile.read(seeds);
            TokenSource source = shared.sources.open(run);
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
