package io.totptoken.host.cli;

import io.totptoken.host.provisioning.AccountCode;
import io.totptoken.host.provisioning.Accounts;
import io.totptoken.host.provisioning.TokenConnection;
import io.totptoken.host.provisioning.TokenTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "code", description = {"Show codes, with the seconds each stays valid; with fewer than 5 s left, the next code too.",
    "TOTP codes use each account's period. HOTP and touch accounts get a code only when QUERY picks out that one account.",
    "Steam accounts (issuer Steam) get Steam's 5-character codes; hidden accounts (_hidden:NAME) are left out unless -H."})
final class CodeCommand extends TokenCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "QUERY",
            description = "Only accounts whose name contains QUERY (any case); an exact name wins over partial matches.")
    String query;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Option(names = {"-t", "--time"}, paramLabel = "TIME",
            description = "Compute the codes at TIME: seconds since 1970 or ISO 8601 (2024-05-01T12:00:00Z).")
    String time;

    @Option(names = {"-n", "--next"}, description = "The code of the next time step, with when it is valid (local time).")
    boolean next;

    @Option(names = {"-s", "--single"},
            description = "Print only the code, for scripts; exactly one account must match (HOTP and touch ones included).")
    boolean single;

    @Option(names = {"-H", "--show-hidden"}, description = "Include hidden accounts (_hidden:NAME).")
    boolean showHidden;

    @Option(names = "--copy", description = "Also put the code on the clipboard (wl-copy, xclip, xsel or pbcopy); QUERY must "
            + "match exactly one account.")
    boolean copy;

    @Option(names = "--watch", description = "Keep the codes on screen, refreshed as they roll over, until Ctrl-C. "
            + "Without a terminal, prints a new block of codes at each roll-over.")
    boolean watch;

    @Mixin
    PasswordOptions password = new PasswordOptions();

    CodeCommand(Invocation run) {
        super(run);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (watch) {
            return watch();
        }
        if (single && json) {
            throw new UsageException("--single prints only the code; leave out --json");
        }
        Instant at = time == null ? run.env.clock().instant() : TimeArgument.parse(time);
        List<AccountCode> codes;
        List<AccountCode> following;
        TokenTarget target = token.single(run);
        try (TokenConnection c = openUnlocked(target, password)) {
            Accounts accounts = new Accounts(c);
            codes = accounts.codes(query, at, next, showHidden, single);
            // The next code is there for whoever is about to type an expiring one; --next already is that.
            following = next || single ? null : CodeLines.nextWhenEnding(accounts, codes, at);
            done(c);
        }
        if (copy) {
            CopiedCode.copy(run, codes, query, at);
        }
        if (single) {
            run.out().println(codes.get(0).code());
            return ExitCodes.OK;
        }
        if (json) {
            List<Object> all = new ArrayList<>();
            for (int i = 0; i < codes.size(); i++) {
                Map<String, Object> m = toJson(codes.get(i), at);
                if (following != null && following.get(i) != null) {
                    m.put("next", CodeLines.json(following.get(i), at));
                }
                all.add(m);
            }
            run.out().println(Json.write(all));
            return ExitCodes.OK;
        }
        int width = 0;
        for (AccountCode code : codes) {
            width = Math.max(width, code.account().name().length());
        }
        for (int i = 0; i < codes.size(); i++) {
            AccountCode code = codes.get(i);
            String name = code.account().name();
            StringBuilder line = new StringBuilder(name).append(" ".repeat(width - name.length())).append("  ");
            switch (code.missing()) {
                case HOTP -> line.append("[HOTP: run ").append(CodeHint.command(target, code.account(), password.passwordFile))
                        .append(" to compute]");
                case TOUCH -> line.append("[touch required: run ")
                        .append(CodeHint.command(target, code.account(), password.passwordFile)).append(" to compute]");
                default -> {
                    line.append(code.code());
                    if (code.validTo() != null && next) {
                        CodeLines.appendWindow(line, code, at, run.env.clock().getZone());
                    } else if (code.validTo() != null) {
                        CodeLines.appendSecondsLeft(line, code, following.get(i), at);
                    }
                }
            }
            run.out().println(line);
        }
        return ExitCodes.OK;
    }

    /** The token stays open while watched (so it is unlocked once); the embedded token stays locked meanwhile. */
    private int watch() throws InterruptedException {
        if (json || time != null || next || copy || single) {
            throw new UsageException("--watch shows the codes live; it goes with neither --json, --time, --next, --copy nor --single");
        }
        try (TokenConnection c = openUnlocked(token.single(run), password)) {
            Accounts accounts = new Accounts(c);
            return new WatchView(run, c.target().label()).show(now -> accounts.codes(query, now, false, showHidden, false),
                    WatchView.drawable(run.env));
        }
    }

    static Map<String, Object> toJson(AccountCode code, Instant at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", code.account().name());
        m.put("issuer", code.account().issuer());
        m.put("account", code.account().account());
        m.put("type", code.account().type().name().toLowerCase(Locale.ROOT));
        m.put("period", code.account().period());
        m.put("code", code.code());
        if (code.code() != null) {
            m.put("digits", code.code().length());
        }
        m.put("touch", code.touch());
        if (code.validFrom() != null) {
            m.put("valid_from", code.validFrom().getEpochSecond());
            m.put("valid_to", code.validTo().getEpochSecond());
            m.put("seconds_left", code.secondsLeft(at));
            m.put("valid_in", CodeLines.validIn(code, at));
        }
        return m;
    }
}
