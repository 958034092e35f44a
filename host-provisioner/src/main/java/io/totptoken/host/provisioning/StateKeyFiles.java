package io.totptoken.host.provisioning;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;

/**
 * State keys kept in files of their own, one per sealed file ({@code ID.key}, base64), when
 * neither a passphrase nor a keyring protects the token: {@code $XDG_DATA_HOME/tokenctl/keys},
 * else {@code $HOME/.local/share/tokenctl/keys}. That is apart from the token's own directory
 * (under ~/.config), so a copy of the token's directory or a backup of ~/.config alone holds no
 * key. Owner-only, written atomically.
 */
public record StateKeyFiles(Path dir) {
    private static final int MAX_FILE = 256;

    /** The key directory the environment names; relative variables are ignored, as XDG says. */
    public static StateKeyFiles resolve(Map<String, String> env, Path passwdHome) {
        Path data = absolute(env.get("XDG_DATA_HOME"));
        if (data == null) {
            Path home = absolute(env.get("HOME"));
            data = (home != null ? home : passwdHome).resolve(".local").resolve("share");
        }
        return new StateKeyFiles(data.resolve("tokenctl").resolve("keys").toAbsolutePath());
    }

    private static Path absolute(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Path p = Path.of(value);
        return p.isAbsolute() ? p : null;
    }

    public Path file(String id) {
        return dir.resolve(id + ".key");
    }

    /** The key for id; null when there is no such file. */
    byte[] read(String id) {
        Path f = file(id);
        byte[] text;
        try (InputStream in = Files.newInputStream(f)) {
            text = in.readNBytes(MAX_FILE + 1);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the key file " + f + ": " + e.getMessage(), e);
        }
        byte[] key = text.length > MAX_FILE ? null : Keyring.decode(text);
        Arrays.fill(text, (byte) 0);
        if (key == null) {
            throw new io.totptoken.host.transport.SealedStateException(f + ": not a tokenctl key file");
        }
        return key;
    }

    /** Writes the key for id: a private temporary file, fsync, rename. */
    void write(String id, byte[] key) {
        Path f = file(id);
        byte[] text = Keyring.encode(key);
        try {
            TokenHome.createPrivate(dir);
            Path tmp = Files.createTempFile(dir, "." + id, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    out.write(ByteBuffer.wrap(text));
                    out.write(ByteBuffer.wrap(new byte[] {'\n'}));
                    out.force(true);
                }
                try {
                    Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key file " + f + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(text, (byte) 0);
        }
    }

    /** Removes the key for id (after its file was sealed under a passphrase); a failure leaves the file. */
    void delete(String id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            // Harmless: the key no longer opens the current state.
        }
    }
}
