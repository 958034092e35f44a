package io.totptoken.host.provisioning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts together the batches of Google Authenticator exports read from several QR codes, in any
 * order, and says which ones are still missing. The same batch seen twice (two photos of one
 * code) counts once; a different batch in the same place is kept beside it. That happens when
 * two exports share an id, above all exports written without batch fields (id 0, one batch of
 * one), which are then each a whole export of their own.
 */
public final class MigrationAssembler {
    private static final int MAX_LISTED = 10;

    /** Per batch id, per batch index, the distinct batches seen there. */
    private final Map<Long, List<List<MigrationBatch>>> exports = new LinkedHashMap<>();

    public void add(MigrationBatch batch) {
        List<List<MigrationBatch>> slots = exports.computeIfAbsent(batch.batchId(), id -> emptySlots(batch.size()));
        if (slots.size() != batch.size()) {
            throw new InvalidCredentialException("two export QR codes with the same batch id claim " + slots.size()
                    + " and " + batch.size() + " batches; scan the export again");
        }
        List<MigrationBatch> seen = slots.get(batch.index());
        if (seen.stream().noneMatch(b -> b.credentials().equals(batch.credentials()))) {
            seen.add(batch);
        }
    }

    private static List<List<MigrationBatch>> emptySlots(int size) {
        List<List<MigrationBatch>> slots = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            slots.add(new ArrayList<>(1));
        }
        return slots;
    }

    public boolean isComplete() {
        return missing().isEmpty();
    }

    /** One line per incomplete export, e.g. "export batch 2 of 3 is missing" (batches counted from 1). */
    public List<String> missing() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<Long, List<List<MigrationBatch>>> export : exports.entrySet()) {
            List<List<MigrationBatch>> slots = export.getValue();
            List<Integer> absent = new ArrayList<>();
            for (int i = 0; i < slots.size(); i++) {
                if (slots.get(i).isEmpty()) {
                    absent.add(i + 1);
                }
            }
            if (absent.isEmpty()) {
                continue;
            }
            String which = exports.size() > 1 ? " (export id " + export.getKey() + ")" : "";
            if (absent.size() == 1) {
                lines.add("export batch " + absent.get(0) + " of " + slots.size() + which + " is missing");
            } else {
                lines.add("export batches " + list(absent) + " of " + slots.size() + which + " are missing");
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
        for (List<List<MigrationBatch>> slots : exports.values()) {
            for (List<MigrationBatch> slot : slots) {
                for (MigrationBatch batch : slot) {
                    all.addAll(batch.credentials());
                }
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
