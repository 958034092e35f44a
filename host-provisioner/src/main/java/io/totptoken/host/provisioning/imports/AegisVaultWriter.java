package io.totptoken.host.provisioning.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.totptoken.host.provisioning.Base32;
import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.provisioning.SteamCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Writes encrypted Aegis vaults (Aegis docs/vault.md) that Aegis itself and {@link AegisVault}
 * open: one password slot, scrypt N=2^15 r=8 p=1 (Aegis's defaults), and on every write a new
 * master key, salt and both nonces, so no key and nonce pair is ever used twice.
 *
 * <p>The database is edited as JSON: entries tokenctl did not write (an Aegis app's Yandex entry, a
 * group, an icon) stay as they are. An entry of the same issuer and name as a credential put in
 * is replaced where it stands, so a backup holds each account once, as the token does.
 */
public final class AegisVaultWriter {
    /** The database version Aegis 3 writes (entries and groups). */
    static final int DATABASE_VERSION = 3;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SecureRandom random;

    public AegisVaultWriter(SecureRandom random) {
        this.random = random;
    }

    /** An empty database: no entries, no groups. */
    public static ObjectNode emptyDatabase() {
        ObjectNode db = NODES.objectNode();
        db.put("version", DATABASE_VERSION);
        db.putArray("entries");
        db.putArray("groups");
        return db;
    }

    /** Puts {@code spec} into {@code database}, in place of an entry of the same issuer and name. */
    public void put(ObjectNode database, CredentialSpec spec) {
        JsonNode existing = database.get("entries");
        ArrayNode entries = existing instanceof ArrayNode a ? a : database.putArray("entries");
        ObjectNode entry = entry(spec);
        for (int i = 0; i < entries.size(); i++) {
            JsonNode old = entries.get(i);
            if (old.path("issuer").asText("").equals(entry.get("issuer").asText())
                    && old.path("name").asText("").equals(entry.get("name").asText())) {
                if (old.path("uuid").isTextual()) {
                    entry.put("uuid", old.get("uuid").asText());
                }
                entries.set(i, entry);
                return;
            }
        }
        entries.add(entry);
    }

    private ObjectNode entry(CredentialSpec spec) {
        // Steam accounts go in as Aegis's steam type, so that Aegis shows the same Steam code tokenctl does.
        boolean steam = spec.type() == OathType.TOTP && SteamCode.ISSUER.equals(spec.issuer())
                && spec.algorithm() == HashAlgorithm.SHA1
                && spec.period() == CredentialSpec.DEFAULT_PERIOD;
        ObjectNode entry = NODES.objectNode();
        entry.put("type", steam ? "steam" : spec.type() == OathType.HOTP ? "hotp" : "totp");
        entry.put("uuid", uuid().toString());
        entry.put("name", spec.account());
        entry.put("issuer", spec.issuer() == null ? "" : spec.issuer());
        entry.put("note", "");
        entry.put("favorite", false);
        entry.putNull("icon");
        ObjectNode info = entry.putObject("info");
        info.put("secret", Base32.encode(spec.secret()));
        info.put("algo", spec.algorithm().name());
        info.put("digits", steam ? 5 : spec.digits());
        if (spec.type() == OathType.HOTP) {
            info.put("counter", spec.counter());
        } else {
            info.put("period", spec.period());
        }
        entry.putArray("groups");
        return entry;
    }

    /** The whole vault file, encrypted under {@code password}. */
    public byte[] encrypt(ObjectNode database, char[] password) {
        byte[] masterKey = bytes(AegisCrypto.KEY_BYTES);
        byte[] salt = bytes(32);
        byte[] plain = null;
        byte[] slotKey = AegisCrypto.scrypt(password, salt, AegisCrypto.SCRYPT_N, AegisCrypto.SCRYPT_R,
                AegisCrypto.SCRYPT_P);
        try {
            byte[] keyNonce = bytes(AegisCrypto.NONCE_BYTES);
            byte[][] wrapped = AegisCrypto.seal(slotKey, keyNonce, masterKey);
            byte[] dbNonce = bytes(AegisCrypto.NONCE_BYTES);
            plain = AegisVault.JSON.writeValueAsBytes(database);
            byte[][] sealed = AegisCrypto.seal(masterKey, dbNonce, plain);

            HexFormat hex = HexFormat.of();
            ObjectNode root = NODES.objectNode();
            root.put("version", 1);
            ObjectNode header = root.putObject("header");
            ObjectNode slot = header.putArray("slots").addObject();
            slot.put("type", AegisVault.PASSWORD_SLOT);
            slot.put("uuid", uuid().toString());
            slot.put("key", hex.formatHex(wrapped[0]));
            ObjectNode keyParams = slot.putObject("key_params");
            keyParams.put("nonce", hex.formatHex(keyNonce));
            keyParams.put("tag", hex.formatHex(wrapped[1]));
            slot.put("n", AegisCrypto.SCRYPT_N);
            slot.put("r", AegisCrypto.SCRYPT_R);
            slot.put("p", AegisCrypto.SCRYPT_P);
            slot.put("salt", hex.formatHex(salt));
            slot.put("repaired", true);
            slot.put("is_backup", false);
            ObjectNode params = header.putObject("params");
            params.put("nonce", hex.formatHex(dbNonce));
            params.put("tag", hex.formatHex(sealed[1]));
            root.put("db", Base64.getEncoder().encodeToString(sealed[0]));
            return AegisVault.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root)
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("JSON of a tree always writes", e);
        } finally {
            Arrays.fill(masterKey, (byte) 0);
            Arrays.fill(slotKey, (byte) 0);
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private UUID uuid() {
        byte[] b = bytes(16);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4, random
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (b[i] & 0xff);
            lo = lo << 8 | (b[i + 8] & 0xff);
        }
        return new UUID(hi, lo);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
