package io.totptoken.host.provisioning;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The desktop keyring, holding state keys (random, 256 bits, base64) by file ID: the Secret
 * Service through {@code secret-tool} on Linux when a D-Bus session is named, the Keychain
 * through {@code security} on macOS. Every call is a bounded {@link KeyringCommand}.
 */
public interface Keyring {
    /** Where keys go, for messages. */
    String description();

    /** The key stored for id; null when the keyring has none or did not answer in time. */
    byte[] lookup(String id);

    /** Stores the key for id; false when the keyring did not take it. */
    boolean store(String id, byte[] key);

    /** The system's keyring as the environment names it, or null when there is none to talk to. */
    static Keyring system(Map<String, String> env, String osName) {
        if (osName.startsWith("Mac")) {
            Path security = Path.of("/usr/bin/security");
            return Files.isExecutable(security) ? new Keychain(security, env) : null;
        }
        String bus = env.get("DBUS_SESSION_BUS_ADDRESS");
        Path tool = bus == null || bus.isEmpty() ? null : KeyringCommand.find(env, "secret-tool");
        return tool == null ? null : new SecretService(tool, env);
    }

    /** A key as the keyring holds it: base64 text, no newline. */
    static byte[] encode(byte[] key) {
        return Base64.getEncoder().encode(key);
    }

    /** The key in a keyring's answer, or null when it is not one. */
    static byte[] decode(byte[] text) {
        int end = text.length;
        while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r')) {
            end--;
        }
        try {
            byte[] key = Base64.getDecoder().decode(Arrays.copyOf(text, end));
            return key.length == io.totptoken.host.transport.SealedState.KEY_BYTES ? key : null;
        } catch (IllegalArgumentException e) {
            return null;
        } finally {
            Arrays.fill(text, (byte) 0);
        }
    }

    /** Secret Service (GNOME Keyring, KWallet) through libsecret's secret-tool; attributes {@code application tokenctl token ID}. */
    record SecretService(Path tool, Map<String, String> env) implements Keyring {
        private static final List<String> PASS_ON = List.of("PATH", "HOME", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR",
                "XDG_DATA_HOME", "LANG");

        @Override
        public String description() {
            return "the desktop keyring (Secret Service)";
        }

        @Override
        public byte[] lookup(String id) {
            KeyringCommand.Outcome o = KeyringCommand.run(List.of(tool.toString(), "lookup", "application", "tokenctl",
                    "token", id), env, PASS_ON, new byte[0]);
            return o.ok() ? decode(o.out()) : null;
        }

        @Override
        public boolean store(String id, byte[] key) {
            byte[] secret = encode(key);
            try {
                return KeyringCommand.run(List.of(tool.toString(), "store", "--label=tokenctl state key " + id,
                        "application", "tokenctl", "token", id), env, PASS_ON, secret).ok();
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    /**
     * The macOS Keychain through security(1). {@code add-generic-password -w VALUE} would put the
     * key in the process list, so the command goes on security's standard input ({@code -i}).
     */
    record Keychain(Path tool, Map<String, String> env) implements Keyring {
        private static final List<String> PASS_ON = List.of("PATH", "HOME", "USER", "TMPDIR");

        @Override
        public String description() {
            return "the macOS Keychain";
        }

        @Override
        public byte[] lookup(String id) {
            KeyringCommand.Outcome o = KeyringCommand.run(List.of(tool.toString(), "find-generic-password", "-s", "tokenctl",
                    "-a", id, "-w"), env, PASS_ON, new byte[0]);
            return o.ok() ? decode(o.out()) : null;
        }

        @Override
        public boolean store(String id, byte[] key) {
            byte[] secret = encode(key);
            byte[] line = ("add-generic-password -U -s tokenctl -a " + id + " -l tokenctl -w "
                    + new String(secret, StandardCharsets.US_ASCII) + "\n").getBytes(StandardCharsets.US_ASCII);
            try {
                return KeyringCommand.run(List.of(tool.toString(), "-i"), env, PASS_ON, line).ok()
                        && lookupMatches(id, key);
            } finally {
                Arrays.fill(secret, (byte) 0);
                Arrays.fill(line, (byte) 0);
            }
        }

        /** security -i exits 0 even when a command in it failed, so a store is checked by reading it back. */
        private boolean lookupMatches(String id, byte[] key) {
            byte[] back = lookup(id);
            try {
                return back != null && java.security.MessageDigest.isEqual(back, key);
            } finally {
                if (back != null) {
                    Arrays.fill(back, (byte) 0);
                }
            }
        }
    }
}
