package io.totptoken.host.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of tokenctl run in process: each test gets a harness of its own, its home in a temporary
 * directory (a subclass's own {@code @BeforeEach} runs after this one's), and after each test
 * nothing tokenctl printed may hold one of the subclass's {@link #secrets}.
 */
abstract class CliTest {
    @TempDir
    Path tmp;
    CliHarness h;

    @BeforeEach
    void harness() {
        h = new CliHarness(tmp.resolve("home"));
    }

    /** The base32 secrets the test's accounts hold; none by default. */
    String[] secrets() {
        return new String[0];
    }

    @AfterEach
    void noSecretWasPrinted() {
        h.assertNoSecretIn(secrets());
    }
}
