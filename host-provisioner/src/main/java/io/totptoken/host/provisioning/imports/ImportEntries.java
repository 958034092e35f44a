package io.totptoken.host.provisioning.imports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.InvalidCredentialException;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.provisioning.SteamCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the simple formats share: their JSON read with bounds, and the entries collected into an
 * {@link ImportResult} where an entry the token cannot hold becomes a skipped one with its reason.
 */
final class ImportEntries {
    /** Deep nesting is no export's structure; the bound keeps a hostile file from costing a deep stack. */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64).build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final List<CredentialSpec> credentials = new ArrayList<>();
    private final List<ImportResult.Skipped> skipped = new ArrayList<>();

    /** The JSON document, or null when the bytes are not one (for {@link ExportFormat#recognises}). */
    static JsonNode jsonOrNull(byte[] content) {
        try {
            return JSON.readTree(content);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The JSON document of a file already recognised; a damaged one is one line. */
    static JsonNode json(byte[] content, String format) {
        JsonNode root = jsonOrNull(content);
        if (root == null) {
            throw new ImportException("the " + format + " is not valid JSON (truncated or damaged?)");
        }
        return root;
    }

    /**
     * Adds the entry {@code build} makes; when the token cannot hold it (the spec refuses it, or
     * {@link #reasonNotHeld} has a reason), it is skipped with the reason instead.
     */
    void add(String name, Supplier<CredentialSpec> build) {
        CredentialSpec spec;
        try {
            spec = build.get();
        } catch (InvalidCredentialException e) {
            skip(name, e.getMessage());
            return;
        }
        String reason = reasonNotHeld(spec.algorithm(), spec.secret());
        if (reason != null) {
            spec.wipe();
            skip(name, reason);
            return;
        }
        credentials.add(spec);
    }

    void skip(String name, String reason) {
        skipped.add(new ImportResult.Skipped(name, reason));
    }

    ImportResult result() {
        return new ImportResult(credentials, skipped);
    }

    /** Why the token cannot take a secret for {@code algorithm}, or null when it can. */
    static String reasonNotHeld(HashAlgorithm algorithm, byte[] secret) {
        if (secret.length > algorithm.blockSize()) {
            return "its secret of " + secret.length + " bytes is longer than the " + algorithm.blockSize()
                    + "-byte block of " + algorithm;
        }
        return null;
    }

    /** The algorithm an app names, or a reason-bearing refusal (MD5 and the like). */
    static HashAlgorithm algorithm(String name) {
        if (name == null || name.isBlank()) {
            return HashAlgorithm.SHA1;
        }
        try {
            return HashAlgorithm.fromName(name.strip());
        } catch (InvalidCredentialException e) {
            throw new InvalidCredentialException(name.length() <= 10 ? name.strip() + " is not an algorithm YKOATH has"
                    : "its algorithm is not one YKOATH has (SHA1, SHA256 or SHA512)");
        }
    }

    /** A Steam Guard account: TOTP SHA-1, 30 s, 6 digits on the token, issuer "Steam" so codes show as Steam's. */
    static CredentialSpec steam(String account, byte[] secret) {
        try {
            return new CredentialSpec(OathType.TOTP, HashAlgorithm.SHA1, 6, CredentialSpec.DEFAULT_PERIOD, 0,
                    SteamCode.ISSUER, account, secret, false);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** The text of a field, or null when it is missing, null or not text. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** The first of the fields that holds non-blank text, or null. */
    static String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            String t = text(node, f);
            if (t != null && !t.isBlank()) {
                return t;
            }
        }
        return null;
    }

    /** "Issuer:account" or the account, for naming an entry in messages (never its secret). */
    static String displayName(String issuer, String account) {
        String a = account == null || account.isBlank() ? "(no name)" : account.strip();
        return issuer == null || issuer.isBlank() ? a : issuer.strip() + ":" + a;
    }
}
