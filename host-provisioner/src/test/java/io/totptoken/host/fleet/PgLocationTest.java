package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --journal URI and where its password comes from (PGPASSWORD, ~/.pgpass), as libpq reads them. */
class PgLocationTest {
    @TempDir
    Path home;

    @Test
    void aUriNamesUserHostPortAndDatabaseAndNeverAPassword() {
        assertEquals(new PgLocation("fleet", "db.example", 5433, "rollout"), PgLocation.parse("postgresql://fleet@db.example:5433/rollout"));
        assertEquals(5432, PgLocation.parse("postgres://fleet@db/rollout").port());
        assertEquals("jdbc:postgresql://db:5432/rollout", PgLocation.parse("postgresql://fleet@db/rollout").jdbcUrl());
        FleetException pw = assertThrows(FleetException.class, () -> PgLocation.parse("postgresql://fleet:hunter2@db/r"));
        assertTrue(pw.getMessage().contains("PGPASSWORD") && !pw.getMessage().contains("hunter2"), pw.getMessage());
        for (String bad : new String[] {"postgresql://db/rollout", "postgresql://u@db/", "postgresql://u@db/a/b",
            "postgresql://u@db/r?sslmode=disable", "postgresql://u@/r"}) {
            assertThrows(FleetException.class, () -> PgLocation.parse(bad), bad);
        }
    }

    @Test
    void thePasswordIsPgpasswordElseTheFirstMatchingPgpassLine() throws Exception {
        PgLocation db = PgLocation.parse("postgresql://fleet@db.example:5433/rollout");
        Path pgpass = home.resolve(".pgpass");
        Files.writeString(pgpass, "# comment\nother:5433:rollout:fleet:no\n*:5433:rollout:fleet:pa\\:ss\\\\w:rd\n*:*:*:*:late\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        assertArrayEquals("pa:ss\\w:rd".toCharArray(), db.password(null, null, home));
        assertArrayEquals("env".toCharArray(), db.password("env", null, home));
        assertArrayEquals("late".toCharArray(), PgLocation.parse("postgresql://x@h/d").password(null, null, home));
        assertNull(db.password(null, null, home.resolve("nowhere")));

        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r--r--"));
        FleetException open = assertThrows(FleetException.class, () -> db.password(null, null, home));
        assertTrue(open.getMessage().contains("can be read by others"), open.getMessage());
        Path other = home.resolve("pgpass2");
        Files.writeString(other, "db.example:5433:rollout:fleet:fromfile\n");
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-------"));
        assertArrayEquals("fromfile".toCharArray(), db.password(null, other.toString(), home));
    }
}
