package io.totptoken.host.provisioning.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.totptoken.host.provisioning.Base32;
import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.InvalidCredentialException;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.provisioning.SteamCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * An Aegis vault (Aegis docs/vault.md), plain or encrypted: {@code {"version":1,"header":{"slots",
 * "params"},"db"}}. Plain, {@code slots} and {@code params} are null and {@code db} is the database
 * itself; encrypted, {@code db} is base64 of the database's AES-256-GCM ciphertext under a random
 * master key, and each slot holds that key wrapped the same way. tokenctl opens password slots
 * (type 1: scrypt with the slot's own N, r, p and salt); other slots (raw, biometric) need the phone.
 *
 * <p>Entries: totp and hotp as they are (HOTP counter kept), steam as TOTP SHA-1 under issuer
 * Steam (6 digits on the token; tokenctl shows its Steam code), yandex, motp, MD5 and secrets longer
 * than the hash block go to skipped. Icons, notes, groups and favourites are ignored.
 */
public final class AegisVault implements ExportFormat {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int PASSWORD_SLOT = 1;
    /** Scrypt is costly on purpose: a file with more password slots than this is not tried slot by slot. */
    private static final int MAX_PASSWORD_SLOTS = 4;

    @Override
    public String name() {
        return "Aegis vault";
    }

    @Override
    public boolean recognises(byte[] content) {
        try {
            JsonNode root = JSON.readTree(content);
            return root != null && root.isObject() && root.path("version").isInt() && root.path("header").isObject()
                    && root.has("db") && root.path("header").has("slots");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public ImportResult read(byte[] content, ImportPassword password) {
        return entries(openDatabase(content, password));
    }

    /**
     * The vault's database as JSON ({@code {"version","entries",...}}), decrypted with the password
     * when the vault is encrypted.
     */
    static ObjectNode openDatabase(byte[] content, ImportPassword password) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new ImportException("the Aegis vault is not complete JSON (truncated or damaged)"
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
        } catch (IOException e) {
            throw new ImportException("the Aegis vault cannot be read as JSON");
        }
        if (root == null || !root.isObject() || root.path("version").asInt(-1) != 1 || !root.path("header").isObject()) {
            throw new ImportException("not an Aegis vault of version 1 (no \"version\": 1 and \"header\")");
        }
        JsonNode header = root.get("header");
        JsonNode db = root.path("db");
        if (header.path("slots").isNull() || header.path("slots").isMissingNode()) {
            if (!db.isObject()) {
                throw new ImportException("the Aegis vault has no slots but its \"db\" is not a plain database");
            }
            return (ObjectNode) db;
        }
        if (!db.isTextual()) {
            throw new ImportException("the encrypted Aegis vault's \"db\" is not base64 text");
        }
        byte[] masterKey = unlock(header.get("slots"), password);
        byte[] plain = null;
        try {
            JsonNode params = header.path("params");
            byte[] sealed = base64(db.asText(), "db");
            plain = AegisCrypto.open(masterKey, hex(params, "nonce"), sealed, hex(params, "tag"));
            if (plain == null) {
                throw new ImportException("the Aegis vault's database was changed or damaged: its GCM tag does not match");
            }
            JsonNode database = JSON.readTree(plain);
            if (database == null || !database.isObject()) {
                throw new ImportException("the Aegis vault's decrypted database is not a JSON object");
            }
            return (ObjectNode) database;
        } catch (IOException e) {
            throw new ImportException("the Aegis vault's decrypted database is not JSON");
        } finally {
            Arrays.fill(masterKey, (byte) 0);
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /** The master key, from the first password slot the password opens. */
    private static byte[] unlock(JsonNode slots, ImportPassword password) {
        if (!slots.isArray()) {
            throw new ImportException("the Aegis vault's \"slots\" is not a list");
        }
        List<JsonNode> passwordSlots = new ArrayList<>();
        for (JsonNode slot : slots) {
            if (slot.path("type").asInt(-1) == PASSWORD_SLOT) {
                passwordSlots.add(slot);
            }
        }
        if (passwordSlots.isEmpty()) {
            throw new ImportException("the Aegis vault has no password slot (only biometric or raw-key slots, "
                    + "which only the phone that made it can open); export it from Aegis with a password");
        }
        if (passwordSlots.size() > MAX_PASSWORD_SLOTS) {
            throw new ImportException("the Aegis vault has " + passwordSlots.size() + " password slots; at most "
                    + MAX_PASSWORD_SLOTS + " are tried");
        }
        for (JsonNode slot : passwordSlots) {
            // Before the password is asked: a file cannot make a person type it only to be refused.
            AegisCrypto.checkScrypt(intField(slot, "n"), intField(slot, "r"), intField(slot, "p"));
            hex(slot, "salt");
        }
        char[] typed = password.forFile("the Aegis vault");
        if (typed == null) {
            throw new ImportException("the Aegis vault is encrypted and no password was given");
        }
        try {
            for (JsonNode slot : passwordSlots) {
                byte[] slotKey = AegisCrypto.scrypt(typed, hex(slot, "salt"), intField(slot, "n"), intField(slot, "r"),
                        intField(slot, "p"));
                try {
                    JsonNode keyParams = slot.path("key_params");
                    byte[] master = AegisCrypto.open(slotKey, hex(keyParams, "nonce"), hex(slot, "key"),
                            hex(keyParams, "tag"));
                    if (master != null) {
                        if (master.length != AegisCrypto.KEY_BYTES) {
                            Arrays.fill(master, (byte) 0);
                            throw new ImportException("the Aegis vault's master key is not 32 bytes");
                        }
                        return master;
                    }
                } finally {
                    Arrays.fill(slotKey, (byte) 0);
                }
            }
        } finally {
            Arrays.fill(typed, '\0');
        }
        throw new ImportException("wrong password for the Aegis vault (or its password slot was changed)");
    }

    /** Every entry of a decrypted database: what the token can hold, and the rest with reasons. */
    static ImportResult entries(ObjectNode database) {
        JsonNode entries = database.path("entries");
        if (!entries.isArray()) {
            throw new ImportException("the Aegis vault's database has no \"entries\" list");
        }
        List<CredentialSpec> credentials = new ArrayList<>();
        List<ImportResult.Skipped> skipped = new ArrayList<>();
        int index = 0;
        for (JsonNode entry : entries) {
            index++;
            String label = label(entry, index);
            try {
                String unsupported = unsupported(entry);
                if (unsupported != null) {
                    skipped.add(new ImportResult.Skipped(label, unsupported));
                } else {
                    credentials.add(credential(entry));
                }
            } catch (InvalidCredentialException e) {
                skipped.add(new ImportResult.Skipped(label, e.getMessage()));
            }
        }
        return new ImportResult(credentials, skipped);
    }

    /** Why the token cannot hold the entry, or null when it can. */
    private static String unsupported(JsonNode entry) {
        String type = entry.path("type").asText("").toLowerCase(Locale.ROOT);
        switch (type) {
            case "totp", "hotp", "steam":
                break;
            case "yandex", "motp":
                return type.equals("yandex") ? "Yandex codes are not OATH codes the token computes"
                        : "mOTP codes are not OATH codes the token computes";
            default:
                return "the entry type " + quote(type) + " is not one tokenctl knows (totp, hotp, steam)";
        }
        String algo = entry.path("info").path("algo").asText("SHA1");
        if (algo.equalsIgnoreCase("MD5")) {
            return "MD5 is not an algorithm YKOATH has";
        }
        return null;
    }

    private static CredentialSpec credential(JsonNode entry) {
        String type = entry.path("type").asText().toLowerCase(Locale.ROOT);
        JsonNode info = entry.path("info");
        if (!info.path("secret").isTextual()) {
            throw new InvalidCredentialException("the entry has no secret");
        }
        boolean steam = type.equals("steam");
        HashAlgorithm algorithm = steam ? HashAlgorithm.SHA1 : HashAlgorithm.fromName(info.path("algo").asText("SHA1"));
        byte[] secret = Base32.decode(info.get("secret").asText());
        try {
            if (secret.length > algorithm.blockSize()) {
                throw new InvalidCredentialException("its secret of " + secret.length + " bytes is longer than the "
                        + algorithm.blockSize() + "-byte block of " + algorithm + ", which the token cannot hold");
            }
            String issuer = steam ? SteamCode.ISSUER : entry.path("issuer").asText("");
            String account = entry.path("name").asText("");
            if (account.isBlank() && issuer.isBlank()) {
                throw new InvalidCredentialException("the entry has neither a name nor an issuer");
            }
            if (account.isBlank()) {
                account = issuer;
            }
            OathType oathType = type.equals("hotp") ? OathType.HOTP : OathType.TOTP;
            int digits = steam ? CredentialSpec.MIN_DIGITS : intField(info, "digits", 6);
            int period = oathType == OathType.TOTP ? intField(info, "period", CredentialSpec.DEFAULT_PERIOD)
                    : CredentialSpec.DEFAULT_PERIOD;
            long counter = oathType == OathType.HOTP ? longField(info, "counter") : 0;
            return new CredentialSpec(oathType, algorithm, digits, steam ? CredentialSpec.DEFAULT_PERIOD : period,
                    counter, issuer, account, secret, false);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** "issuer:name" (or the entry's position) for the skipped list; never the secret. */
    private static String label(JsonNode entry, int index) {
        String issuer = entry.path("issuer").isTextual() ? entry.get("issuer").asText().strip() : "";
        String name = entry.path("name").isTextual() ? entry.get("name").asText().strip() : "";
        String label = issuer.isEmpty() ? name : name.isEmpty() ? issuer : issuer + ":" + name;
        label = label.codePoints().filter(c -> !Character.isISOControl(c)).limit(80)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return label.isEmpty() ? "entry " + index : label;
    }

    private static int intField(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new ImportException("the Aegis vault's \"" + field + "\" is not a whole number");
        }
        return v.intValue();
    }

    private static int intField(JsonNode node, String field, int missing) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return missing;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidCredentialException("its \"" + field + "\" is not a whole number");
        }
        return v.intValue();
    }

    private static long longField(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidCredentialException("its \"" + field + "\" is not a whole number");
        }
        return v.longValue();
    }

    private static byte[] hex(JsonNode node, String field) {
        JsonNode v = node.path(field);
        try {
            if (v.isTextual()) {
                return HexFormat.of().parseHex(v.asText());
            }
        } catch (IllegalArgumentException e) {
            // falls through to the one message
        }
        throw new ImportException("the Aegis vault's \"" + field + "\" is missing or not hexadecimal");
    }

    private static byte[] base64(String text, String field) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ImportException("the Aegis vault's \"" + field + "\" is not base64");
        }
    }

    private static String quote(String text) {
        return "'" + (text.length() > 20 ? text.substring(0, 20) + "..." : text) + "'";
    }
}
