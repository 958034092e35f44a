package io.totptoken.host.provisioning.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.totptoken.host.provisioning.CredentialSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An andOTP backup: plain JSON, or the encrypted {@code .aes} file.
 *
 * <p>Plain: a JSON array of entries {@code {secret (base32), issuer, label, digits, type (TOTP,
 * HOTP, STEAM), algorithm, period | counter, tags, thumbnail, ...}}; thumbnails, tags and usage
 * counts are ignored.
 *
 * <p>Encrypted (andOTP's current format): a 4-byte big-endian PBKDF2-HMAC-SHA1 iteration count,
 * a 12-byte salt, a 12-byte nonce, then the AES-256-GCM ciphertext of the plain JSON with its
 * 16-byte tag; the key is PBKDF2-HMAC-SHA1(password, salt, count, 256 bits). The file carries no
 * password check, so a wrong password and a changed file are the same failed tag.
 *
 * <p>The count is taken only from 1 to {@value #MAX_ITERATIONS}: andOTP writes 140,000 to
 * 160,000, and a hostile header cannot then ask for more than a few seconds of PBKDF2.
 *
 * <p>Recognising the binary file without its name, so that no other binary file is claimed:
 * at least {@value #HEADER_BYTES} header bytes plus the tag; an iteration count from
 * {@value #MIN_RECOGNISED_ITERATIONS} to {@value #MAX_ITERATIONS}, so the first byte is 0 (no
 * text, JSON, PNG, JPEG, GIF, PDF, ZIP or gzip file starts so) and small counts where other
 * formats keep box sizes and versions (ICO's 0x00000100, an MP4's 24-byte {@code ftyp} box) are
 * refused; not UTF-16BE text (0, a printable byte, 0, a printable byte); and no {@code ftyp}
 * box name at bytes 4 to 7. A file with a count below {@value #MIN_RECOGNISED_ITERATIONS} is not
 * recognised (andOTP never writes one), but {@link #read} still opens it.
 */
public final class AndOtpBackup implements ExportFormat {
    static final int MAX_ITERATIONS = 10_000_000;
    static final int MIN_RECOGNISED_ITERATIONS = 1_000;
    static final int SALT_BYTES = 12;
    static final int NONCE_BYTES = 12;
    static final int HEADER_BYTES = 4 + SALT_BYTES + NONCE_BYTES;
    private static final String PRF = "PBKDF2WithHmacSHA1";
    private static final String WHAT = "the andOTP backup";

    @Override
    public String name() {
        return "andOTP backup";
    }

    @Override
    public boolean recognises(byte[] content) {
        return looksEncrypted(content) || looksPlain(content);
    }

    @Override
    public ImportResult read(byte[] content, ImportPassword password) {
        if (AppEntry.firstJsonByte(content) == '[') {
            return entries(AppEntry.parseJson(content, 0, content.length, WHAT));
        }
        if (AppEntry.firstJsonByte(content) == '{') {
            throw new ImportException(WHAT + " is not a JSON array of entries");
        }
        return decrypt(content, password);
    }

    /** A JSON array whose every element is an object with andOTP's {@code secret} and {@code type}. */
    private static boolean looksPlain(byte[] content) {
        if (AppEntry.firstJsonByte(content) != '[') {
            return false;
        }
        try {
            JsonNode root = AppEntry.parseJson(content, 0, content.length, WHAT);
            if (root.isEmpty()) {
                return false;
            }
            for (JsonNode entry : root) {
                if (!entry.isObject() || !entry.has("secret") || !entry.has("type")) {
                    return false;
                }
            }
            return true;
        } catch (ImportException e) {
            return false;
        }
    }

    /** The structure rule of the class comment. */
    static boolean looksEncrypted(byte[] content) {
        if (content.length < HEADER_BYTES + PasswordGcm.TAG_BYTES) {
            return false;
        }
        int count = iterations(content);
        if (count < MIN_RECOGNISED_ITERATIONS || count > MAX_ITERATIONS) {
            return false;
        }
        boolean utf16Text = content[2] == 0 && printable(content[1]) && printable(content[3]);
        boolean mp4 = content[4] == 'f' && content[5] == 't' && content[6] == 'y' && content[7] == 'p';
        return !utf16Text && !mp4;
    }

    private static ImportResult decrypt(byte[] content, ImportPassword password) {
        if (content.length < HEADER_BYTES + PasswordGcm.TAG_BYTES) {
            throw new ImportException(WHAT + " has " + content.length + " bytes, fewer than its "
                    + (HEADER_BYTES + PasswordGcm.TAG_BYTES) + "-byte header and tag (truncated?)");
        }
        int count = iterations(content);
        if (count < 1 || count > MAX_ITERATIONS) {
            throw new ImportException(WHAT + " asks for " + Integer.toUnsignedString(count)
                    + " PBKDF2 iterations (taken: 1 to " + MAX_ITERATIONS + "); not an andOTP file, or damaged");
        }
        byte[] salt = Arrays.copyOfRange(content, 4, 4 + SALT_BYTES);
        byte[] nonce = Arrays.copyOfRange(content, 4 + SALT_BYTES, HEADER_BYTES);
        char[] secret = password.forFile(WHAT);
        byte[] key = null;
        byte[] plain = null;
        try {
            key = PasswordGcm.deriveKey(PRF, secret, salt, count);
            try {
                plain = PasswordGcm.decrypt(key, nonce, content, HEADER_BYTES, content.length - HEADER_BYTES);
            } catch (PasswordGcm.BadTagException e) {
                throw new ImportException("the password does not open " + WHAT
                        + ", or the file was changed or truncated (the GCM tag does not match)");
            }
            JsonNode root = AppEntry.parseJson(plain, 0, plain.length, WHAT + "'s decrypted content");
            return entries(root);
        } finally {
            PasswordGcm.wipe(secret);
            PasswordGcm.wipe(key);
            PasswordGcm.wipe(plain);
        }
    }

    private static ImportResult entries(JsonNode root) {
        if (!root.isArray()) {
            throw new ImportException(WHAT + " is not a JSON array of entries");
        }
        List<CredentialSpec> credentials = new ArrayList<>();
        List<ImportResult.Skipped> skipped = new ArrayList<>();
        int position = 0;
        for (JsonNode entry : root) {
            position++;
            if (!entry.isObject()) {
                skipped.add(new ImportResult.Skipped("entry " + position, "is not a JSON object"));
                continue;
            }
            new AppEntry(AppEntry.text(entry.get("type")), AppEntry.text(entry.get("algorithm")),
                    entry.get("digits"), entry.get("period"), entry.get("counter"),
                    AppEntry.text(entry.get("issuer")), AppEntry.text(entry.get("label")),
                    AppEntry.text(entry.get("secret"))).addTo(credentials, skipped, position);
        }
        return new ImportResult(credentials, skipped);
    }

    private static int iterations(byte[] content) {
        return (content[0] & 0xFF) << 24 | (content[1] & 0xFF) << 16 | (content[2] & 0xFF) << 8 | (content[3] & 0xFF);
    }

    private static boolean printable(byte b) {
        return b >= 0x20 && b < 0x7F;
    }
}
