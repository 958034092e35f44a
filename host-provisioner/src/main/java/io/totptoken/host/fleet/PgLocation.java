package io.totptoken.host.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * Where a shared journal lives: a libpq-style {@code postgresql://USER@HOST:PORT/DB} URI. The
 * password is never part of it (a URI ends up in process lists and shell histories); it comes
 * from {@code PGPASSWORD} or from {@code ~/.pgpass} as libpq reads them.
 */
public record PgLocation(String user, String host, int port, String database) {
    public static final int DEFAULT_PORT = 5432;
    private static final int MAX_PGPASS = 64 * 1024;

    /** Whether {@code journal} names a database rather than a file. */
    public static boolean isUri(String journal) {
        return journal.startsWith("postgresql://") || journal.startsWith("postgres://");
    }

    public static PgLocation parse(String text) {
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw new FleetException("--journal: not a postgresql:// URI: " + e.getReason());
        }
        String userInfo = u.getRawUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            throw new FleetException("--journal: the URI must not hold a password; use PGPASSWORD or ~/.pgpass");
        }
        if (u.getHost() == null || userInfo == null || userInfo.isEmpty()) {
            throw new FleetException("--journal: give postgresql://USER@HOST[:PORT]/DB");
        }
        String path = u.getPath() == null ? "" : u.getPath();
        if (path.length() < 2 || path.indexOf('/', 1) >= 0 || u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new FleetException("--journal: give postgresql://USER@HOST[:PORT]/DB (one database name, no parameters)");
        }
        return new PgLocation(u.getUserInfo(), u.getHost(), u.getPort() < 0 ? DEFAULT_PORT : u.getPort(),
                path.substring(1));
    }

    public String jdbcUrl() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + database;
    }

    /**
     * The password: {@code PGPASSWORD}, else the first matching line of {@code ~/.pgpass} (or
     * {@code PGPASSFILE}), which libpq ignores when others can read it; null for none (trust or
     * peer authentication).
     */
    public char[] password(String pgPassword, String pgPassFile, Path home) {
        if (pgPassword != null && !pgPassword.isEmpty()) {
            return pgPassword.toCharArray();
        }
        Path file = pgPassFile != null && !pgPassFile.isEmpty() ? Path.of(pgPassFile)
                : home == null ? null : home.resolve(".pgpass");
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new FleetException(file + " can be read by others; libpq ignores it then, so does tokenctl (chmod 0600)");
            }
            if (Files.size(file) > MAX_PGPASS) {
                throw new FleetException(file + " is larger than " + MAX_PGPASS + " bytes; that is not a .pgpass file");
            }
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                List<String> f = pgpassFields(line);
                if (f.size() == 5 && matches(f.get(0), host) && matches(f.get(1), Integer.toString(port))
                        && matches(f.get(2), database) && matches(f.get(3), user)) {
                    return f.get(4).toCharArray();
                }
            }
            return null;
        } catch (IOException e) {
            throw new FleetException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static boolean matches(String pattern, String value) {
        return pattern.equals("*") || pattern.equals(value);
    }

    /** The colon-separated fields of a .pgpass line; a backslash escapes ':' and '\'. */
    private static List<String> pgpassFields(String line) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder f = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                f.append(line.charAt(++i));
            } else if (c == ':' && out.size() < 4) {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        out.add(f.toString());
        return out;
    }

    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }
}
