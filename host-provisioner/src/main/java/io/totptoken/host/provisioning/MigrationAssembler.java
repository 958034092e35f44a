package io.totptoken.host.provisioning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts together the batches of Google Authenticator exports read from several QR codes, in any
 * order, and says which ones are still missing. The same batch seen twice (two photos of one
 * code) counts once.
 */
public final class MigrationAssembler {
    private static final int MAX_LISTED = 10;

    private final Map<Integer, MigrationBatch[]> exports = new LinkedHashMap<>();

    public void add(MigrationBatch batch) {
        MigrationBatch[] slots = exports.computeIfAbsent(batch.batchId(), id -> new MigrationBatch[batch.size()]);
        if (slots.length != batch.size()) {
            throw new InvalidCredentialException("two export QR codes with the same batch id claim " + slots.length
                    + " and " + batch.size() + " batches; scan the export again");
        }
        if (slots[batch.index()] == null) {
            slots[batch.index()] = batch;
        }
    }

    public boolean isComplete() {
        return missing().isEmpty();
    }

    /** One line per incomplete export, e.g. "export batch 2 of 3 is missing" (batches counted from 1). */
    public List<String> missing() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<Integer, MigrationBatch[]> export : exports.entrySet()) {
            MigrationBatch[] slots = export.getValue();
            List<Integer> absent = new ArrayList<>();
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] == null) {
                    absent.add(i + 1);
                }
            }
            if (absent.isEmpty()) {
                continue;
            }
            String which = exports.size() > 1 ? " (export id " + export.getKey() + ")" : "";
            if (absent.size() == 1) {
                lines.add("export batch " + absent.get(0) + " of " + slots.length + which + " is missing");
            } else {
                lines.add("export batches " + list(absent) + " of " + slots.length + which + " are missing");
            }
        }
        return lines;
    }

    /** All credentials in export and batch order; throws when a batch is missing. */
    public List<CredentialSpec> credentials() {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            throw new InvalidCredentialException(String.join("; ", missing)
                    + "; scan every QR code that Google Authenticator shows for the export");
        }
        List<CredentialSpec> all = new ArrayList<>();
        for (MigrationBatch[] slots : exports.values()) {
            for (MigrationBatch batch : slots) {
                all.addAll(batch.credentials());
            }
        }
        return all;
    }

    private static String list(List<Integer> numbers) {
        StringBuilder text = new StringBuilder();
        int shown = Math.min(numbers.size(), MAX_LISTED);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                text.append(i == numbers.size() - 1 ? " and " : ", ");
            }
            text.append(numbers.get(i));
        }
        if (numbers.size() > shown) {
            text.append(" and ").append(numbers.size() - shown).append(" more");
        }
        return text.toString();
    }
}
