package io.totptoken.host.provisioning.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.InvalidCredentialException;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.provisioning.SteamCode;
import java.util.Arrays;
import java.util.Locale;

/**
 * FreeOTP+'s JSON export: {@code {"tokens":[{type, algo, digits, period, counter, issuerExt,
 * issuerInt, label, secret}], "tokenOrder":[...]}}, the secret a JSON array of Java's signed
 * bytes (-128..127). Icons and the order are ignored.
 */
public final class FreeOtpPlusBackup implements ExportFormat {
    private static final String NAME = "FreeOTP+ export";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean recognises(byte[] content) {
        JsonNode root = ImportEntries.jsonOrNull(content);
        if (root == null || !root.isObject() || !root.path("tokens").isArray()) {
            return false;
        }
        JsonNode first = root.path("tokens").path(0);
        return root.has("tokenOrder") || first.path("secret").isArray();
    }

    @Override
    public ImportResult read(byte[] content, ImportPassword password) {
        JsonNode tokens = ImportEntries.json(content, NAME).path("tokens");
        if (!tokens.isArray()) {
            throw new ImportException("the " + NAME + " has no list of tokens");
        }
        ImportEntries entries = new ImportEntries();
        for (int i = 0; i < tokens.size(); i++) {
            JsonNode t = tokens.get(i);
            if (!t.isObject()) {
                throw new ImportException("the " + NAME + "'s token " + (i + 1) + " is not a JSON object");
            }
            String issuer = ImportEntries.firstText(t, "issuerExt", "issuerInt");
            String label = ImportEntries.text(t, "label");
            String name = ImportEntries.displayName(issuer, label);
            byte[] secret = secret(t.get("secret"), i);
            try {
                entries.add(name, () -> spec(t, issuer, label, secret));
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }
        return entries.result();
    }

    private static CredentialSpec spec(JsonNode t, String issuer, String label, byte[] secret) {
        String type = ImportEntries.text(t, "type");
        String kind = type == null ? "TOTP" : type.toUpperCase(Locale.ROOT);
        if (kind.equals("STEAM")) {
            return ImportEntries.steam(label, secret.clone());
        }
        if (!kind.equals("TOTP") && !kind.equals("HOTP")) {
            throw new InvalidCredentialException("type " + (kind.length() <= 10 ? kind : "(unknown)")
                    + " is not TOTP or HOTP");
        }
        HashAlgorithm algorithm = ImportEntries.algorithm(ImportEntries.text(t, "algo"));
        int digits = number(t, "digits", 6);
        if (digits == 5 && kind.equals("TOTP") && SteamCode.ISSUER.equals(issuer)) {
            // FreeOTP+ keeps Steam accounts as 5-digit TOTP under issuer Steam; the token computes 6.
            digits = 6;
        }
        return new CredentialSpec(OathType.fromName(kind), algorithm, digits, number(t, "period", 30),
                numberLong(t, "counter"), issuer, label, secret, false);
    }

    private static byte[] secret(JsonNode node, int index) {
        if (node == null || !node.isArray()) {
            throw new ImportException("the " + NAME + "'s token " + (index + 1) + " has no secret byte array");
        }
        byte[] out = new byte[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode b = node.get(i);
            if (!b.isIntegralNumber() || b.asLong() < -128 || b.asLong() > 255) {
                Arrays.fill(out, (byte) 0);
                throw new ImportException("the " + NAME + "'s token " + (index + 1)
                        + " has a secret that is not a list of bytes (position " + (i + 1) + ")");
            }
            out[i] = (byte) b.asInt();
        }
        return out;
    }

    private static int number(JsonNode t, String field, int absent) {
        JsonNode v = t.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidCredentialException(field + " is not a whole number");
        }
        return v.asInt();
    }

    private static long numberLong(JsonNode t, String field) {
        JsonNode v = t.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidCredentialException(field + " is not a whole number");
        }
        return v.asLong();
    }
}
