package io.totptoken.host.provisioning.imports;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Bitwarden's unencrypted JSON export: {@code {"encrypted":false, "folders":[...],
 * "items":[{"name", "login":{"username", "totp"}}]}}. Items without a TOTP (plain passwords,
 * cards, notes) are not OTP entries and are passed over; a password-protected export is refused
 * with what to do instead.
 */
public final class BitwardenJson implements ExportFormat {
    private static final String NAME = "Bitwarden export";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean recognises(byte[] content) {
        JsonNode root = ImportEntries.jsonOrNull(content);
        if (root == null || !root.isObject() || !root.path("encrypted").isBoolean()) {
            return false;
        }
        return root.path("items").isArray() || root.path("passwordProtected").isBoolean();
    }

    @Override
    public ImportResult read(byte[] content, ImportPassword password) {
        JsonNode root = ImportEntries.json(content, NAME);
        if (root.path("encrypted").asBoolean(false)) {
            throw new ImportException("the " + NAME + " is encrypted; export it from Bitwarden as unencrypted JSON "
                    + "(or CSV), import it, then delete the file");
        }
        JsonNode items = root.path("items");
        if (!items.isArray()) {
            throw new ImportException("the " + NAME + " has no list of items");
        }
        ImportEntries entries = new ImportEntries();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                throw new ImportException("the " + NAME + "'s item " + (i + 1) + " is not a JSON object");
            }
            JsonNode login = item.path("login");
            String totp = ImportEntries.text(login, "totp");
            if (totp == null || totp.isBlank()) {
                continue;
            }
            BitwardenTotp.add(entries, ImportEntries.text(item, "name"), ImportEntries.text(login, "username"), totp);
        }
        return entries.result();
    }
}
