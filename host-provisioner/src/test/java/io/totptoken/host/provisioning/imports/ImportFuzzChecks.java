package io.totptoken.host.provisioning.imports;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.provisioning.CredentialSpec;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the 2FAS and andOTP fuzz targets assert of any input: no crash, one-line errors, valid credentials, no secret echoed. */
final class ImportFuzzChecks {
    /** The password the fuzz seeds were encrypted with. */
    static final String PASSWORD = "fuzz";
    /** A {@code "secret": "value"} pair of JSON text (group 2 the value, escapes aside). */
    private static final Pattern SECRET_VALUE = Pattern.compile("(\"secret\"\\s*:\\s*\")([^\"]*)\"");

    private ImportFuzzChecks() {
    }

    static void assertSound(ExportFormat format, byte[] input) {
        format.recognises(input); // never throws, whatever the bytes
        ImportResult result;
        try {
            result = format.read(input, what -> PASSWORD.toCharArray());
        } catch (ImportException e) {
            assertOneLineWithoutInput(e.getMessage(), input);
            return;
        }
        for (CredentialSpec spec : result.credentials()) {
            assertTrue(spec.digits() >= 6 && spec.digits() <= 8);
            assertTrue(spec.period() > 0);
            assertTrue(spec.counter() >= 0 && spec.counter() <= CredentialSpec.MAX_COUNTER);
            assertTrue(spec.secret().length > 0 && spec.secret().length <= spec.algorithm().blockSize());
            assertFalse(spec.account().isEmpty());
            spec.cardName(); // fits the token
        }
        for (ImportResult.Skipped s : result.skipped()) {
            assertOneLineWithoutInput(s.reason(), input);
            assertFalse(s.name().chars().anyMatch(Character::isISOControl), s.name());
        }
    }

    /**
     * One line, and no {@code "secret"} value of the input (8 characters or more) unless the
     * input holds the same text outside secret values too (the message then quotes that other
     * field, a type or an algorithm name, as it may). Secrets of an encrypted file are not in the
     * input; the plain seeds hold the same entries.
     */
    private static void assertOneLineWithoutInput(String message, byte[] input) {
        assertFalse(message.contains("\n") || message.contains("\r"), "one-line message: " + message);
        String text = new String(input, StandardCharsets.UTF_8);
        Matcher m = SECRET_VALUE.matcher(text);
        StringBuilder withoutSecrets = new StringBuilder();
        java.util.List<String> secrets = new java.util.ArrayList<>();
        while (m.find()) {
            secrets.add(m.group(2));
            m.appendReplacement(withoutSecrets, Matcher.quoteReplacement(m.group(1) + "\u0000".repeat(m.group(2).length()) + "\""));
        }
        m.appendTail(withoutSecrets);
        for (String secret : secrets) {
            if (secret.strip().length() >= 8 && message.contains(secret.strip())
                    && !withoutSecrets.toString().contains(secret.strip())) {
                throw new AssertionError("message repeats a secret: " + message);
            }
        }
    }
}
