package io.totptoken.host.provisioning.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.totptoken.host.provisioning.BoundedFile;
import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.storage.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * An encrypted Aegis vault kept as a backup of what {@code accounts add} puts on tokens: opened
 * (and its password checked) before any token is touched, extended, and written back complete or
 * not at all ({@link AtomicFile}: temporary owner-only file, fsync, rename) before the tokens are
 * written, so that a failed backup leaves the tokens as they were.
 */
public final class AegisBackup implements AutoCloseable {
    /** A vault holds a few hundred accounts in well under a megabyte; more is not a backup of a token. */
    static final int MAX_VAULT_BYTES = 16 * 1024 * 1024;

    /** Where the password comes from: asked once for a vault that exists, twice on a terminal for a new one. */
    public interface Password {
        char[] forExisting(Path vault);

        char[] forNew(Path vault);
    }

    private final Path file;
    private final ObjectNode database;
    private final AegisVaultWriter writer;
    private char[] password;

    private AegisBackup(Path file, ObjectNode database, char[] password, SecureRandom random) {
        this.file = file;
        this.database = database;
        this.password = password;
        this.writer = new AegisVaultWriter(random);
    }

    /** Opens the vault at {@code file}, or a new empty one when there is no file there yet. */
    public static AegisBackup open(Path file, Password password, SecureRandom random) {
        Path target = followLinks(file.toAbsolutePath());
        byte[] content;
        try {
            content = BoundedFile.read(target, MAX_VAULT_BYTES);
        } catch (NoSuchFileException e) {
            if (!Files.isDirectory(target.getParent())) {
                throw new ImportException("the backup " + file + " cannot be created: there is no directory "
                        + target.getParent());
            }
            return new AegisBackup(target, AegisVaultWriter.emptyDatabase(), password.forNew(target), random);
        } catch (BoundedFile.TooLargeException e) {
            throw new ImportException("the backup " + file + " is larger than " + BoundedFile.describe(MAX_VAULT_BYTES)
                    + "; that is not an Aegis vault tokenctl wrote");
        } catch (IOException e) {
            throw new ImportException("cannot read the backup " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        if (!new AegisVault().recognises(content)) {
            throw new ImportException("the backup " + file + " exists but is not an Aegis vault; tokenctl does not "
                    + "overwrite it (give another file, or move that one away)");
        }
        char[][] given = new char[1][];
        ObjectNode database;
        try {
            database = AegisVault.openDatabase(content, what -> {
                given[0] = password.forExisting(file);
                return given[0] == null ? null : given[0].clone();
            });
        } catch (ImportException e) {
            wipe(given[0]);
            throw new ImportException("the backup " + file + ": " + e.getMessage());
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        // A plain vault has no password yet: it gets one now, as a new vault does.
        char[] key = given[0] != null ? given[0] : password.forNew(target);
        return new AegisBackup(target, database, key, random);
    }

    /**
     * Where {@code path} leads through symbolic links, even to a file not there yet: the rename then
     * replaces the vault itself and the link stays a link.
     */
    private static Path followLinks(Path path) {
        Path at = path;
        try {
            for (int hops = 0; Files.isSymbolicLink(at); hops++) {
                if (hops == 40) {
                    throw new ImportException("the backup " + path + " is a loop of symbolic links");
                }
                at = at.toAbsolutePath().getParent().resolve(Files.readSymbolicLink(at)).normalize();
            }
            return Files.exists(at) ? at.toRealPath() : at;
        } catch (IOException e) {
            throw new ImportException("cannot follow the backup " + path + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The vault's file (links resolved). */
    public Path file() {
        return file;
    }

    /** Puts every credential in, each in place of an entry of the same issuer and name. */
    public void add(List<CredentialSpec> credentials) {
        for (CredentialSpec c : credentials) {
            writer.put(database, c);
        }
    }

    /** Encrypts the vault afresh (new master key, salt and nonces) and replaces the file atomically. */
    public void write() throws IOException {
        byte[] vault = writer.encrypt(database, password);
        try {
            AtomicFile.write(file, vault);
        } finally {
            Arrays.fill(vault, (byte) 0);
        }
    }

    @Override
    public void close() {
        wipe(password);
        password = null;
    }

    private static void wipe(char[] chars) {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }
}
