package io.totptoken.host.cli;

import io.totptoken.host.provisioning.TokenTarget;
import io.totptoken.host.transport.TransportException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "readers", description = "List the PC/SC readers (names for --reader).")
final class ReadersCommand implements Callable<Integer> {
    private final Invocation run;

    @Mixin
    VerboseOption verbose;

    ReadersCommand(Invocation run) {
        this.run = run;
        this.verbose = new VerboseOption(run);
    }

    @Override
    public Integer call() {
        List<String> readers = TokenTarget.readers();
        if (readers.isEmpty()) {
            throw new TransportException("no PC/SC readers found (is pcscd running?)");
        }
        readers.forEach(run.out()::println);
        return ExitCodes.OK;
    }
}
