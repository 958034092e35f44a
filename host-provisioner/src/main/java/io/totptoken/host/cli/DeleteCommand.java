package io.totptoken.host.cli;

import io.totptoken.host.provisioning.Account;
import io.totptoken.host.provisioning.Accounts;
import io.totptoken.host.provisioning.TokenConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = "Delete the one account QUERY names.")
final class DeleteCommand extends TokenCommand {
    @Parameters(index = "0", paramLabel = "QUERY",
            description = "Part of the account's name (any case); must match exactly one account, or name it exactly.")
    String query;

    @Mixin
    PasswordOptions password = new PasswordOptions();

    DeleteCommand(Invocation run) {
        super(run);
    }

    @Override
    public Integer call() {
        try (TokenConnection c = openUnlocked(token.single(run), password)) {
            Account deleted = new Accounts(c).delete(query);
            done(c);
            run.out().println("Deleted " + deleted.name() + ".");
        }
        return ExitCodes.OK;
    }
}
