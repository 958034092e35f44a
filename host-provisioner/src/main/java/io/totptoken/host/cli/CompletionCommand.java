package io.totptoken.host.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;

@Command(name = "completion", description = {"Print a bash completion script.",
    "Load it with: source <(tokenctl completion)"})
final class CompletionCommand implements Callable<Integer> {
    private final Invocation run;

    CompletionCommand(Invocation run) {
        this.run = run;
    }

    @Override
    public Integer call() {
        run.out().print(AutoComplete.bash("tokenctl", Tokenctl.full(run)));
        return ExitCodes.OK;
    }
}
