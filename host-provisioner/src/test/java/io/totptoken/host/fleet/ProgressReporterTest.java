package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.fleet.TokenOutcome.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicLong clock = new AtomicLong();

    private ProgressReporter reporter(boolean terminal) {
        return new ProgressReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal, clock::get);
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static TokenOutcome ok(long serial) {
        return new TokenOutcome("lane", serial, "user" + serial, Result.PROVISIONED, "123456", 1, null, 4);
    }

    @Test
    void aTerminalGetsABarWithRateAndTimeLeftAndFailuresOnTheirOwnLines() {
        ProgressReporter p = reporter(true);
        p.started(100, 0, 2);
        clock.set(2_000_000_000L);
        p.token(ok(1), 10, 100);
        assertTrue(text().contains("\r[###---------------------------] 10/100 5.0 tokens/s, 0:18 left "), text());
        p.token(new TokenOutcome("lane", 7L, null, Result.REFUSED, null, 0, "the token has a password", 2), 10, 100);
        assertTrue(text().contains("token 7: refused: the token has a password\n"), text());
    }

    @Test
    void otherwisePlainLinesAndASummaryListingEachFailure() {
        ProgressReporter p = reporter(false);
        p.started(3, 1, 1);
        p.token(ok(1), 2, 3);
        TokenOutcome failed = new TokenOutcome("lane", 2L, "bob", Result.FAILED, null, 0, "pulled", 3);
        p.token(failed, 2, 3);
        p.summary(new FleetResult(List.of(ok(1), failed), 2, 3, List.of(), null, 0));
        String t = text();
        assertTrue(t.contains("Provisioning 2 of 3 rows (1 done before) with 1 worker."), t);
        assertTrue(t.contains("[2/3] token 1: user1 verified\n"), t);
        assertTrue(t.contains("2 of 3 rows verified; this run: 1 tokens provisioned, 0 seen again, 1 failed"), t);
        assertTrue(t.contains("\n  token 2: FAILED (bob): pulled\n"), t);
        assertEquals(-1, t.indexOf('\r'));
    }
}
