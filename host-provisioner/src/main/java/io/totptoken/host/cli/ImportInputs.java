package io.totptoken.host.cli;

import io.totptoken.host.provisioning.BoundedFile;
import io.totptoken.host.provisioning.CredentialSource;
import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.InvalidCredentialException;
import io.totptoken.host.provisioning.imports.ExportFormat;
import io.totptoken.host.provisioning.imports.Exports;
import io.totptoken.host.provisioning.imports.ImportException;
import io.totptoken.host.provisioning.imports.ImportResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The export files of one {@code accounts add}, known by their content ({@link Exports#detect}),
 * each read (and decrypted) before any token is touched. Entries a file holds that the token
 * cannot are listed on stderr as they are found, and counted, never dropped silently.
 */
final class ImportInputs {
    /** Far more than an export of hundreds of accounts with icons; a bound against /dev/zero and mistakes. */
    static final int MAX_BYTES = 16 << 20;

    private final Invocation run;
    private final ImportPasswordOptions password;
    private int files;
    private int skipped;

    ImportInputs(Invocation run, ImportPasswordOptions password) {
        this.run = run;
        this.password = password;
    }

    /** Adds an existing regular file: an image as before, otherwise an export recognised by its content. */
    void addFile(CredentialSource source, Path file) {
        String where = "file " + quote(file);
        byte[] data;
        try {
            // An image goes to the QR reader, which has bounds of its own (and photos may pass 16 MiB).
            if (StandardInput.isImage(BoundedFile.readAtMost(file, 4))) {
                source.addImage(file);
                return;
            }
            data = BoundedFile.read(file, MAX_BYTES);
        } catch (BoundedFile.TooLargeException e) {
            throw new ImportException(where + " " + e.getMessage() + "; that is no export tokenctl reads");
        } catch (IOException e) {
            throw new ImportException(where + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        try {
            addExport(source, data, where);
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    /** Adds the export in {@code data} ({@code where}: "file 'x.json'", "standard input"), or refuses it in one line. */
    void addExport(CredentialSource source, byte[] data, String where) {
        ExportFormat format = Exports.detect(data);
        if (format == null && looksLikeJson(data)) {
            throw new ImportException(where + " starts as JSON but is not an export tokenctl reads, or is damaged or "
                    + "truncated; " + known());
        }
        if (format == null) {
            throw new ImportException(where + " is not a file tokenctl imports: neither a PNG, JPEG, GIF or BMP image nor "
                    + known());
        }
        addExport(source, data, where, format);
    }

    /** As {@link #addExport(CredentialSource, byte[], String)}, the format known. */
    void addExport(CredentialSource source, byte[] data, String where, ExportFormat format) {
        ImportResult result;
        try (ImportPasswordOptions.FilePassword p = password.forFile(run)) {
            result = format.read(data, p);
        } catch (InvalidCredentialException e) {
            throw e.in(where);
        }
        try {
            files++;
            for (ImportResult.Skipped s : result.skipped()) {
                skipped++;
                run.err().println("tokenctl: " + where + ": skipped " + printable(s.name()) + ": " + printable(s.reason()));
            }
            for (CredentialSpec spec : result.credentials()) {
                source.addCredential(spec);
            }
        } finally {
            result.credentials().forEach(CredentialSpec::wipe);
        }
    }

    /** Whether any export file was read: then a terminal is shown what will be added and asked. */
    boolean any() {
        return files > 0;
    }

    /** How many entries of the exports were skipped (each listed already). */
    int skipped() {
        return skipped;
    }

    private static boolean looksLikeJson(byte[] data) {
        int i = 0;
        while (i < data.length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) {
            i++;
        }
        return i < data.length && (data[i] == '{' || data[i] == '[');
    }

    private static String known() {
        return "an export of: " + Exports.formats().stream().map(ExportFormat::name).collect(Collectors.joining(", "));
    }

    /** A name from the file, which may hold terminal escapes: control characters shown as '?'. */
    private static String printable(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
    }

    static String quote(Path file) {
        String name = String.valueOf(file.getFileName());
        return "'" + name.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
