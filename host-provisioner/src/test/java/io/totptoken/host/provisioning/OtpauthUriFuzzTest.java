package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * Any text may be handed to the parser: only {@link InvalidCredentialException} may come out, a
 * parsed spec is valid and survives format-then-parse, and an error never repeats the secret.
 * Seeds live in src/test/resources/.../OtpauthUriFuzzTestInputs/parse.
 */
@Tag("slow")
class OtpauthUriFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void parse(byte[] input) {
        String uri = new String(input, StandardCharsets.UTF_8);
        CredentialSpec spec;
        try {
            spec = OtpauthUri.parse(uri);
        } catch (InvalidCredentialException e) {
            assertFalse(e.getMessage().contains("\n"), "one-line message");
            assertNoSecretEchoed(uri, e.getMessage());
            return;
        }
        assertValid(spec);
        assertEquals(spec, OtpauthUri.parse(OtpauthUri.format(spec)));
    }

    static void assertValid(CredentialSpec spec) {
        assertTrue(spec.digits() >= 6 && spec.digits() <= 8);
        assertTrue(spec.period() > 0);
        assertTrue(spec.counter() >= 0 && spec.counter() <= CredentialSpec.MAX_COUNTER);
        assertTrue(spec.secret().length > 0);
        assertFalse(spec.account().isEmpty());
        assertTrue(spec.issuer() == null || !spec.issuer().contains(":"));
        byte[] name = spec.cardName();
        assertTrue(name.length <= CardName.MAX_LENGTH);
        CardName parsed = CredentialSpec.fromCardName(name, spec.type());
        assertEquals(spec.issuer(), parsed.issuer());
        assertEquals(spec.account(), parsed.account());
        assertEquals(spec.period(), parsed.period());
        assertEquals("CredentialSpec[type=" + spec.type() + ", algorithm=" + spec.algorithm() + ", digits="
                + spec.digits() + ", period=" + spec.period() + ", counter=" + spec.counter() + ", issuer="
                + spec.issuer() + ", account=" + spec.account() + ", secret=<" + spec.secret().length
                + " bytes hidden>, touch=" + spec.touch() + "]", spec.toString());
    }

    /**
     * A differential check: the values of the query's secret= parameters may appear in the
     * message only if they still do when those values are replaced by other text of the same
     * length. Then the message quotes another part of the URI (the label holding the same text)
     * or its own wording happens to contain it; otherwise it echoes the secret.
     */
    private static void assertNoSecretEchoed(String uri, String message) {
        int hash = uri.indexOf('#');
        String beforeFragment = hash < 0 ? uri : uri.substring(0, hash);
        int question = beforeFragment.indexOf('?');
        if (question < 0) {
            return;
        }
        List<String> secrets = new ArrayList<>();
        StringBuilder replaced = new StringBuilder(uri.substring(0, question + 1));
        String[] pairs = beforeFragment.substring(question + 1).split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            String pair = pairs[i];
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (equals >= 0 && lenientDecode(key).strip().equalsIgnoreCase("secret")) {
                String value = pair.substring(equals + 1);
                secrets.add(value.strip());
                secrets.add(lenientDecode(value).strip());
                pair = key + "=" + otherText(value);
            }
            replaced.append(i == 0 ? "" : "&").append(pair);
        }
        replaced.append(hash < 0 ? "" : uri.substring(hash));
        String messageWithoutSecret;
        try {
            OtpauthUri.parse(replaced.toString());
            messageWithoutSecret = "";
        } catch (InvalidCredentialException e) {
            messageWithoutSecret = e.getMessage();
        }
        for (String secret : secrets) {
            if (secret.length() >= 8 && message.contains(secret) && !messageWithoutSecret.contains(secret)) {
                throw new AssertionError("message echoes the secret: " + message);
            }
        }
    }

    /**
     * {@code value} with every base32 symbol replaced by one base32 letter it does not contain,
     * everything else (white space, separators, percent escapes) kept where it is: the secret stays
     * as well or as badly formed as it was, so the parser fails, or not, at the same check and a
     * message that quotes the label (which may hold the same text) stays the same.
     */
    private static String otherText(String value) {
        String upper = value.toUpperCase(java.util.Locale.ROOT);
        char with = 0;
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray()) {
            if (upper.indexOf(c) < 0) {
                with = c;
                break;
            }
        }
        if (with == 0) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()) {
                out.append(value, i, i + 3);
                i += 2;
            } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7')) {
                out.append(with); // a base32 symbol for a base32 symbol; 0, 1, 8, 9 stay as invalid as they were
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String lenientDecode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
