package io.totptoken.host.cli;

import io.totptoken.host.provisioning.Access;
import io.totptoken.host.provisioning.PasswordSource;
import io.totptoken.host.provisioning.TokenConnection;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokenctl access change | clear | forget}: the token's password. */
final class AccessCommands {
    private AccessCommands() {
    }

    @Command(name = "change", description = {"Set or change the token's password.",
        "The current password (when there is one) comes from --password-file, TOKENCTL_PASSWORD, a remembered key or a "
            + "prompt; the new one from --new-password-file, TOKENCTL_NEW_PASSWORD or a prompt (typed twice)."})
    static final class Change extends TokenCommand {
        @Mixin
        PasswordOptions password = new PasswordOptions();

        @Option(names = "--new-password-file", paramLabel = "FILE", description = "Read the new password from the first line of FILE.")
        Path newPasswordFile;

        Change(Invocation run) {
            super(run);
        }

        @Override
        public Integer call() {
            char[] next = null;
            try (TokenConnection c = open(token.single(run))) {
                Access access = new Access(run.env.keys());
                // The current password first (a prompt asks for it before the new one); nothing changes until SET CODE.
                access.unlock(c, password.source(run), false);
                next = newPassword();
                access.change(c, PasswordSource.NONE, next, password.remember);
                done(c);
                run.out().println("Password set" + (password.remember ? "; its key is remembered in "
                        + run.env.keys().file() : "") + ".");
            } finally {
                if (next != null) {
                    Arrays.fill(next, '\0');
                }
            }
            return ExitCodes.OK;
        }

        private char[] newPassword() {
            if (newPasswordFile != null) {
                return PasswordOptions.readPasswordFile(newPasswordFile, "--new-password-file");
            }
            String env = run.env.getenv(CliEnvironment.ENV_NEW_PASSWORD);
            if (env != null) {
                return env.toCharArray();
            }
            Terminal t = run.env.terminal();
            if (t == null) {
                throw new UsageException("no new password: give --new-password-file FILE or "
                        + CliEnvironment.ENV_NEW_PASSWORD + ", or run on a terminal");
            }
            char[] first = t.readPassword("New password: ");
            char[] second = first == null ? null : t.readPassword("Repeat the new password: ");
            try {
                if (first == null || second == null || first.length == 0) {
                    throw new UsageException("no new password typed");
                }
                if (!Arrays.equals(first, second)) {
                    throw new UsageException("the two passwords differ; nothing was changed");
                }
                return first.clone();
            } finally {
                if (first != null) {
                    Arrays.fill(first, '\0');
                }
                if (second != null) {
                    Arrays.fill(second, '\0');
                }
            }
        }
    }

    @Command(name = "clear", description = "Remove the token's password (and the key remembered for it).")
    static final class Clear extends TokenCommand {
        @Mixin
        PasswordOptions password = new PasswordOptions();

        Clear(Invocation run) {
            super(run);
        }

        @Override
        public Integer call() {
            try (TokenConnection c = open(token.single(run))) {
                boolean had = new Access(run.env.keys()).clear(c, password.source(run));
                done(c);
                // Nothing to remove is not a failure: the token ends as asked, without a password (exit 0).
                run.out().println(had ? "Password removed."
                        : "No password is set on " + c.target().label() + "; nothing was changed.");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "forget", description = "Forget the password key remembered for the token (or, with --all, for every token).")
    static final class Forget extends TokenCommand {
        @Option(names = "--all", description = "Forget every remembered key; no token needed.")
        boolean all;

        Forget(Invocation run) {
            super(run);
        }

        @Override
        public Integer call() {
            Access access = new Access(run.env.keys());
            if (all) {
                int n = access.forgetAll();
                run.out().println("Forgot " + n + (n == 1 ? " remembered key." : " remembered keys."));
                return ExitCodes.OK;
            }
            try (TokenConnection c = open(token.single(run))) {
                boolean had = access.forget(c);
                done(c);
                run.out().println(had ? "Forgot the key remembered for " + c.target().label() + "."
                        : "No key was remembered for " + c.target().label() + ".");
            }
            return ExitCodes.OK;
        }
    }

    /** The group; picocli reports a missing subcommand. */
    @Command(name = "access", description = "Manage the token's password.")
    static final class Group extends Groups.ShowsUsage {
        @Mixin
        VerboseOption verbose;

        Group(Invocation run) {
            this.verbose = new VerboseOption(run);
        }
    }
}
