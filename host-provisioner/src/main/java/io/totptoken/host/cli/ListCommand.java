package io.totptoken.host.cli;

import io.totptoken.host.provisioning.Account;
import io.totptoken.host.provisioning.Accounts;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.provisioning.TokenConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list",
        description = "List the accounts on the token: name, type, algorithm, period, and touch for those that need one.")
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
        Optional<Set<String>> touch;
        try (TokenConnection c = openUnlocked(token.single(run), password)) {
            Accounts on = new Accounts(c);
            accounts = on.list();
            touch = on.needingTouch(run.env.clock().instant());
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
                Map<String, Object> m = toJson(a);
                m.put("touch", a.type() == OathType.HOTP || touch.isEmpty() ? null : touch.get().contains(a.idText()));
                all.add(m);
            }
            run.out().println(Json.write(all));
            return ExitCodes.OK;
        }
        print(accounts, touch.orElse(Set.of()));
        return ExitCodes.OK;
    }

    /** One line per account, each column padded to its widest entry: name, type, algorithm, period, "touch". */
    private void print(List<Account> accounts, Set<String> touch) {
        List<String[]> rows = new ArrayList<>();
        for (Account a : accounts) {
            rows.add(new String[] {a.name(), a.type().name(), a.algorithm() == null ? "?" : a.algorithm().name(),
                a.type() == OathType.TOTP ? a.period() + " s" : "", touch.contains(a.idText()) ? "touch" : ""});
        }
        int[] widths = new int[5];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], TextWidth.of(row[i]));
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == 0 ? "" : "  ").append(TextWidth.pad(row[i], widths[i]));
            }
            run.out().println(line.toString().stripTrailing());
        }
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
