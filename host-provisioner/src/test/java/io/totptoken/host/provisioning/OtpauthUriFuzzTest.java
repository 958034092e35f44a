package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Any text may be handed to the parser: only {@link InvalidCredentialException} may come out, a
 * parsed spec is valid and survives format-then-parse, and an error never repeats the secret.
 * Seeds live in src/test/resources/.../OtpauthUriFuzzTestInputs/parse.
 */
class OtpauthUriFuzzTest {

    @FuzzTest(maxDuration = "20s")
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
     * The values of the query's secret= parameters may not appear in the message, unless the rest
     * of the URI (the label, another parameter) holds the same text: then the message may be
     * quoting that part.
     */
    private static void assertNoSecretEchoed(String uri, String message) {
        int hash = uri.indexOf('#');
        String beforeFragment = hash < 0 ? uri : uri.substring(0, hash);
        int question = beforeFragment.indexOf('?');
        if (question < 0) {
            return;
        }
        List<String> secrets = new ArrayList<>();
        StringBuilder elsewhere = new StringBuilder(uri.substring(0, question + 1));
        for (String pair : beforeFragment.substring(question + 1).split("&", -1)) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (lenientDecode(key).strip().equalsIgnoreCase("secret") && equals >= 0) {
                String value = pair.substring(equals + 1);
                secrets.add(value.strip());
                secrets.add(lenientDecode(value).strip());
            } else {
                elsewhere.append(pair).append('&');
            }
        }
        elsewhere.append(hash < 0 ? "" : uri.substring(hash));
        String rest = elsewhere.toString();
        String restDecoded = lenientDecode(rest);
        for (String secret : secrets) {
            if (secret.length() >= 8 && !rest.contains(secret) && !restDecoded.contains(secret)) {
                assertFalse(message.contains(secret), "message echoes the secret: " + message);
            }
        }
    }

    private static String lenientDecode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
