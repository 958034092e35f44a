package io.totptoken.host.cli;

import io.totptoken.host.provisioning.Accounts;
import io.totptoken.host.provisioning.TokenConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "rename", description = "Rename the one account QUERY names; its type and period stay.")
final class RenameCommand extends TokenCommand {
    @Parameters(index = "0", paramLabel = "QUERY", description = "Part of the account's name; must match exactly one account.")
    String query;

    @Parameters(index = "1", paramLabel = "NEW-NAME", description = "ISSUER:ACCOUNT or ACCOUNT.")
    String newName;

    @Mixin
    PasswordOptions password = new PasswordOptions();

    RenameCommand(Invocation run) {
        super(run);
    }

    @Override
    public Integer call() {
        try (TokenConnection c = openUnlocked(token.single(run), password)) {
            Accounts.Renamed r = new Accounts(c).rename(query, newName);
            done(c);
            run.out().println("Renamed " + r.from().name() + " to " + r.to().name() + ".");
        }
        return ExitCodes.OK;
    }
}
