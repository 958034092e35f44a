package io.totptoken.host.cli;

import io.totptoken.host.provisioning.TokenConnection;
import io.totptoken.host.provisioning.TokenOperationException;
import io.totptoken.host.session.OathSession;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tokenctl clock show | sync | set}: the token's real-time clock (docs/applet.md, "The device
 * clock"). Reading needs no password; setting does when one is set, and moving the clock
 * backwards needs --force (the applet refuses it otherwise, and never shows a code for a time
 * step older than the last it showed).
 */
final class ClockCommands {
    private ClockCommands() {
    }

    @Command(name = "clock", description = "The token's real-time clock: show, sync to this computer, or set.")
    static final class Group extends Groups.ShowsUsage {
        @Mixin
        VerboseOption verbose;

        Group(Invocation run) {
            this.verbose = new VerboseOption(run);
        }
    }

    @Command(name = "show", description = {"Show the token's time, this computer's, the drift (token - host) and the time "
        + "of the last code the token computed from its clock."})
    static final class Show extends TokenCommand {
        @Option(names = "--json", description = "Print a JSON object: token_time, host_time, drift, last_code_time (seconds since 1970).")
        boolean json;

        Show(Invocation run) {
            super(run);
        }

        @Override
        public Integer call() {
            OathSession.DeviceTime t;
            try (TokenConnection c = open(token.single(run))) {
                t = c.session().clock();
                done(c);
            }
            long host = run.env.clock().instant().getEpochSecond();
            long drift = t.now() - host;
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("token_time", t.now());
                m.put("host_time", host);
                m.put("drift", drift);
                m.put("last_code_time", t.lastCode() == 0 ? null : t.lastCode());
                run.out().println(Json.write(m));
                return ExitCodes.OK;
            }
            run.out().println("token time  " + iso(t.now()));
            run.out().println("host time   " + iso(host));
            run.out().println("drift       " + (drift > 0 ? "+" : "") + drift + " s"
                    + (drift > 0 ? " (the token is ahead)" : drift < 0 ? " (the token is behind)" : ""));
            run.out().println("last code   " + (t.lastCode() == 0 ? "never" : iso(t.lastCode())));
            return ExitCodes.OK;
        }
    }

    @Command(name = "sync", description = {"Set the token's clock to this computer's time.",
        "Moving it backwards (the token is ahead) needs --force; until the clock catches up with the last code it showed, "
            + "the token shows no code from its clock."})
    static final class Sync extends TokenCommand {
        @Option(names = {"-f", "--force"}, description = "Move the clock backwards when the token is ahead.")
        boolean force;

        @Mixin
        PasswordOptions password = new PasswordOptions();

        Sync(Invocation run) {
            super(run);
        }

        @Override
        public Integer call() {
            try (TokenConnection c = openUnlocked(token.single(run), password)) {
                long before = c.session().clock().now();
                long host = run.env.clock().instant().getEpochSecond();
                if (host < before && !force) {
                    throw new TokenOperationException("the token's clock is " + (before - host)
                            + " s ahead of this computer's; moving it back needs --force");
                }
                c.session().setClock(host, host < before);
                done(c);
                long drift = before - host;
                run.out().println("Token clock set to " + iso(host) + (drift == 0 ? " (it was right)."
                        : " (it was " + Math.abs(drift) + " s " + (drift > 0 ? "ahead" : "behind") + ")."));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "set", description = {"Set the token's clock to TIME.", "Moving it backwards needs --force."})
    static final class Set extends TokenCommand {
        @Parameters(index = "0", paramLabel = "TIME",
                description = "Seconds since 1970 (1700000000 or @1700000000) or ISO 8601 with a zone (2024-05-01T12:00:00Z).")
        String time;

        @Option(names = {"-f", "--force"}, description = "Allow moving the clock backwards.")
        boolean force;

        @Mixin
        PasswordOptions password = new PasswordOptions();

        Set(Invocation run) {
            super(run);
        }

        @Override
        public Integer call() {
            Instant at = TimeArgument.parse(time, "TIME");
            try (TokenConnection c = openUnlocked(token.single(run), password)) {
                c.session().setClock(at.getEpochSecond(), force);
                done(c);
            }
            run.out().println("Token clock set to " + iso(at.getEpochSecond()) + ".");
            return ExitCodes.OK;
        }
    }

    static String iso(long epochSeconds) {
        return Instant.ofEpochSecond(epochSeconds) + "  (" + epochSeconds + ")";
    }
}
