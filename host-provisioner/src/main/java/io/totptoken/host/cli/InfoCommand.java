package io.totptoken.host.cli;

import io.totptoken.host.provisioning.TokenConnection;
import io.totptoken.host.provisioning.TokenStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "info", description = "Show the token's OATH version, credentials and free slots, and whether it has a password.")
final class InfoCommand extends TokenCommand {
    @Option(names = "--json", description = "Print a JSON object.")
    boolean json;

    InfoCommand(Invocation run) {
        super(run);
    }

    @Override
    public Integer call() {
        TokenStatus s;
        try (TokenConnection c = open(token.single(run))) {
            s = TokenStatus.of(c, run.env.keys());
            done(c);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("token", s.label());
            m.put("oath_version", s.oathVersion());
            m.put("id", s.id());
            m.put("password_set", s.passwordSet());
            m.put("key_remembered", s.keyRemembered());
            s.details().ifPresent(d -> {
                m.put("firmware", d.firmware());
                m.put("credentials", d.credentials());
                m.put("slots_used", d.slotsUsed());
                m.put("slots_total", d.slotsTotal());
                m.put("password_tries_left", d.triesLeft());
                m.put("engines", d.engines());
                m.put("button", d.button());
            });
            run.out().println(Json.write(m));
            return ExitCodes.OK;
        }
        run.out().println("Token:         " + s.label());
        run.out().println("OATH version:  " + s.oathVersion());
        run.out().println("Token ID:      " + s.id());
        run.out().println("Password:      " + (s.passwordSet() ? "set" + (s.keyRemembered() ? " (key remembered)" : "") : "not set"));
        s.details().ifPresent(d -> {
            run.out().println("Credentials:   " + d.credentials() + " (slots: " + d.slotsUsed() + " used, "
                    + (d.slotsTotal() - d.slotsUsed()) + " free of " + d.slotsTotal() + "; SHA-512 takes two)");
            if (s.passwordSet()) {
                run.out().println("Tries left:    " + d.triesLeft() + " of " + d.triesMax());
            }
            run.out().println("Firmware:      " + d.firmware());
            run.out().println("HMAC engines:  " + String.join(", ", d.engines()));
            run.out().println("Button:        " + (d.button() ? "yes" : "no"));
        });
        return ExitCodes.OK;
    }
}
