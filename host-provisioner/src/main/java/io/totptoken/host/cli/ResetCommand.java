package io.totptoken.host.cli;

import io.totptoken.host.provisioning.Access;
import io.totptoken.host.provisioning.TokenConnection;
import io.totptoken.host.provisioning.TokenTarget;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reset", description = {"Factory-reset the token's OATH application: every account and the password are deleted.",
    "Asks first on a terminal; without a terminal it needs --force.",
    "Works on a simulated token whose state file is damaged: it starts empty."})
final class ResetCommand extends TokenCommand {
    @Option(names = {"-f", "--force"}, description = "Do not ask.")
    boolean force;

    ResetCommand(Invocation run) {
        super(run);
    }

    @Override
    public Integer call() {
        TokenTarget target = token.single(run);
        Terminal t = run.env.terminal();
        if (!force && t == null) {
            throw new UsageException("reset deletes every account; with no terminal to ask on, add --force");
        }
        try (TokenConnection c = openForReset(target)) {
            if (!force) {
                String answer = t.readLine("Reset " + target.label() + "? Every account and the password will be deleted. [y/N] ");
                if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
                    run.note("Nothing was changed.");
                    return ExitCodes.FAILED;
                }
            }
            new Access(run.env.keys()).reset(c);
            done(c);
        }
        run.out().println("Reset " + target.label() + ": no accounts, no password.");
        return ExitCodes.OK;
    }
}
