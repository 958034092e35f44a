package io.totptoken.host.cli;

import io.totptoken.host.provisioning.Account;
import io.totptoken.host.provisioning.Accounts;
import io.totptoken.host.provisioning.TokenConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = {"Delete the one account QUERY names.",
    "Asks first on a terminal, showing the account's full name; without a terminal it needs --force."})
final class DeleteCommand extends TokenCommand {
    @Parameters(index = "0", paramLabel = "QUERY",
            description = "Part of the account's name (any case); must match exactly one account, or name it exactly.")
    String query;

    @Option(names = {"-f", "--force"}, description = "Do not ask.")
    boolean force;

    @Mixin
    PasswordOptions password = new PasswordOptions();

    DeleteCommand(Invocation run) {
        super(run);
    }

    @Override
    public Integer call() {
        try (TokenConnection c = openUnlocked(token.single(run), password)) {
            Accounts accounts = new Accounts(c);
            Account a = accounts.find(query);
            if (!force && !confirmed("Delete " + a.name() + " from " + c.target().label() + "?",
                    "accounts delete asks before it deletes " + a.name())) {
                return ExitCodes.FAILED;
            }
            accounts.delete(a);
            done(c);
            run.out().println("Deleted " + a.name() + ".");
        }
        return ExitCodes.OK;
    }
}
