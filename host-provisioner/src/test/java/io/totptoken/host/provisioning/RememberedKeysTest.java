package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RememberedKeysTest {
    @TempDir
    Path dir;

    @Test
    void keepsKeysByTokenIdInAnOwnerOnlyFile() throws Exception {
        RememberedKeys keys = new RememberedKeys(dir.resolve("new/keys.json"));
        byte[] id = {1, 2, 3, 4, 5, 6, 7, 8};
        byte[] key = new byte[16];
        key[0] = 0x7f;
        assertNull(keys.find(id));
        keys.remember(id, key);
        keys.remember(new byte[] {9, 9, 9, 9, 9, 9, 9, 9}, new byte[16]);
        assertArrayEquals(key, keys.find(id));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(keys.file())));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(keys.file().getParent())));
        assertTrue(keys.forget(id));
        assertFalse(keys.forget(id));
        assertEquals(1, keys.forgetAll());
        assertFalse(Files.exists(keys.file()));
    }

    @Test
    void aDamagedFileIsRefusedWithoutShowingItsContent() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.json"), "{\"0102\": \"secretsecret\"");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new RememberedKeys(file).find(new byte[] {1, 2}));
        assertFalse(e.getCause().getMessage().contains("secret"), e.getCause().getMessage());
        assertTrue(e.getCause().getMessage().contains("access forget --all"), e.getCause().getMessage());
    }

    @Test
    void homeComesFromTokenctlHomeThenXdgThenTheUsersConfig() {
        Path user = dir.resolve("user");
        assertEquals(dir.resolve("t"), TokenHome.resolve(Map.of("TOKENCTL_HOME", dir.resolve("t").toString()), user).dir());
        assertEquals(dir.resolve("x/tokenctl"), TokenHome.resolve(Map.of("XDG_CONFIG_HOME", dir.resolve("x").toString()), user).dir());
        assertEquals(user.resolve(".config/tokenctl"), TokenHome.resolve(Map.of(), user).dir());
        assertEquals(user.resolve(".config/tokenctl/token.sim"), TokenHome.resolve(Map.of("TOKENCTL_HOME", ""), user).tokenFile());
    }

    @Test
    void theHomeVariableWinsOverThePasswordDatabase() {
        Path passwd = dir.resolve("passwd-home");
        Path home = dir.resolve("some/dir");
        assertEquals(home.resolve(".config/tokenctl"), TokenHome.resolve(Map.of("HOME", home.toString()), passwd).dir());
        assertEquals(dir.resolve("x/tokenctl"), TokenHome.resolve(
                Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", dir.resolve("x").toString()), passwd).dir());
        assertEquals(dir.resolve("t"), TokenHome.resolve(
                Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", dir.resolve("x").toString(),
                        "TOKENCTL_HOME", dir.resolve("t").toString()), passwd).dir());
    }

    @Test
    void relativeOrEmptyHomeVariablesAreIgnored() {
        Path passwd = dir.resolve("passwd-home");
        Path home = dir.resolve("home");
        // XDG Base Directory: a relative path in these variables is invalid and ignored.
        assertEquals(home.resolve(".config/tokenctl"), TokenHome.resolve(
                Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", "relative/config"), passwd).dir());
        assertEquals(passwd.resolve(".config/tokenctl"), TokenHome.resolve(Map.of("HOME", "relative"), passwd).dir());
        assertEquals(passwd.resolve(".config/tokenctl"), TokenHome.resolve(Map.of("HOME", "", "XDG_CONFIG_HOME", " "), passwd).dir());
    }
}
