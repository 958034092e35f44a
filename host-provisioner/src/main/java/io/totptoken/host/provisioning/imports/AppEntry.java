package io.totptoken.host.provisioning.imports;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.totptoken.host.provisioning.Base32;
import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.InvalidCredentialException;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.provisioning.SteamCode;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One account as an authenticator app's backup describes it (2FAS, andOTP: a type, an algorithm
 * name, a base32 secret, digits, period, counter, issuer and account), turned into what the token
 * holds, or into the reason it cannot.
 *
 * <p>The rules every app format shares: a Steam entry becomes TOTP SHA-1, 30 s, under issuer
 * "Steam" with 6 digits (the host writes Steam's five characters from them, as for Steam URIs); a HOTP
 * entry keeps its counter (0 when the file has none, where apps start); an account missing its
 * name takes the issuer's; a label "Issuer:account" is split like a Key URI label; an entry the
 * token cannot hold (MD5, Yandex, mOTP, a secret longer than the hash block, a name too long)
 * is skipped with the reason, never dropped silently and never fatal for the rest of the file.
 *
 * @param type      the app's type name (TOTP, HOTP, STEAM, ...), null for TOTP
 * @param algorithm the app's algorithm name (SHA1, SHA256, ...), null for SHA1
 * @param digits    JSON node of the digits, null or missing for 6
 * @param period    JSON node of the period in seconds, null or missing for 30
 * @param counter   JSON node of the HOTP counter, null or missing for 0
 * @param issuer    issuer as the file gives it, or null
 * @param account   account (or label) as the file gives it, or null
 * @param secret    base32 secret text, or null
 */
record AppEntry(String type, String algorithm, JsonNode digits, JsonNode period, JsonNode counter,
                String issuer, String account, String secret) {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final int DEFAULT_DIGITS = 6;
    private static final int MAX_NAME_ECHO = 80;

    /**
     * The JSON of a backup, or a one-line error naming the line and column: never Jackson's own
     * message, which quotes the text around the error (a secret, maybe).
     */
    static JsonNode parseJson(byte[] content, int offset, int length, String what) {
        try {
            JsonNode tree = JSON.readTree(content, offset, length);
            if (tree == null || tree.isMissingNode()) {
                throw new ImportException(what + " is empty");
            }
            return tree;
        } catch (StreamConstraintsException e) {
            throw new ImportException(what + " goes beyond the limits of the JSON reader (nested more than 1,000"
                    + " deep, or a number or text far too long)");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ImportException(what + " is not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new ImportException(what + " cannot be read as JSON");
        }
    }

    /** The first byte after a UTF-8 byte order mark and JSON white space, or -1: '{' or '[' for JSON. */
    static int firstJsonByte(byte[] content) {
        int i = content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB
                && (content[2] & 0xFF) == 0xBF ? 3 : 0;
        for (; i < content.length; i++) {
            byte b = content[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b & 0xFF;
            }
        }
        return -1;
    }

    /** The text of a JSON scalar ({@code "x"}, {@code 5}, {@code true}), null for anything else. */
    static String text(JsonNode node) {
        return node != null && node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    /** Adds the entry to {@code credentials}, or its name and reason to {@code skipped}. */
    void addTo(List<CredentialSpec> credentials, List<ImportResult.Skipped> skipped, int position) {
        String name = displayName(position);
        try {
            credentials.add(toSpec());
        } catch (InvalidCredentialException e) {
            skipped.add(new ImportResult.Skipped(name, e.getMessage()));
        }
    }

    private CredentialSpec toSpec() {
        String kind = type == null || type.isBlank() ? "TOTP" : type.strip().toUpperCase(Locale.ROOT);
        boolean steam = kind.equals("STEAM");
        OathType oath = switch (kind) {
            case "TOTP", "STEAM" -> OathType.TOTP;
            case "HOTP" -> OathType.HOTP;
            case "YANDEX" -> throw new InvalidCredentialException("Yandex OTP is not a type the token computes");
            case "MOTP" -> throw new InvalidCredentialException("mOTP is not a type the token computes");
            default -> throw new InvalidCredentialException("type " + quote(type)
                    + " is not one the token computes (TOTP, HOTP or Steam)");
        };
        HashAlgorithm hash = steam ? HashAlgorithm.SHA1 : hash(algorithm);
        int digitCount = steam ? DEFAULT_DIGITS : number(digits, "digits", DEFAULT_DIGITS);
        // Steam Guard codes are always 30-s steps: a Steam entry's own period (often absent) is not trusted.
        int seconds = oath == OathType.TOTP && !steam ? number(period, "period", CredentialSpec.DEFAULT_PERIOD)
                : CredentialSpec.DEFAULT_PERIOD;
        long count = oath == OathType.HOTP ? longNumber(counter) : 0;
        String issuerName = steam ? SteamCode.ISSUER : blankToNull(issuer);
        String accountName = blankToNull(account);
        if (accountName != null && issuerName != null && accountName.startsWith(issuerName + ":")) {
            accountName = accountName.substring(issuerName.length() + 1);
        } else if (accountName != null && issuerName == null && accountName.indexOf(':') > 0) {
            issuerName = accountName.substring(0, accountName.indexOf(':'));
            accountName = accountName.substring(accountName.indexOf(':') + 1);
        }
        if (blankToNull(accountName) == null) {
            if (issuerName == null) {
                throw new InvalidCredentialException("has neither an account name nor an issuer");
            }
            accountName = issuerName;
            issuerName = steam ? issuerName : null;
        }
        if (secret == null || secret.isBlank()) {
            throw new InvalidCredentialException("has no secret");
        }
        byte[] key = Base32.decode(secret);
        try {
            if (key.length > hash.blockSize()) {
                throw new InvalidCredentialException("secret of " + key.length + " bytes is longer than the "
                        + hash.blockSize() + "-byte " + hash.name() + " block the token takes");
            }
            return new CredentialSpec(oath, hash, digitCount, seconds, count, issuerName, accountName, key, false);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static HashAlgorithm hash(String name) {
        if (name == null || name.isBlank()) {
            return HashAlgorithm.SHA1;
        }
        String plain = name.strip().toUpperCase(Locale.ROOT).replace("-", "");
        return switch (plain) {
            case "SHA1" -> HashAlgorithm.SHA1;
            case "SHA256" -> HashAlgorithm.SHA256;
            case "SHA512" -> HashAlgorithm.SHA512;
            case "MD5" -> throw new InvalidCredentialException("MD5 is not an algorithm YKOATH has");
            default -> throw new InvalidCredentialException("algorithm " + quote(name)
                    + " is not one YKOATH has (SHA1, SHA256 or SHA512)");
        };
    }

    private static int number(JsonNode node, String what, int absent) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return absent;
        }
        // asLong() keeps only the low 64 bits of a larger integer: 2^64 + 6 digits must not read as 6.
        long value = !node.isIntegralNumber() ? parse(text(node), what)
                : node.canConvertToLong() ? node.asLong() : Long.MAX_VALUE;
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new InvalidCredentialException(what + " is not a number the token takes");
        }
        return (int) value;
    }

    private static long longNumber(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return 0;
        }
        if (node.isIntegralNumber() && !node.canConvertToLong()) {
            throw new InvalidCredentialException("HOTP counter is larger than " + CredentialSpec.MAX_COUNTER);
        }
        return node.isIntegralNumber() ? node.asLong() : parse(text(node), "HOTP counter");
    }

    private static long parse(String text, String what) {
        if (text == null || text.isBlank() || text.strip().length() > 18) {
            throw new InvalidCredentialException(what + " is not a number");
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidCredentialException(what + " is not a number");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** "Issuer:account" as the file names the entry, or its position: never the secret. */
    private String displayName(int position) {
        String i = blankToNull(issuer);
        String a = blankToNull(account);
        String name = i != null && a != null ? i + ":" + a : i != null ? i : a != null ? a : "entry " + position;
        return printable(name.length() <= MAX_NAME_ECHO ? name : name.substring(0, MAX_NAME_ECHO) + "...");
    }

    private static String quote(String value) {
        return value.length() <= 20 ? "'" + printable(value) + "'" : "of " + value.length() + " characters";
    }

    /** Control characters as '?', so a name or value shown in a message stays on its line. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
