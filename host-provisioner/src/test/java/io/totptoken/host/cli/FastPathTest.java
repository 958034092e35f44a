package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The fast path and picocli read every argument list the fast path accepts the same way. */
class FastPathTest {
    private static Invocation invocation() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        return new Invocation(new CliEnvironment(Map.of(), Path.of("/nonexistent"), null, sink, sink, Clock.systemUTC()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "accounts code", "accounts code alice", "accounts code --json", "accounts code -t 59 --json alice",
        "accounts code --time=2024-05-01T12:00:00Z", "accounts code -n", "accounts code --next --json",
        "-v accounts code", "accounts -v code", "accounts code -v", "--verbose accounts -v code --verbose",
        "accounts code --reader Yubi", "accounts code -r PCD --password-file /tmp/pw --remember",
        "accounts code --sim /tmp/a.sim GitHub", "accounts code --sim=/tmp/a.sim",
        "accounts list", "accounts list --json", "accounts list --sim /tmp/x -v", "accounts list --remember --reader=x",
        "accounts add otpauth://totp/a?secret=AAAA", "accounts add u1 u2 u3 --force", "accounts add -f --touch u1",
        "accounts add --show-secret u1 --sim /a --sim /b --reader r1 -r r2", "accounts add u1 --password-file=/pw --remember",
        "accounts add u@host", "accounts code --port /dev/ttyACM0", "accounts list --port=/tmp/pty --json",
        "accounts add u1 --port /a --port /b --sim /c", "accounts add -", "accounts add - u1 --force",
        "accounts add export.json backup.csv --sim /a --sim /b",
        "accounts code -s alice", "accounts code --single -H", "accounts code --show-hidden --json", "accounts list -H",
        "accounts list --show-hidden --json"})
    void parsesAsPicocliDoes(String line) throws Exception {
        String[] args = line.split(" ");
        Invocation fast = invocation();
        Callable<Integer> command = FastPath.parse(fast, args);
        assertNotNull(command, line);
        Invocation slow = invocation();
        CommandLine.ParseResult parsed = Tokenctl.full(slow).parseArgs(args);
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        Object reference = parsed.commandSpec().userObject();
        assertEquals(reference.getClass(), command.getClass(), line);
        assertEquals(fields(reference), fields(command), line);
        assertEquals(slow.verbose, fast.verbose, line);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "accounts", "accounts code a b", "accounts code -vn", "accounts code --json=true", "accounts code --",
        "accounts code -h", "accounts code --help", "-V", "accounts code --json --json", "accounts code -t",
        "accounts code -t --json", "accounts code --bogus", "accounts list extra", "accounts list --time 5",
        "accounts add --qr x.png", "accounts add --secret AAAA --name a", "-v -v accounts code", "info",
        "accounts delete x", "accounts code -", "accounts add -- -u", "accounts list -s", "accounts code -sH",
        "accounts add --secret - --name a", "accounts add -i X u1", "accounts list -", "accounts code -H -H",
        "accounts add --yes export.json", "accounts add export.json --import-password-file /pw"})
    void leavesEverythingElseToPicocli(String line) {
        assertNull(FastPath.parse(invocation(), line.isEmpty() ? new String[0] : line.split(" ")), line);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--port /dev/x accounts list|accounts list --port /dev/x",
        "--port /dev/x -v accounts code alice --json|-v accounts code --port /dev/x alice --json",
        "--sim /a --reader r clock set @5 --force|clock set --sim /a --reader r @5 --force",
        "--port=/p sim -v press --long|sim -v press --port=/p --long",
        "--port /p info|info --port /p",
        "accounts list --port /p|accounts list --port /p",
        "--port /p bulk verify|--port /p bulk verify"})
    void tokenOptionsBeforeTheCommandMoveAfterIt(String pair) {
        String[] sides = pair.split("\\|");
        assertEquals(List.of(sides[1].split(" ")), List.of(LeadingTokenOptions.hoist(sides[0].split(" "))), sides[0]);
    }

    private static List<Object> fields(Object command) {
        if (command instanceof CodeCommand c) {
            return List.of(String.valueOf(c.query), c.json, String.valueOf(c.time), c.next, c.single, c.showHidden, common(c));
        }
        if (command instanceof ListCommand l) {
            return List.of(l.json, l.showHidden, common(l));
        }
        AddCommand a = (AddCommand) command;
        return List.of(a.uris, a.images, String.valueOf(a.secret), String.valueOf(a.name), a.force, a.touch, a.showSecret,
                a.yes, String.valueOf(a.importPassword.file), common(a));
    }

    private static List<Object> common(TokenCommand c) {
        PasswordOptions p = c instanceof CodeCommand code ? code.password
                : c instanceof ListCommand list ? list.password : ((AddCommand) c).password;
        return List.of(c.token.readers, c.token.ports, c.token.sims, String.valueOf(p.passwordFile), p.remember);
    }
}
