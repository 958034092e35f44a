package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

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
            String secret = secretParameter(uri);
            // A label or another parameter that itself holds the secret's text may be quoted.
            String elsewhere = uri.replace("secret=" + secret, "").replace("SECRET=" + secret, "");
            if (secret.length() >= 8 && !elsewhere.contains(secret)) {
                assertFalse(e.getMessage().contains(secret), "message echoes the secret: " + e.getMessage());
            }
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

    private static String secretParameter(String uri) {
        int at = uri.toLowerCase(Locale.ROOT).indexOf("secret=");
        if (at < 0) {
            return "";
        }
        int end = uri.indexOf('&', at);
        return uri.substring(at + 7, end < 0 ? uri.length() : end).strip();
    }
}
