package io.totptoken.host.provisioning;

import io.totptoken.host.storage.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Password keys the user asked tokenctl to remember, by token ID, in an owner-only JSON file
 * {@code {"<token ID hex>": "<key hex>", ...}}. Only the 16-byte PBKDF2 key is kept, never the
 * password: it unlocks that one token (the ID is the salt) and is useless elsewhere. A token's ID
 * changes when it is reset, so a reset makes its entry useless; {@link #forget} removes it.
 */
public final class RememberedKeys {
    private static final Pattern ENTRY = Pattern.compile("\"([0-9a-fA-F]{2,64})\"\\s*:\\s*\"([0-9a-fA-F]{2,128})\"");
    private static final Pattern SHAPE = Pattern.compile("\\s*\\{\\s*(" + ENTRY.pattern() + "\\s*(,\\s*|(?=\\})))*\\}\\s*");
    private static final HexFormat HEX = HexFormat.of();

    private final Path file;

    public RememberedKeys(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The key remembered for the token, or null. */
    public byte[] find(byte[] tokenId) {
        String hex = read().get(HEX.formatHex(tokenId));
        return hex == null ? null : HEX.parseHex(hex);
    }

    public void remember(byte[] tokenId, byte[] key) {
        Map<String, String> keys = read();
        keys.put(HEX.formatHex(tokenId), HEX.formatHex(key));
        write(keys);
    }

    /** Removes the token's key; returns whether there was one. */
    public boolean forget(byte[] tokenId) {
        Map<String, String> keys = read();
        if (keys.remove(HEX.formatHex(tokenId)) == null) {
            return false;
        }
        write(keys);
        return true;
    }

    /** Removes every remembered key; returns how many there were. */
    public int forgetAll() {
        int n = read().size();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
        }
        return n;
    }

    private Map<String, String> read() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read remembered keys from " + file + ": " + e.getMessage(), e);
        }
        if (!SHAPE.matcher(text).matches()) {
            // Never echo the content: it holds keys.
            throw new UncheckedIOException(new IOException(file + " is not a remembered-keys file; delete it "
                    + "(tokenctl access forget --all) and remember the password again"));
        }
        Map<String, String> keys = new TreeMap<>();
        Matcher m = ENTRY.matcher(text);
        while (m.find()) {
            keys.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2).toLowerCase(java.util.Locale.ROOT));
        }
        return keys;
    }

    private void write(Map<String, String> keys) {
        StringBuilder json = new StringBuilder("{");
        String sep = "\n";
        for (Map.Entry<String, String> e : keys.entrySet()) {
            json.append(sep).append("  \"").append(e.getKey()).append("\": \"").append(e.getValue()).append('"');
            sep = ",\n";
        }
        json.append("\n}\n");
        Path dir = file.toAbsolutePath().getParent();
        TokenHome.createPrivate(dir);
        try {
            AtomicFile.write(file, json.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write remembered keys to " + file + ": " + e.getMessage(), e);
        }
    }
}
