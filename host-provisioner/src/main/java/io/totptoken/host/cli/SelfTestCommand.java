package io.totptoken.host.cli;

import io.totptoken.host.provisioning.SelfTest;
import io.totptoken.host.provisioning.TokenConnection;
import io.totptoken.host.session.OathSession;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "selftest", description = {"Check that the token computes the RFC 4226 (HOTP) and RFC 6238 (TOTP SHA-1, "
    + "SHA-256, SHA-512) test vectors, at 6 and 8 digits.",
    "Uses a temporary credential of its own (" + SelfTest.NAME + ", needing " + SelfTest.SLOTS_NEEDED
        + " free slots) and deletes it; your accounts and HOTP counters are not touched. Run it after installing on a card."})
final class SelfTestCommand extends TokenCommand {
    /** Titles are at most 30 characters ("RFC 6238 TOTP SHA-512 8 digits"); codes line up after them. */
    private static final int TITLE_WIDTH = 32;

    @Mixin
    PasswordOptions password = new PasswordOptions();

    SelfTestCommand(Invocation run) {
        super(run);
    }

    @Override
    public Integer call() {
        try (TokenConnection c = openUnlocked(token.single(run), password)) {
            int code = check(run, c.session(), c.target().label());
            done(c);
            return code;
        }
    }

    /**
     * Runs the self-test on an unlocked session: one line per group on stdout as it ends, each
     * wrong code under it, then the verdict (a failure on stderr, exit 1).
     */
    static int check(Invocation run, OathSession session, String label) {
        SelfTest.Report r = new SelfTest(session, label).run(new Consumer<SelfTest.Group>() {
            @Override
            public void accept(SelfTest.Group g) {
                run.out().println(line(g));
                for (SelfTest.Mismatch m : g.wrong()) {
                    run.out().println("  " + m.vector() + ": expected " + m.expected() + ", got " + m.got());
                }
            }
        });
        String leftover = r.leftoverRemoved()
                ? "; removed " + SelfTest.NAME + ", left by an interrupted self-test" : "";
        if (r.passed()) {
            run.out().println("Passed: " + label + " computed all " + r.codes() + " codes of " + r.groups().size()
                    + " groups right; its accounts are as they were" + leftover + ".");
            return ExitCodes.OK;
        }
        long refused = r.groups().stream().filter(g -> g.refused() != null).count();
        run.err().println("tokenctl: self-test FAILED: " + label + " computed " + r.wrongCodes() + " of " + r.codes()
                + " test-vector codes wrong" + (refused == 0 ? "" : " and refused " + refused + " test credentials")
                + " (see above); do not rely on its codes. Its accounts are as they were" + leftover);
        return ExitCodes.FAILED;
    }

    private static String line(SelfTest.Group g) {
        StringBuilder s = new StringBuilder(g.title());
        while (s.length() < TITLE_WIDTH) {
            s.append(' ');
        }
        String codes = g.codes() + " codes";
        s.append(codes.length() < 8 ? " " + codes : codes).append("  ");
        if (g.refused() != null) {
            return s.append("FAILED: the token refused the test credential: ").append(g.refused()).toString();
        }
        return s.append(g.passed() ? "ok" : "FAILED: " + g.wrong().size() + " wrong").toString();
    }
}
