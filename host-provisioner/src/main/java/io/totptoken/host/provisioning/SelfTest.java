package io.totptoken.host.provisioning;

import io.totptoken.host.apdu.MalformedResponseException;
import io.totptoken.host.session.ApduException;
import io.totptoken.host.session.CardCredential;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.session.TokenInfo;
import io.totptoken.host.session.Ykoath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Checks a token against the published vectors: RFC 4226 Appendix D (HOTP) and RFC 6238
 * Appendix B (TOTP with SHA-1, SHA-256 and SHA-512), each at 8 and 6 digits. Every group puts
 * one temporary credential of its own ({@link #NAME}), computes its codes and deletes it, so
 * the token ends as it began: the user's accounts are only listed, never calculated, so no HOTP
 * counter of theirs moves. Codes of test vectors are public, so a wrong one may be shown.
 *
 * <p>APDUs: SELECT, LIST, TOKEN INFO, then per group PUT, one CALCULATE per vector, DELETE.
 */
public final class SelfTest {
    /**
     * The temporary credential. ykman and Yubico Authenticator hide the issuer "_hidden", and a
     * credential of this name is taken to be left by an interrupted self-test, so it is removed.
     */
    public static final String NAME = "_hidden:tokenctl-selftest";
    /** The largest test credential, SHA-512, takes two slots. */
    public static final int SLOTS_NEEDED = 2;

    private static final byte[] NAME_BYTES = NAME.getBytes(StandardCharsets.UTF_8);

    /** RFC 4226 Appendix D: the secret, and the 31-bit truncated values for counters 0 to 9. */
    private static final byte[] RFC4226_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final long[] RFC4226_TRUNCATED = {1284755224L, 1094287082L, 137359152L, 1726969429L, 1640338314L,
        868254676L, 1918287922L, 82162583L, 673399871L, 645520489L};

    /** RFC 6238 Appendix B: the times and the 8-digit codes, per time, for SHA-1, SHA-256, SHA-512. */
    private static final long[] RFC6238_TIMES = {59L, 1111111109L, 1111111111L, 1234567890L, 2000000000L, 20000000000L};
    private static final String[][] RFC6238_CODES = {{"94287082", "46119246", "90693936"},
        {"07081804", "68084774", "25091201"}, {"14050471", "67062674", "99943326"},
        {"89005924", "91819424", "93441116"}, {"69279037", "90698825", "38618901"},
        {"65353130", "77737706", "47863826"}};
    private static final String[] ALGORITHMS = {"SHA-1", "SHA-256", "SHA-512"};

    /** One code the token must compute: the time step (TOTP) or nothing (HOTP: the card's counter). */
    record Vector(String label, long timeStep, String expected) {
    }

    /** One group: a credential and its vectors, in the order they are computed. */
    record Check(String title, int type, int algorithm, int digits, byte[] secret, List<Vector> vectors) {
    }

    /** A code the token got wrong, or could not give. */
    public record Mismatch(String vector, String expected, String got) {
    }

    /**
     * The outcome of one group.
     *
     * @param refused why the token did not store the test credential, or null when it did
     */
    public record Group(String title, int codes, List<Mismatch> wrong, String refused) {
        public boolean passed() {
            return refused == null && wrong.isEmpty();
        }
    }

    /** Every group's outcome, and whether a credential left by an interrupted run was removed first. */
    public record Report(boolean leftoverRemoved, List<Group> groups) {
        public boolean passed() {
            return groups.stream().allMatch(Group::passed);
        }

        public int codes() {
            return groups.stream().mapToInt(Group::codes).sum();
        }

        public int wrongCodes() {
            return groups.stream().mapToInt(g -> g.wrong().size()).sum();
        }
    }

    private final OathSession session;
    private final String label;

    /** On an unlocked session; {@code label} names the token in messages. */
    public SelfTest(OathSession session, String label) {
        this.session = session;
        this.label = label;
    }

    /**
     * Runs every group, telling {@code progress} about each as it ends.
     *
     * @throws TokenOperationException when the token has no room for the test credential (nothing written)
     */
    public Report run(Consumer<Group> progress) {
        boolean leftover = removeLeftover();
        Optional<TokenInfo> info = session.info();
        if (info.isPresent() && info.get().slotsFree() < SLOTS_NEEDED) {
            throw noRoom(info.get().slotsFree() + " of " + info.get().slotsTotal() + " are free", leftover);
        }
        List<Group> groups = new ArrayList<>();
        for (Check c : checks()) {
            Group g = run(c, info, leftover);
            groups.add(g);
            progress.accept(g);
        }
        return new Report(leftover, List.copyOf(groups));
    }

    /** The groups, in order: HOTP, then TOTP per algorithm. 6 digits are the last six of the 8-digit codes. */
    static List<Check> checks() {
        List<Check> out = new ArrayList<>();
        for (int digits : new int[] {6, 8}) {
            List<Vector> v = new ArrayList<>();
            for (int counter = 0; counter < RFC4226_TRUNCATED.length; counter++) {
                v.add(new Vector("counter " + counter, 0, lastDigits(Long.toString(RFC4226_TRUNCATED[counter]), digits)));
            }
            out.add(new Check("RFC 4226 HOTP SHA-1 " + digits + " digits", CardCredential.HOTP, 1, digits,
                    RFC4226_SECRET, v));
        }
        for (int alg = 1; alg <= 3; alg++) {
            for (int digits : new int[] {8, 6}) {
                List<Vector> v = new ArrayList<>();
                for (int t = 0; t < RFC6238_TIMES.length; t++) {
                    v.add(new Vector("T = " + RFC6238_TIMES[t], RFC6238_TIMES[t] / 30,
                            lastDigits(RFC6238_CODES[t][alg - 1], digits)));
                }
                out.add(new Check("RFC 6238 TOTP " + ALGORITHMS[alg - 1] + " " + digits + " digits", CardCredential.TOTP,
                        alg, digits, rfc6238Seed(alg), v));
            }
        }
        return out;
    }

    /** RFC 6238 Appendix A: "12345678901234567890" repeated to 20, 32 or 64 bytes. */
    static byte[] rfc6238Seed(int algorithm) {
        int length = algorithm == 1 ? 20 : algorithm == 2 ? 32 : 64;
        byte[] seed = new byte[length];
        for (int i = 0; i < length; i++) {
            seed[i] = (byte) ('0' + (i + 1) % 10);
        }
        return seed;
    }

    /** A code at fewer digits is the same value modulo a smaller power of ten: its last digits. */
    private static String lastDigits(String code, int digits) {
        StringBuilder padded = new StringBuilder(code);
        while (padded.length() < digits) {
            padded.insert(0, '0');
        }
        return padded.substring(padded.length() - digits);
    }

    private boolean removeLeftover() {
        for (CardCredential c : session.list()) {
            if (Arrays.equals(c.name(), NAME_BYTES)) {
                session.delete(NAME_BYTES);
                return true;
            }
        }
        return false;
    }

    private Group run(Check check, Optional<TokenInfo> info, boolean leftover) {
        // The same PUT as for a user's account, so the engine their codes use is the one tested.
        boolean states = info.isPresent() && info.get().takesStates(check.algorithm());
        try {
            session.put(NAME_BYTES, check.type(), check.algorithm(), check.digits(), check.secret(), false, 0, states);
        } catch (ApduException e) {
            if (e.sw() == Ykoath.SW_NO_SPACE) {
                throw noRoom("the token says it is full", leftover);
            }
            return new Group(check.title(), check.vectors().size(), List.of(), e.getMessage());
        }
        List<Mismatch> wrong = new ArrayList<>();
        try {
            CardCredential credential = new CardCredential(NAME_BYTES, check.type(), check.algorithm());
            for (Vector v : check.vectors()) {
                String got;
                try {
                    got = session.calculate(credential, v.timeStep()).value();
                } catch (ApduException | MalformedResponseException e) {
                    got = "no code: " + e.getMessage();
                }
                if (!got.equals(v.expected())) {
                    wrong.add(new Mismatch(v.label(), v.expected(), got));
                }
            }
        } catch (RuntimeException e) {
            deleteAfter(e);
            throw e;
        }
        session.delete(NAME_BYTES);
        return new Group(check.title(), check.vectors().size(), List.copyOf(wrong), null);
    }

    /** Removes the test credential after a failure; a failure to do so goes along with the first one. */
    private void deleteAfter(RuntimeException first) {
        try {
            session.delete(NAME_BYTES);
        } catch (RuntimeException e) {
            first.addSuppressed(e);
        }
    }

    private TokenOperationException noRoom(String state, boolean leftover) {
        return new TokenOperationException(label + " has no room for the self-test's temporary credential: it needs "
                + SLOTS_NEEDED + " free slots (SHA-512 takes two) and " + state
                + "; delete an account (tokenctl accounts delete) and run it again. The token is as it was"
                + (leftover ? ", but for a credential an interrupted self-test had left, now removed" : ""));
    }
}
