package io.totptoken.host.cli;

import io.totptoken.host.fleet.FleetException;
import io.totptoken.host.fleet.PgLocation;

/**
 * {@code --journal postgresql://USER@HOST:PORT/DB}: the database of a run that several stations
 * share. The password is PGPASSWORD or ~/.pgpass (PGPASSFILE), as for libpq, never an option.
 */
final class SharedJournalOption {
    private SharedJournalOption() {
    }

    static PgLocation location(String journal) {
        if (!PgLocation.isUri(journal)) {
            throw new UsageException("--journal takes a postgresql://USER@HOST[:PORT]/DB URI (the file journal is OUT/"
                    + io.totptoken.host.fleet.FleetRun.JOURNAL + ", the default)");
        }
        try {
            return PgLocation.parse(journal);
        } catch (FleetException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static char[] password(Invocation run, PgLocation location) {
        try {
            return location.password(run.env.getenv("PGPASSWORD"), run.env.getenv("PGPASSFILE"), run.env.passwdHome());
        } catch (FleetException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The host name, the default station name. */
    static String hostName(Invocation run) {
        String h = run.env.getenv("HOSTNAME");
        if (h != null) {
            return h;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            throw new UsageException("cannot tell this host's name (" + e.getMessage() + "); give --station NAME");
        }
    }
}
