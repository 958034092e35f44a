package io.totptoken.host.cli;

import io.totptoken.host.provisioning.Accounts;
import io.totptoken.host.provisioning.NameTakenException;
import io.totptoken.host.provisioning.TokenConnection;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rename", description = {"Rename the one account QUERY names; its type and period stay.",
    "Asks first on a terminal; without a terminal it needs --force. A name another account has is refused unless --force "
        + "(which deletes that account)."})
final class RenameCommand extends TokenCommand {
    @Parameters(index = "0", paramLabel = "QUERY", description = "Part of the account's name; must match exactly one account.")
    String query;

    @Parameters(index = "1", paramLabel = "NEW-NAME", description = "ISSUER:ACCOUNT or ACCOUNT.")
    String newName;

    @Option(names = {"-f", "--force"}, description = "Do not ask, and replace (delete) an account that already has NEW-NAME.")
    boolean force;

    @Mixin
    PasswordOptions password = new PasswordOptions();

    RenameCommand(Invocation run) {
        super(run);
    }

    @Override
    public Integer call() {
        try (TokenConnection c = openUnlocked(token.single(run), password)) {
            Accounts accounts = new Accounts(c);
            Accounts.RenamePlan plan = accounts.planRename(query, newName);
            String from = plan.from().name();
            String to = plan.to().name();
            if (plan.taken() != null && !force) {
                throw new NameTakenException(c.target().label(), List.of(to));
            }
            if (!force && !confirmed("Rename " + from + " to " + to + " on " + c.target().label() + "?",
                    "accounts rename asks before it renames " + from)) {
                return ExitCodes.FAILED;
            }
            accounts.rename(plan, force);
            done(c);
            run.out().println("Renamed " + from + " to " + to
                    + (plan.taken() != null ? "; the account that had that name is deleted." : "."));
        }
        return ExitCodes.OK;
    }
}
