package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway PostgreSQL cluster for the tests: Debian's {@code postgresql} package, initdb in a
 * temporary directory, the server on a free loopback port with its socket in that directory,
 * trust authentication for the one user {@code tokenctl}; stopped and deleted when the test run
 * ends. As root (initdb refuses root) it runs as the {@code postgres} user. Started once per JVM.
 * Skipped when PostgreSQL is not installed or with TOKEN_SKIP_PG=1, unless CI=true: then missing
 * PostgreSQL fails the test.
 */
final class PgCluster implements ExtensionContext.Store.CloseableResource {
    static final String USER = "tokenctl";
    private static PgCluster started;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path dir;
    private final List<String> asOwner;
    private final Path bin;
    final int port;

    private PgCluster(Path dir, List<String> asOwner, Path bin, int port) {
        this.dir = dir;
        this.asOwner = asOwner;
        this.bin = bin;
        this.port = port;
    }

    /** The cluster, started on first use; skips (or fails under CI) when PostgreSQL cannot be had. */
    static synchronized PgCluster get(ExtensionContext context) {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!ci) {
            assumeTrue(!"1".equals(System.getenv("TOKEN_SKIP_PG")), "TOKEN_SKIP_PG=1: PostgreSQL tests skipped");
        }
        if (started == null) {
            Path bin = findBin();
            if (bin == null) {
                if (ci) {
                    fail("PostgreSQL is needed for this test (Debian package postgresql): no /usr/lib/postgresql/*/bin/initdb");
                }
                assumeTrue(false, "PostgreSQL is not installed (Debian package postgresql): its tests are skipped");
            }
            started = start(bin);
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(PgCluster.class, started);
        }
        return started;
    }

    private static Path findBin() {
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
            return s.map(p -> p.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder()).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static PgCluster start(Path bin) {
        try {
            Path dir = Files.createTempDirectory("tokenctl-pg");
            List<String> asOwner = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                run(List.of("chown", "postgres:postgres", dir.toString()));
                asOwner.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            PgCluster c = new PgCluster(dir, asOwner, bin, port);
            c.owner(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
                    "-U", USER, "-E", "UTF8", "--no-instructions"));
            c.owner(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                    dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                    "-k " + dir + " -p " + port + " -c listen_addresses=127.0.0.1", "start"));
            return c;
        } catch (IOException e) {
            return fail("cannot start PostgreSQL: " + e);
        }
    }

    private void owner(List<String> cmd) {
        List<String> all = new ArrayList<>(asOwner);
        all.addAll(cmd);
        run(all);
    }

    private static void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            fail(cmd.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** A new, empty database: one run each. */
    PgLocation newDatabase() {
        String name = "run" + DATABASES.incrementAndGet();
        try (Connection c = PgSchema.connect(new PgLocation(USER, "127.0.0.1", port, "postgres"), null);
             Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            fail("CREATE DATABASE: " + e.getMessage());
        }
        return new PgLocation(USER, "127.0.0.1", port, name);
    }

    /** Gives each test's {@link PgLocation} parameter a new database of the shared cluster. */
    static final class Databases implements org.junit.jupiter.api.extension.ParameterResolver {
        @Override
        public boolean supportsParameter(org.junit.jupiter.api.extension.ParameterContext p, ExtensionContext c) {
            return p.getParameter().getType() == PgLocation.class || p.getParameter().getType() == Lazy.class;
        }

        @Override
        public Object resolveParameter(org.junit.jupiter.api.extension.ParameterContext p, ExtensionContext c) {
            return p.getParameter().getType() == Lazy.class ? new Lazy(c) : get(c).newDatabase();
        }
    }

    /** A database made (or the test skipped) only when a test asks for it: a test run on both journals. */
    static final class Lazy {
        private final ExtensionContext context;
        private PgLocation db;

        Lazy(ExtensionContext context) {
            this.context = context;
        }

        /** The test's database, the same on every call. */
        PgLocation database() {
            if (db == null) {
                db = get(context).newDatabase();
            }
            return db;
        }

        /** Another new database, for a second run in the same test. */
        PgLocation another() {
            return get(context).newDatabase();
        }
    }

    @Override
    public void close() {
        owner(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
