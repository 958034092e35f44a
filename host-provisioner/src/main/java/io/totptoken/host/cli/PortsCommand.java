package io.totptoken.host.cli;

import io.totptoken.host.provisioning.SerialConnector;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ports", description = {"List the serial ports (paths for --port).",
    "Pseudo-terminals (a pty pair from socat) are never listed; --port takes any path as given."})
final class PortsCommand implements Callable<Integer> {
    private final Invocation run;

    @Mixin
    VerboseOption verbose;

    PortsCommand(Invocation run) {
        this.run = run;
        this.verbose = new VerboseOption(run);
    }

    @Override
    public Integer call() {
        List<String> ports = SerialConnector.ports();
        for (String p : ports) {
            run.out().println(p);
        }
        run.note((ports.isEmpty() ? "No serial ports listed. " : "")
                + "Pseudo-terminals are never listed: --port takes any path as given.");
        return ExitCodes.OK;
    }
}
