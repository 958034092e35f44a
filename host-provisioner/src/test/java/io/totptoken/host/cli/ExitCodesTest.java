package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.fleet.JournalFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one table from exception type to exit code and line, and the docs that list its codes. */
class ExitCodesTest {
    @Test
    void noRowIsHiddenBehindAnEarlierOne() {
        List<ExitCodes.Failure> rows = ExitCodes.FAILURES;
        for (int i = 0; i < rows.size(); i++) {
            for (int j = i + 1; j < rows.size(); j++) {
                assertFalse(rows.get(i).type().isAssignableFrom(rows.get(j).type()),
                        rows.get(j).type().getSimpleName() + " comes after " + rows.get(i).type().getSimpleName());
            }
        }
    }

    @Test
    void aFleetFailureIsItsOwnSentenceAndExitsOne() {
        JournalFailedException e = new JournalFailedException("cannot write the journal\nin out/", new IOException("No space left on device"));
        assertEquals("cannot write the journal in out/", Failures.message(e));
        assertEquals(ExitCodes.FAILED, ExitCodes.of(e));
    }

    @Test
    void anUnexpectedExceptionNamesItsType() {
        assertEquals("internal error: java.lang.IllegalStateException: x (run with -v for the stack trace)",
                Failures.message(new IllegalStateException("x")));
        assertEquals(ExitCodes.FAILED, ExitCodes.of(new IllegalStateException("x")));
    }

    @Test
    void docsListEveryExitCodeOfTheHelp() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "cli.md"));
        String section = docs.substring(docs.indexOf("## Exit codes"), docs.indexOf("## Files"));
        for (String code : ExitCodes.table().keySet()) {
            assertTrue(section.contains("\n| " + code.strip() + " | "), "docs/cli.md lacks exit code " + code);
        }
    }
}
