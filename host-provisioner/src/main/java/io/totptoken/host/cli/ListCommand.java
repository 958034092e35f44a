package io.totptoken.host.cli;

import io.totptoken.host.provisioning.Account;
import io.totptoken.host.provisioning.Accounts;
import io.totptoken.host.provisioning.TokenConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List the accounts on the token: name, type, algorithm and period.")
final class ListCommand extends TokenCommand {
    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Option(names = {"-H", "--show-hidden"}, description = "Include hidden accounts (_hidden:NAME), as ykman's -H does.")
    boolean showHidden;

    @Mixin
    PasswordOptions password = new PasswordOptions();

    ListCommand(Invocation run) {
        super(run);
    }

    @Override
    public Integer call() {
        List<Account> accounts;
        try (TokenConnection c = openUnlocked(token.single(run), password)) {
            accounts = new Accounts(c).list();
            done(c);
        }
        // A loop, not removeIf with a method reference: no lambda bootstrap on the fast path.
        for (java.util.Iterator<Account> i = accounts.iterator(); i.hasNext() && !showHidden; ) {
            if (i.next().hidden()) {
                i.remove();
            }
        }
        if (json) {
            List<Object> all = new ArrayList<>();
            for (Account a : accounts) {
                all.add(toJson(a));
            }
            run.out().println(Json.write(all));
            return ExitCodes.OK;
        }
        int width = 0;
        for (Account a : accounts) {
            width = Math.max(width, a.name().length());
        }
        for (Account a : accounts) {
            StringBuilder line = new StringBuilder(a.name()).append(" ".repeat(width - a.name().length()))
                    .append("  ").append(a.type().name()).append("  ")
                    .append(a.algorithm() == null ? "?" : a.algorithm().name());
            if (a.type() == io.totptoken.host.provisioning.OathType.TOTP) {
                line.append("  ").append(a.period()).append(" s");
            }
            run.out().println(line);
        }
        return ExitCodes.OK;
    }

    static Map<String, Object> toJson(Account a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name());
        m.put("issuer", a.issuer());
        m.put("account", a.account());
        m.put("type", a.type().name().toLowerCase(Locale.ROOT));
        m.put("algorithm", a.algorithm() == null ? null : a.algorithm().name());
        m.put("period", a.period());
        m.put("stored_name", a.idText());
        return m;
    }
}
