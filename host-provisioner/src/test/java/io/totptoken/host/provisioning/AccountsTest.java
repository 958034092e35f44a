package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accounts on a simulated token in a temporary file: codes against RFC 6238 and javax.crypto, and refusals. */
class AccountsTest {
    private static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private final List<String> trace = new ArrayList<>();
    private TokenConnection token;

    private TokenConnection open() {
        token = TokenConnection.open(TokenTarget.simulated(dir.resolve("t.sim")), trace::add);
        return token;
    }

    @AfterEach
    void close() {
        if (token != null) {
            token.close();
        }
    }

    private static CredentialSpec totp(String issuer, String account, HashAlgorithm alg, int digits, int period) {
        return new CredentialSpec(OathType.TOTP, alg, digits, period, 0, issuer, account, SEED, false);
    }

    @Test
    void addsWithSelectPutAndCalculateAndReturnsTheCurrentCode() {
        Accounts accounts = new Accounts(open());
        Accounts.AddPlan plan = accounts.plan(List.of(totp("Example", "alice", HashAlgorithm.SHA1, 8, 30)), true);
        List<Accounts.Added> added = accounts.add(plan, Instant.ofEpochSecond(59));
        assertEquals("94287082", added.get(0).code().code());
        assertEquals(1, added.get(0).code().secondsLeft(Instant.ofEpochSecond(59)));
        assertEquals(3, token.apduCount(), trace.toString());
    }

    @Test
    void aPeriodOtherThan30GoesToTheTokenInTagD2ForItsOwnClock() {
        Accounts accounts = new Accounts(open());
        accounts.add(accounts.plan(List.of(totp("Example", "daily", HashAlgorithm.SHA1, 6, 86400)), true), Instant.EPOCH);
        accounts.add(accounts.plan(List.of(totp("Example", "half", HashAlgorithm.SHA1, 6, 30),
                totp("Example", "long", HashAlgorithm.SHA256, 6, 32768)), true), Instant.EPOCH);
        List<String> puts = trace.stream().filter(l -> l.startsWith("> 0001")).toList();
        assertEquals(3, puts.size(), trace.toString());
        assertTrue(puts.get(0).contains("d20400015180"), "86400 in 4 bytes, TOKEN INFO not asked: " + puts.get(0));
        assertFalse(puts.get(1).contains("d2"), "30 s is the default: no tag " + puts.get(1));
        assertTrue(puts.get(2).contains("d2028000"), "32768 in 2 bytes, as firmware 0.1.0 reads it: " + puts.get(2));
        assertFalse(new io.totptoken.host.session.TokenInfo("0.1.0", 200, 0, 0, false, 8, 8, new int[] {1, 2, 2}, true, 0,
                io.totptoken.host.session.TokenInfo.MAX_PERIOD_WITHOUT_TAG).takesPeriod(86400),
                "a token without TOKEN INFO tag 8A takes 2-byte periods only");
    }

    @Test
    void codesUseEachAccountsPeriodWithOneCalculateAllForThirtySeconds() throws Exception {
        Accounts accounts = new Accounts(open());
        accounts.add(accounts.plan(List.of(totp("A", "thirty", HashAlgorithm.SHA1, 8, 30),
                totp("B", "sixty", HashAlgorithm.SHA256, 6, 60)), false), Instant.ofEpochSecond(1111111109));
        int before = token.apduCount();
        Instant at = Instant.ofEpochSecond(1111111109);
        List<AccountCode> codes = accounts.codes(null, at, false);
        assertEquals("07081804", codes.get(0).code());
        assertEquals(reference("HmacSHA256", 1111111109 / 60, 6), codes.get(1).code());
        assertEquals(Instant.ofEpochSecond(1111111109 / 60 * 60 + 60), codes.get(1).validTo());
        assertEquals(2, token.apduCount() - before, "CALCULATE ALL, then CALCULATE for the 60-s account");
        List<AccountCode> next = accounts.codes("thirty", at, true);
        assertEquals(reference("HmacSHA1", 1111111109 / 30 + 1, 8), next.get(0).code());
    }

    @Test
    void refusesATakenNameWithoutReplaceAndWritesNothing() {
        Accounts accounts = new Accounts(open());
        accounts.add(accounts.plan(List.of(totp("Example", "alice", HashAlgorithm.SHA1, 6, 30)), false), Instant.EPOCH);
        NameTakenException e = assertThrows(NameTakenException.class, () -> accounts.plan(
                List.of(totp("New", "bob", HashAlgorithm.SHA1, 6, 30), totp("Example", "alice", HashAlgorithm.SHA1, 8, 30)), false));
        assertEquals(List.of("Example:alice"), e.names());
        assertEquals(1, accounts.list().size());
    }

    @Test
    void hotpAndTouchGetCodesOnlyWhenAskedAlone() {
        Accounts accounts = new Accounts(open());
        token.touchPrompt((label, simulated) -> true);
        accounts.add(accounts.plan(List.of(
                new CredentialSpec(OathType.HOTP, HashAlgorithm.SHA1, 6, 30, 0, null, "counter", SEED, false),
                new CredentialSpec(OathType.TOTP, HashAlgorithm.SHA1, 6, 30, 0, "T", "touchy", SEED, true),
                totp("P", "plain", HashAlgorithm.SHA1, 6, 30)), false), Instant.EPOCH);
        List<AccountCode> all = accounts.codes(null, Instant.ofEpochSecond(59), false);
        assertEquals(List.of("counter", "P:plain", "T:touchy"), all.stream().map(c -> c.account().name()).toList());
        assertNull(all.get(0).code());
        assertEquals(AccountCode.Missing.HOTP, all.get(0).missing());
        assertEquals(AccountCode.Missing.TOUCH, all.get(2).missing());
        assertEquals("755224", accounts.codes("counter", Instant.EPOCH, false).get(0).code()); // RFC 4226, counter 0
        assertEquals("287082", accounts.codes("counter", Instant.EPOCH, false).get(0).code()); // counter 1
        assertEquals("287082", accounts.codes("touchy", Instant.ofEpochSecond(59), false).get(0).code());
    }

    @Test
    void queriesMatchSubstringsAnyCaseAndAnExactNameWins() {
        Accounts accounts = new Accounts(open());
        accounts.add(accounts.plan(List.of(totp("GitHub", "alice", HashAlgorithm.SHA1, 6, 30),
                totp("GitHub", "alice2", HashAlgorithm.SHA1, 6, 30)), false), Instant.EPOCH);
        assertEquals("GitHub:alice", accounts.find("github:ALICE").name());
        TokenOperationException several = assertThrows(TokenOperationException.class, () -> accounts.find("hub"));
        assertTrue(several.getMessage().contains("matches 2 accounts"), several.getMessage());
        assertThrows(TokenOperationException.class, () -> accounts.find("nobody"));
        assertThrows(TokenOperationException.class, () -> accounts.codes("nobody", Instant.EPOCH, false));
    }

    @Test
    void renameKeepsThePeriodAndRefusesATakenName() {
        Accounts accounts = new Accounts(open());
        accounts.add(accounts.plan(List.of(totp("A", "sixty", HashAlgorithm.SHA1, 6, 60),
                totp("B", "other", HashAlgorithm.SHA1, 6, 60)), false), Instant.EPOCH);
        Accounts.Renamed r = accounts.rename("sixty", "C:renamed");
        assertEquals("60/C:renamed", r.to().idText());
        assertEquals(60, accounts.find("renamed").period());
        assertThrows(NameTakenException.class, () -> accounts.rename("renamed", "B:other"));
        assertThrows(InvalidCredentialException.class, () -> accounts.rename("renamed", "x".repeat(80)));
        assertEquals(List.of("B:other", "C:renamed"), accounts.list().stream().map(Account::name).toList());
        assertEquals("B:other", accounts.delete("other").name());
        assertEquals(1, accounts.list().size());
    }

    @Test
    void refusesABatchThatDoesNotFit() {
        token = TokenConnection.open(TokenTarget.simulated(dir.resolve("t.sim")), null);
        Accounts accounts = new Accounts(token);
        List<CredentialSpec> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(totp("Big", "n" + i, HashAlgorithm.SHA512, 6, 30));
        }
        TokenOperationException e = assertThrows(TokenOperationException.class, () -> accounts.plan(many, false));
        assertTrue(e.getMessage().contains("need 202"), e.getMessage());
        assertTrue(accounts.list().isEmpty());
    }

    @Test
    void passwordUnlocksFromARememberedKeyAndAStaleKeyIsForgotten() {
        RememberedKeys keys = new RememberedKeys(dir.resolve("home/keys.json"));
        Access access = new Access(keys);
        PasswordSource hunter2 = given("hunter2");
        access.change(open(), PasswordSource.NONE, "hunter2".toCharArray(), true);
        token.close();
        assertEquals(Access.Unlocked.REMEMBERED_KEY, access.unlock(open(), PasswordSource.NONE, false));
        assertTrue(new Accounts(token).list().isEmpty()); // LIST needs the token unlocked
        // Changed without remembering: the old remembered key goes.
        access.change(token, PasswordSource.NONE, "other".toCharArray(), false);
        token.close();
        assertThrows(PasswordRequiredException.class, () -> access.unlock(open(), PasswordSource.NONE, false));
        token.close();
        io.totptoken.host.session.ApduException wrong = assertThrows(io.totptoken.host.session.ApduException.class,
                () -> access.unlock(open(), hunter2, false));
        assertEquals(0x6982, wrong.sw());
        assertEquals(Access.Unlocked.PASSWORD, access.unlock(token, given("other"), false));
        access.clear(token, PasswordSource.NONE);
        token.close();
        assertFalse(open().session().locked());
    }

    private static PasswordSource given(String password) {
        return new PasswordSource() {
            @Override
            public char[] given() {
                return password.toCharArray();
            }

            @Override
            public char[] ask(String token) {
                return null;
            }
        };
    }

    private static String reference(String mac, long step, int digits) throws GeneralSecurityException {
        Mac m = Mac.getInstance(mac);
        m.init(new SecretKeySpec(SEED, mac));
        byte[] h = m.doFinal(ByteBuffer.allocate(8).putLong(step).array());
        int o = h[h.length - 1] & 0xF;
        long v = (ByteBuffer.wrap(h, o, 4).getInt() & 0x7FFFFFFFL) % (long) Math.pow(10, digits);
        return String.format("%0" + digits + "d", v);
    }
}
