package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.BoundedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a seed file whatever its kind: PSKC (XML), privacyIDEA CSV (versions 1 and 2) or LinOTP CSV.
 * Each reader checks every entry as a token would take it, so a bad entry is refused here, before
 * a run journals anything.
 */
public final class SeedFiles {
    /** Some 40,000 encrypted PSKC KeyPackages; a vendor's batch is far smaller. */
    static final int MAX_BYTES = 64 << 20;

    private SeedFiles() {
    }

    public static List<SeedEntry> read(Path file, PskcProtection unlock) {
        byte[] content;
        try {
            content = BoundedFile.read(file, MAX_BYTES);
        } catch (BoundedFile.TooLargeException e) {
            throw new FleetException("the seed file " + file + " " + e.getMessage() + "; split it");
        } catch (IOException e) {
            throw new FleetException("cannot read the seed file " + file + ": " + e.getMessage(), e);
        }
        try {
            String head = new String(content, 0, Math.min(content.length, 64), StandardCharsets.UTF_8).stripLeading();
            if (head.startsWith("\uFEFF")) {
                head = head.substring(1);
            }
            List<SeedEntry> entries = head.startsWith("<")
                    ? PskcReader.read(content, unlock)
                    : ServerCsv.read(new String(content, StandardCharsets.UTF_8));
            checkUniqueSerials(entries);
            return entries;
        } catch (ManifestException e) {
            throw new ManifestException(e.problems().stream().map(p -> file.getFileName() + ": " + p).toList());
        } catch (FleetException e) {
            throw new FleetException(file.getFileName() + ": " + e.getMessage(), e);
        } finally {
            java.util.Arrays.fill(content, (byte) 0);
        }
    }

    static void checkUniqueSerials(List<SeedEntry> entries) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Integer first = seen.putIfAbsent(entries.get(i).serial(), i + 1);
            if (first != null) {
                throw new FleetException("serial " + entries.get(i).serial() + " appears in entries " + first
                        + " and " + (i + 1));
            }
        }
    }
}
