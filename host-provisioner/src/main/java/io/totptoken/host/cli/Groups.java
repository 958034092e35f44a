package io.totptoken.host.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The command groups. */
final class Groups {
    private Groups() {
    }

    /**
     * A group given without a subcommand (bare {@code tokenctl}, {@code tokenctl accounts}) prints
     * its help, commands included, on stdout and exits 0, as {@code --help} does and as ykman's
     * groups do, rather than picocli's one-line "Missing required subcommand".
     */
    abstract static class ShowsUsage implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getOut());
            return ExitCodes.OK;
        }
    }

    @Command(name = "tokenctl", description = {"Provision and read OATH (TOTP/HOTP) tokens over PC/SC, "
        + "or the embedded simulated token when no --reader or --sim is given.",
        "Passwords are never taken as option values: --password-file, TOKENCTL_PASSWORD, a remembered key, or a prompt."})
    static final class Root extends ShowsUsage {
        @Mixin
        VerboseOption verbose;

        Root(Invocation run) {
            this.verbose = new VerboseOption(run);
        }
    }

    @Command(name = "accounts", description = "Add, list, show codes of, rename and delete accounts.")
    static final class Accounts extends ShowsUsage {
        @Mixin
        VerboseOption verbose;

        Accounts(Invocation run) {
            this.verbose = new VerboseOption(run);
        }
    }

    @Command(name = "sim", description = "The simulated token.")
    static final class Sim extends ShowsUsage {
        @Mixin
        VerboseOption verbose;

        Sim(Invocation run) {
            this.verbose = new VerboseOption(run);
        }
    }

    @Command(name = "bulk", description = "Provision or audit many tokens at once (docs/fleet.md).")
    static final class Bulk extends ShowsUsage {
        @Mixin
        VerboseOption verbose;

        Bulk(Invocation run) {
            this.verbose = new VerboseOption(run);
        }
    }

    /**
     * {@code tokenctl help [COMMAND...]}: listed in the tree for usage and completion; {@link Tokenctl}
     * answers it before picocli runs anything, walking the words given.
     */
    @Command(name = "help", description = "Show the help of a command: tokenctl help accounts code.")
    static final class Help extends ShowsUsage {
        @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, e.g. accounts code.")
        List<String> words;
    }
}
