package io.totptoken.host.provisioning.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.totptoken.host.Oathtool;
import io.totptoken.host.provisioning.Base32;
import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.ImportedOnToken;
import io.totptoken.host.provisioning.OathType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The independent side of the 2FAS and andOTP tests: files made by Debian's Python
 * ({@code hashlib.pbkdf2_hmac}, {@code cryptography}'s AESGCM) from scripts the tests write, codes
 * by oathtool, Steam codes by a reference written here from the Steam alphabet.
 */
final class AppBackupFixtures {
    /** Debian's interpreter, which has python3-cryptography (the one on PATH may be another). */
    private static final String PYTHON = "/usr/bin/python3";

    /** The entries both apps' test files hold (ERIN, of another length in each, is the tests' own). */
    static final String ALICE = "JBSWY3DPEHPK3PXP";
    static final String BOB = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    static final String CAROL = "MFRGGZDFMZTWQ2LK";
    static final String GAMER = "KRUGKIDROVUWG2ZA";
    static final String DAVE = "ONSWG4TFORZWK3DF";
    static final String MALLORY = "NVQWY3DPOJ4TEMBS";
    static final String LONG = secretOf(65);

    private AppBackupFixtures() {
    }

    /**
     * The six entries both apps' files hold and the token takes, as read: the HOTP one at counter
     * 7, the Steam one as SHA-1 TOTP of 6 digits (the token prints Steam's 5 characters), and each
     * one's code, once on a token at {@code token}, the reference's ({@link #referenceCodes}).
     */
    static void assertTheSharedEntries(ImportResult result, Path token, String erin, long t) throws Exception {
        assertEquals(6, result.credentials().size(), result.credentials().toString());
        CredentialSpec hotp = result.credentials().get(3);
        assertEquals(List.of(OathType.HOTP, 7L), List.of(hotp.type(), hotp.counter()));
        CredentialSpec steam = result.credentials().get(4);
        assertEquals(List.of(OathType.TOTP, HashAlgorithm.SHA1, "Steam", "gamer", 6),
                List.of(steam.type(), steam.algorithm(), steam.issuer(), steam.account(), steam.digits()));
        assertEquals(referenceCodes(erin, t), ImportedOnToken.addAndCode(token, result.credentials(), Instant.ofEpochSecond(t)));
    }

    /**
     * The code of each entry both apps' files hold, put on a token at {@code t}: oathtool's, and the
     * Steam reference's for the Steam entry; HOTP at counter 7.
     */
    static Map<String, String> referenceCodes(String erin, long t) throws Exception {
        return Map.of(
                "GitHub:alice", oathtool("--totp", "-b", ALICE, "-N", "@" + t),
                "Example:bob", oathtool("--totp=SHA256", "-d", "8", "-s", "60s", "-b", BOB, "-N", "@" + t),
                "Big:erin", oathtool("--totp=SHA512", "-d", "7", "-b", erin, "-N", "@" + t),
                "Hotp:carol", oathtool("--hotp", "-c", "7", "-b", CAROL),
                "Steam:gamer", steamCode(GAMER, t),
                "Dropbox:dave", oathtool("--totp", "-b", DAVE, "-N", "@" + t));
    }

    /** Runs {@code script} (written to {@code dir}) with {@code args}; fails the test when it fails. */
    static void python(Path dir, String script, String... args) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("make.py"), script);
        List<String> command = new ArrayList<>(List.of(PYTHON, file.toString()));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "python failed: " + out);
    }

    /** oathtool's answer; the test fails (rather than skips) without it: CI installs it. */
    static String oathtool(String... args) {
        return Oathtool.run(args);
    }

    /** Steam Guard's code: RFC 4226 truncation of HMAC-SHA1(t / 30), five Steam characters, least significant first. */
    static String steamCode(String base32, long epochSeconds) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(Base32.decode(base32), "HmacSHA1"));
        byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(epochSeconds / 30).array());
        int o = h[19] & 0xF;
        int value = ((h[o] & 0x7F) << 24) | ((h[o + 1] & 0xFF) << 16) | ((h[o + 2] & 0xFF) << 8) | (h[o + 3] & 0xFF);
        String alphabet = "23456789BCDFGHJKMNPQRTVWXY";
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            code.append(alphabet.charAt(value % 26));
            value /= 26;
        }
        return code.toString();
    }

    /** A base32 secret of {@code bytes} bytes (for the longer-than-a-block entries). */
    static String secretOf(int bytes) {
        byte[] key = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            key[i] = (byte) (i * 7 + 1);
        }
        return Base32.encode(key).toUpperCase(Locale.ROOT);
    }

    /** The file with one byte flipped at {@code index} (negative: from the end). */
    static byte[] flipped(byte[] content, int index) {
        byte[] copy = content.clone();
        int i = index < 0 ? copy.length + index : index;
        copy[i] ^= 0x01;
        return copy;
    }
}
