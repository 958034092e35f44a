package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded token's state file never loses data: a full disk fails the command and keeps the
 * file, reading codes does not rewrite it, a damaged file falls back to token.sim.bak (and reset
 * works on it), stale temporary files go, a symbolic link is followed, a hand-made file is
 * "damaged" and never an internal error, and concurrent commands wait for each other.
 */
class StateFileCliTest extends CliTest {
    private static final String ALICE = AccountsCliTest.ALICE;
    private static final String OTHER = AccountsCliTest.OTHER;

    Path state;

    @BeforeEach
    void prepare() {
        state = h.home.resolve("token.sim");
    }

    @Override
    String[] secrets() {
        return new String[] {ALICE, OTHER};
    }

    private static Object inode(Path p) throws Exception {
        return Files.getAttribute(p, "unix:ino");
    }

    private List<String> temporaries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
        }
    }

    @Test
    void aFullDiskFailsTheCommandAndLeavesTheStateAsItWas() throws Exception {
        // The token with its account is made elsewhere, then copied onto a tmpfs it nearly fills.
        CliHarness maker = new CliHarness(tmp.resolve("maker"));
        // Sealed under a passphrase, so that the token opens in another HOME (a key file would stay in maker's).
        maker.env.put(StatePassphrase.ENV_PASSPHRASE, "full disk");
        h.env.put(StatePassphrase.ENV_PASSPHRASE, "full disk");
        maker.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        byte[] before = Files.readAllBytes(maker.home.resolve("token.sim"));
        Files.createDirectories(h.home);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=40k,mode=700", "tmpfs", h.home.toString())
                .redirectErrorStream(true).start();
        assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
                "mounting a tmpfs needs root (the fault-injecting AtomicFileTest covers this everywhere)");
        try {
            Files.write(state, before);
            assertTrue(Files.getFileStore(state).getUsableSpace() < before.length, "the disk has no room for a second copy");
            h.at(1_700_000_090L);
            // Codes from the host's time change nothing stored: no write, so no failure.
            h.run("accounts", "code").expect(0);
            assertArrayEquals(before, Files.readAllBytes(state));
            CliHarness.Result delete = h.run("accounts", "delete", "--force", "alice").oneErrorLine();
            assertTrue(delete.code() != 0 && !delete.out().contains("Deleted"), "the delete is not claimed: " + delete);
            assertTrue(delete.err().contains("No space left on device") && delete.err().contains(state.toString()), delete.err());
            CliHarness.Result add = h.run("accounts", "add", "-s", OTHER, "-N", "Other:carol").oneErrorLine();
            assertTrue(add.code() != 0 && add.out().isEmpty(), "the add is not claimed: " + add);
            assertArrayEquals(before, Files.readAllBytes(state), "the file is as it was");
            assertEquals(List.of(), temporaries(h.home));
            assertEquals("WiseMo:alice  TOTP  SHA1  30 s\n", h.run("accounts", "list").expect(0).out());
        } finally {
            new ProcessBuilder("umount", h.home.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void readingCodesAndListingLeaveTheFileAloneUntilSomethingChanges() throws Exception {
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        h.run("accounts", "code").expect(0);
        Object written = inode(state);
        h.run("accounts", "code").expect(0);
        h.run("accounts", "list").expect(0);
        h.run("info").expect(0);
        assertEquals(written, inode(state), "nothing changed, so nothing was written");
        h.run("accounts", "delete", "--force", "alice").expect(0);
        assertFalse(written.equals(inode(state)), "a delete is written");
    }

    @Test
    void aDamagedFileFallsBackToTheBackupWithOneWarning() throws Exception {
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        h.run("accounts", "add", "-s", OTHER, "-N", "Other:carol").expect(0);
        Path backup = h.home.resolve("token.sim.bak");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        byte[] bytes = Files.readAllBytes(state);
        bytes[bytes.length / 2] ^= 1;
        Files.write(state, bytes);
        CliHarness.Result r = h.run("accounts", "list").expect(0);
        assertEquals("WiseMo:alice  TOTP  SHA1  30 s\n", r.out(), "the state before the last change");
        // The embedded token is sealed: the flipped byte fails its tag, and the backup opens under the same key.
        assertTrue(r.err().contains(state + " is damaged (damaged or wrong key)") && r.err().contains(backup.toString()), r.err());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertEquals("", h.run("accounts", "list").expect(0).err(), "put back in place: warned once");

        Files.write(state, Arrays.copyOf(Files.readAllBytes(state), 8192));
        assertEquals("WiseMo:alice  TOTP  SHA1  30 s\n", h.run("accounts", "list").expect(0).out(), "a truncated file too");
    }

    @Test
    void aDamagedFileWithoutBackupSaysWhatToDoAndResetWorksOnIt() throws Exception {
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        Files.deleteIfExists(h.home.resolve("token.sim.bak"));
        byte[] bytes = Files.readAllBytes(state);
        bytes[40] ^= 1;
        Files.write(state, bytes);
        CliHarness.Result r = h.run("accounts", "list").expect(4).oneErrorLine();
        assertTrue(r.err().contains(state + " is damaged (damaged or wrong key)") && r.err().contains("tokenctl reset"), r.err());
        h.run("reset", "--force").expect(0);
        assertEquals("", h.run("accounts", "list").expect(0).out());
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        // Asked on a terminal and refused: nothing is written, the damage stays.
        Files.write(state, bytes);
        Files.deleteIfExists(h.home.resolve("token.sim.bak"));
        h.terminal("n").run("reset").expect(1);
        assertArrayEquals(bytes, Files.readAllBytes(state));
    }

    @Test
    void staleTemporaryFilesAreRemovedAtTheNextOpenAndByReset() throws Exception {
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        // This version's fixed names, and the random names of earlier ones.
        List<String> stale = List.of(".token.sim.tmp", ".token.sim.bak.tmp", ".token.sim.8841.tmp", ".token.sim77012.tmp",
                "token.sim.tmp", ".token.sim.bak.5.tmp");
        for (String name : stale) {
            Files.write(h.home.resolve(name), Files.readAllBytes(state));
        }
        Files.writeString(h.home.resolve("notes.tmp"), "not ours");
        h.run("accounts", "list").expect(0);
        assertEquals(List.of("notes.tmp"), temporaries(h.home));
        Files.write(h.home.resolve(stale.get(0)), new byte[10]);
        h.run("reset", "--force").expect(0);
        assertEquals(List.of("notes.tmp"), temporaries(h.home));
    }

    @Test
    void aSymbolicLinkIsFollowedNotReplaced() throws Exception {
        Path real = tmp.resolve("elsewhere/real.sim");
        Files.createDirectories(real.getParent());
        Files.createDirectories(h.home);
        Files.createSymbolicLink(state, real);
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        h.run("accounts", "add", "-s", OTHER, "-N", "Other:carol").expect(0);
        assertTrue(Files.isSymbolicLink(state), "still a link");
        assertTrue(Files.isRegularFile(real) && Files.isRegularFile(tmp.resolve("elsewhere/real.sim.bak")));
        assertTrue(Files.exists(tmp.resolve("elsewhere/real.sim.lock")), "the lock is on the target");
        assertEquals(2, h.run("accounts", "list").expect(0).out().strip().split("\n").length);
    }

    @Test
    void aHandMadeFileWithAValidChecksumIsDamagedNeverAnInternalError() throws Exception {
        h.run("accounts", "add", AccountsCliTest.ALICE_URI).expect(0);
        byte[] good = Files.readAllBytes(state);
        Files.deleteIfExists(h.home.resolve("token.sim.bak"));
        // offset 8: the parameter count; 12: slots; 100: the array count
        long[][] patches = {{8, Integer.MAX_VALUE, 4}, {8, -1, 4}, {12, 100_000, 8}, {100, Integer.MAX_VALUE, 4}};
        for (long[] p : patches) {
            ByteBuffer b = ByteBuffer.wrap(Arrays.copyOf(good, good.length - 8));
            if (p[2] == 4) {
                b.putInt((int) p[0], (int) p[1]);
            } else {
                b.putLong((int) p[0], p[1]);
            }
            CRC32 crc = new CRC32();
            crc.update(b.array());
            Files.write(state, ByteBuffer.allocate(good.length).put(b.array()).putLong(crc.getValue()).array());
            CliHarness.Result r = h.run("accounts", "list").expect(4).oneErrorLine();
            assertTrue(r.err().contains(state + " is damaged") && !r.err().contains("internal error"), r.err());
        }
    }

    @Test
    void twentyConcurrentAddsOnOneTokenAllSucceed() throws Exception {
        h.run("accounts", "list").expect(0);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<CliHarness.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = "Team:user" + i;
            runs.add(pool.submit(() -> new CliHarness(h.home).run("accounts", "add", "-s", ALICE, "-N", name)));
        }
        pool.shutdown();
        for (Future<CliHarness.Result> f : runs) {
            CliHarness.Result r = f.get(120, TimeUnit.SECONDS).expect(0);
            assertTrue(r.err().split("waiting for another tokenctl").length <= 2, "said at most once: " + r.err());
        }
        assertEquals(20, h.run("accounts", "list").expect(0).out().strip().split("\n").length);
    }
}
