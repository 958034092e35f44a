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
    /** A run this long of base32 characters (or base64's) is treated as a possible secret. */
    private static final Pattern SECRET_LIKE = Pattern.compile("[A-Za-z2-7+/=]{8,}");

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
     * One line, and no run of base32/base64 characters of 8 or more from the input (where secrets
     * are), except words the readers' own messages use.
     */
    private static void assertOneLineWithoutInput(String message, byte[] input) {
        assertFalse(message.contains("\n") || message.contains("\r"), "one-line message: " + message);
        String text = new String(input, StandardCharsets.ISO_8859_1) + new String(input, StandardCharsets.UTF_8);
        Matcher m = SECRET_LIKE.matcher(message);
        while (m.find()) {
            String run = m.group();
            if (text.contains(run) && !ownWord(run)) {
                throw new AssertionError("message repeats input text '" + run + "': " + message);
            }
        }
    }

    private static boolean ownWord(String run) {
        return run.matches("servicesEncrypted|reference|ciphertext|characters|truncated|iterations|password|"
                + "entries|decrypted|services|changed|damaged|backup|account|algorithm|computes|contains|"
                + "position|surrogate|Unicode|encrypted|neither|number|secret|longer|larger|counter|between|"
                + "character|missing|issuer|expected|Yandex|SHA[0-9]+|YKOATH|andOTP|content|PBKDF2|"
                + "seconds|positive|encodes|another|string|length|header|fewer|object|column|derive|decrypt|"
                + "cannot|MD5|BadPaddingException|[A-Za-z]+Exception");
    }
}
