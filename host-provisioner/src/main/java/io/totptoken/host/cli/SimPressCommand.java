package io.totptoken.host.cli;

import io.totptoken.host.provisioning.KeyfobButton;
import io.totptoken.host.provisioning.TokenOperationException;
import io.totptoken.host.provisioning.TokenTarget;
import io.totptoken.sim.Keyfob;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "press", description = {"Press the simulated keyfob's button and print its display: the selected account's "
    + "code from the token's own clock, with issuer, account and seconds left.",
    "The embedded or --sim token is pressed here; --port PATH presses the simulated device served there "
        + "(tokenctl sim serve --serial). A long press selects the next account first."})
final class SimPressCommand extends TokenCommand {
    @Option(names = "--long", description = "A long press: select the next account, then show its code.")
    boolean longPress;

    @Option(names = "--json", description = "Print a JSON object: issuer, account, code, seconds_left, message.")
    boolean json;

    SimPressCommand(Invocation run) {
        super(run);
    }

    @Override
    public Integer call() {
        TokenTarget target = token.single(run);
        if (target instanceof TokenTarget.Reader) {
            throw new UsageException("sim press presses a simulated token: the embedded one, --sim PATH or --port PATH");
        }
        Keyfob.Display d = KeyfobButton.press(target, longPress, notices());
        if (d == null) {
            run.note("The press went to a command waiting for a touch.");
            return ExitCodes.OK;
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("issuer", d.issuer());
            m.put("account", d.account());
            m.put("code", d.code());
            m.put("seconds_left", d.code() == null ? null : d.secondsLeft());
            m.put("message", d.message());
            run.out().println(Json.write(m));
        } else if (d.code() != null) {
            run.out().println(d);
        }
        if (d.code() == null) {
            throw new TokenOperationException("the token shows: " + d.message());
        }
        return ExitCodes.OK;
    }
}
