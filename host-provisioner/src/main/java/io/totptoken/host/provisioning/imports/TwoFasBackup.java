package io.totptoken.host.provisioning.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.totptoken.host.provisioning.CredentialSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A 2FAS Authenticator backup ({@code .2fas}, schema up to 4): a JSON object with
 * {@code schemaVersion} and either {@code services} (plain) or {@code servicesEncrypted}.
 *
 * <p>Each service: {@code name}, {@code secret} (base32) and {@code otp} with {@code tokenType}
 * (TOTP, HOTP, STEAM), {@code algorithm}, {@code digits}, {@code period}, {@code counter},
 * {@code issuer} and {@code account} (or {@code label}). The issuer falls back to the service's
 * {@code name}; icons, groups, order and dates are ignored.
 *
 * <p>Encrypted: {@code servicesEncrypted} is {@code base64(ciphertext+tag):base64(salt):base64(iv)},
 * key PBKDF2-HMAC-SHA256(password, salt, 10,000 iterations, 256 bits), AES-GCM with a 12-byte IV
 * and a 16-byte tag, the plaintext the JSON array of services. {@code reference}, in the same
 * form, encrypts a text fixed by 2FAS ({@code BackupContent.Reference} in 2fas-android) with the
 * same password: it is opened first, so a wrong password is told apart from a damaged file. The
 * iteration count is fixed by the format, so the work per file is bounded.
 */
public final class TwoFasBackup implements ExportFormat {
    static final int ITERATIONS = 10_000;
    static final String REFERENCE = "tRViSsLKzd86Hprh4ceC2OP7xazn4rrt4xhfEUbOjxLX8Rc3mkISXE0lWbmnWfggogbBJhtYgpK6fMl1"
            + "D6mtsy92R3HkdGfwuXbzLebqVFJsR7IZ2w58t938iymwG4824igYy1wi6n2WDpO1Q1P69zwJGs2F5a1qP4MyIiDSD7NCV2OvidX"
            + "QCBnDlGfmz0f1BQySRkkt4ryiJeCjD2o4QsveJ9uDBUn8ELyOrESv5R5DMDkD4iAF8TXU7KyoJujd";
    private static final String PRF = "PBKDF2WithHmacSHA256";
    private static final int IV_BYTES = 12;
    private static final int MAX_SALT_BYTES = 1024;
    private static final String WHAT = "the 2FAS backup";

    @Override
    public String name() {
        return "2FAS backup";
    }

    /** A JSON object with {@code schemaVersion} and a {@code services} array, or a {@code servicesEncrypted} text. */
    @Override
    public boolean recognises(byte[] content) {
        if (AppEntry.firstJsonByte(content) != '{') {
            return false;
        }
        try {
            JsonNode root = AppEntry.parseJson(content, 0, content.length, WHAT);
            return root.path("servicesEncrypted").isTextual()
                    || root.path("services").isArray() && root.has("schemaVersion");
        } catch (ImportException e) {
            return false;
        }
    }

    @Override
    public ImportResult read(byte[] content, ImportPassword password) {
        JsonNode root = AppEntry.parseJson(content, 0, content.length, WHAT);
        if (!root.isObject()) {
            throw new ImportException(WHAT + " is not a JSON object");
        }
        JsonNode encrypted = root.path("servicesEncrypted");
        if (encrypted.isTextual()) {
            return decryptServices(encrypted.textValue(), root.path("reference"), password);
        }
        if (!encrypted.isMissingNode() && !encrypted.isNull()) {
            throw new ImportException(WHAT + "'s servicesEncrypted is not text");
        }
        JsonNode services = root.path("services");
        if (!services.isArray()) {
            throw new ImportException(WHAT + " has neither services nor servicesEncrypted");
        }
        return entries(services);
    }

    private static ImportResult entries(JsonNode services) {
        List<CredentialSpec> credentials = new ArrayList<>();
        List<ImportResult.Skipped> skipped = new ArrayList<>();
        int position = 0;
        for (JsonNode service : services) {
            position++;
            if (!service.isObject()) {
                skipped.add(new ImportResult.Skipped("entry " + position, "is not a JSON object"));
                continue;
            }
            JsonNode otp = service.path("otp");
            String name = AppEntry.text(service.get("name"));
            String issuer = AppEntry.text(otp.get("issuer"));
            String account = AppEntry.text(otp.get("account"));
            if (account == null || account.isBlank()) {
                account = AppEntry.text(otp.get("label"));
            }
            new AppEntry(AppEntry.text(otp.get("tokenType")), AppEntry.text(otp.get("algorithm")),
                    otp.get("digits"), otp.get("period"), otp.get("counter"),
                    issuer == null || issuer.isBlank() ? name : issuer, account,
                    AppEntry.text(service.get("secret"))).addTo(credentials, skipped, position);
        }
        return new ImportResult(credentials, skipped);
    }

    private static ImportResult decryptServices(String servicesEncrypted, JsonNode reference, ImportPassword password) {
        Sealed services = Sealed.parse(servicesEncrypted, "servicesEncrypted");
        Sealed check = null;
        if (reference.isTextual()) {
            check = Sealed.parse(reference.textValue(), "reference");
        } else if (!reference.isMissingNode() && !reference.isNull()) {
            throw new ImportException(WHAT + "'s reference is not text");
        }
        char[] secret = password.forFile(WHAT);
        byte[] key = null;
        byte[] checkKey = null;
        byte[] plain = null;
        try {
            key = PasswordGcm.deriveKey(PRF, secret, services.salt, ITERATIONS);
            if (check != null) {
                checkKey = MessageDigest.isEqual(check.salt, services.salt) ? key
                        : PasswordGcm.deriveKey(PRF, secret, check.salt, ITERATIONS);
                byte[] text;
                try {
                    text = PasswordGcm.decrypt(checkKey, check.iv, check.ciphertext, 0, check.ciphertext.length);
                } catch (PasswordGcm.BadTagException e) {
                    throw new ImportException("the password does not open " + WHAT);
                }
                if (!MessageDigest.isEqual(text, REFERENCE.getBytes(StandardCharsets.US_ASCII))) {
                    throw new ImportException(WHAT + "'s reference is not 2FAS's: the file is not a 2FAS backup"
                            + " or was changed");
                }
            }
            try {
                plain = PasswordGcm.decrypt(key, services.iv, services.ciphertext, 0, services.ciphertext.length);
            } catch (PasswordGcm.BadTagException e) {
                throw new ImportException(check != null
                        ? WHAT + "'s encrypted services were changed or are damaged (their GCM tag does not match)"
                        : "the password does not open " + WHAT + ", or the file is damaged (the GCM tag does not match)");
            }
            JsonNode list = AppEntry.parseJson(plain, 0, plain.length, WHAT + "'s decrypted services");
            if (!list.isArray()) {
                throw new ImportException(WHAT + "'s decrypted services are not a JSON array");
            }
            return entries(list);
        } finally {
            PasswordGcm.wipe(secret);
            PasswordGcm.wipe(key);
            PasswordGcm.wipe(checkKey);
            PasswordGcm.wipe(plain);
        }
    }

    /** One {@code base64(ciphertext+tag):base64(salt):base64(iv)} value. */
    private record Sealed(byte[] ciphertext, byte[] salt, byte[] iv) {
        static Sealed parse(String text, String field) {
            String[] parts = text.strip().split(":", -1);
            if (parts.length != 3) {
                throw new ImportException(WHAT + "'s " + field + " does not have the three parts"
                        + " ciphertext:salt:iv (it has " + parts.length + ")");
            }
            byte[] ciphertext = base64(parts[0], field, "ciphertext");
            byte[] salt = base64(parts[1], field, "salt");
            byte[] iv = base64(parts[2], field, "IV");
            if (ciphertext.length < PasswordGcm.TAG_BYTES) {
                throw new ImportException(WHAT + "'s " + field + " is shorter than its GCM tag (truncated?)");
            }
            if (salt.length == 0 || salt.length > MAX_SALT_BYTES) {
                throw new ImportException(WHAT + "'s " + field + " salt has " + salt.length
                        + " bytes (expected 1 to " + MAX_SALT_BYTES + ")");
            }
            if (iv.length != IV_BYTES) {
                throw new ImportException(WHAT + "'s " + field + " IV has " + iv.length
                        + " bytes (expected " + IV_BYTES + ")");
            }
            return new Sealed(ciphertext, salt, iv);
        }

        private static byte[] base64(String part, String field, String what) {
            try {
                return Base64.getDecoder().decode(part.strip());
            } catch (IllegalArgumentException e) {
                throw new ImportException(WHAT + "'s " + field + " " + what + " is not base64");
            }
        }
    }
}
