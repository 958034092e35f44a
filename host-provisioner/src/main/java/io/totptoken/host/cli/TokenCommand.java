package io.totptoken.host.cli;

import io.totptoken.host.provisioning.Access;
import io.totptoken.host.provisioning.TokenConnection;
import io.totptoken.host.provisioning.TokenTarget;
import io.totptoken.host.provisioning.TouchPrompt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A command that works on a token: token selection, password and -v options, opening and unlocking. */
abstract class TokenCommand implements Callable<Integer> {
    final Invocation run;

    @Mixin
    VerboseOption verbose;

    @Mixin
    TokenOptions token = new TokenOptions();

    TokenCommand(Invocation run) {
        this.run = run;
        this.verbose = new VerboseOption(run);
    }

    /** Connects and selects; the caller closes. */
    TokenConnection open(TokenTarget target) {
        TokenConnection c = TokenConnection.open(target, run.trace(), notices());
        announceCreated(target);
        c.touchPrompt(touchPrompt());
        return c;
    }

    /** One line on stderr when opening made a new {@code --sim} token, so a mistyped path does not pass unseen. */
    void announceCreated(TokenTarget target) {
        if (token.created(target)) {
            run.note("tokenctl: created the simulated token " + ((TokenTarget.Simulated) target).file());
        }
    }

    /** As {@link #open}, for a reset: a simulated token whose file cannot be used opens empty. */
    TokenConnection openForReset(TokenTarget target) {
        TokenConnection c = TokenConnection.openForReset(target, run.trace(), notices());
        c.touchPrompt(touchPrompt());
        return c;
    }

    /** Notices from opening a token (a wait for its file, a state taken from its backup), one line each on stderr. */
    java.util.function.Consumer<String> notices() {
        return new java.util.function.Consumer<String>() {
            @Override
            public void accept(String notice) {
                run.note("tokenctl: " + notice);
            }
        };
    }

    /** Opens and unlocks with the password options (a remembered key, a file, the environment, a prompt). */
    TokenConnection openUnlocked(TokenTarget target, PasswordOptions password) {
        TokenConnection c = open(target);
        try {
            new Access(run.env.keys()).unlock(c, password.source(run), password.remember);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Asks "QUESTION [y/N]" on the terminal; true for y or yes. Without a terminal there is no one
     * to ask, so a change that asks first needs --force (a usage error saying {@code what} it would do).
     */
    boolean confirmed(String question, String what) {
        Terminal t = run.env.terminal();
        if (t == null) {
            throw new UsageException(what + "; with no terminal to ask on, add --force");
        }
        String answer = t.readLine(question + " [y/N] ");
        if (answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).matches("y|yes")) {
            return true;
        }
        run.note("Nothing was changed.");
        return false;
    }

    /** With -v, how many APDUs went to the token: the figure the benchmarks quote. */
    void done(TokenConnection c) {
        if (run.verbose) {
            run.note("tokenctl: " + c.apduCount() + " APDUs to " + c.target().label());
        }
    }

    private TouchPrompt touchPrompt() {
        return new TouchPrompt() {
            @Override
            public boolean touch(String label, boolean simulated) {
                if (simulated && "1".equals(run.env.getenv(CliEnvironment.ENV_AUTO_TOUCH))) {
                    return true;
                }
                if (!simulated) {
                    run.note((label.startsWith("the token") ? "Touch " : "Touch the token in ") + label + " now...");
                    return false;
                }
                Terminal t = run.env.terminal();
                if (t == null) {
                    run.note("tokenctl: " + label + " waits for a touch; with no terminal to press Enter on, set "
                            + CliEnvironment.ENV_AUTO_TOUCH + "=1 to touch it");
                    return false;
                }
                return t.readLine("Touch " + label + ": press Enter ") != null;
            }
        };
    }
}
