package io.totptoken.host.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The command groups; picocli answers a group given without a subcommand with its usage error. */
final class Groups {
    private Groups() {
    }

    @Command(name = "tokenctl", description = {"Provision and read OATH (TOTP/HOTP) tokens over PC/SC, "
        + "or the embedded simulated token when no --reader or --sim is given.",
        "Passwords are never taken as option values: --password-file, TOKENCTL_PASSWORD, a remembered key, or a prompt."})
    static final class Root {
        @Mixin
        VerboseOption verbose;

        Root(Invocation run) {
            this.verbose = new VerboseOption(run);
        }
    }

    @Command(name = "accounts", description = "Add, list, show codes of, rename and delete accounts.")
    static final class Accounts {
        @Mixin
        VerboseOption verbose;

        Accounts(Invocation run) {
            this.verbose = new VerboseOption(run);
        }
    }

    @Command(name = "sim", description = "The simulated token.")
    static final class Sim {
        @Mixin
        VerboseOption verbose;

        Sim(Invocation run) {
            this.verbose = new VerboseOption(run);
        }
    }
}
