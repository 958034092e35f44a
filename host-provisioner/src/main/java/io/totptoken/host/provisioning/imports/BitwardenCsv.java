package io.totptoken.host.provisioning.imports;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Bitwarden's CSV export: a header naming its columns ({@code folder,favorite,type,name,notes,
 * fields,reprompt,login_uri,login_username,login_password,login_totp}), then one item a record
 * (RFC 4180: notes may span lines inside quotes). Rows without a {@code login_totp} are passed over.
 */
public final class BitwardenCsv implements ExportFormat {
    private static final String NAME = "Bitwarden CSV export";
    private static final String TOTP = "login_totp";
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean recognises(byte[] content) {
        int end = 0;
        while (end < content.length && end < 4096 && content[end] != '\n') {
            end++;
        }
        String header = new String(content, 0, end, StandardCharsets.UTF_8).replace("\uFEFF", "")
                .toLowerCase(Locale.ROOT);
        List<String> columns = List.of(header.strip().split(",", -1));
        return columns.contains(TOTP) && columns.contains("name");
    }

    @Override
    public ImportResult read(byte[] content, ImportPassword password) {
        String text = utf8(content);
        ImportEntries entries = new ImportEntries();
        try (MappingIterator<List<String>> rows = CSV.readerForListOf(String.class).readValues(text)) {
            if (!rows.hasNext()) {
                throw new ImportException("the " + NAME + " is empty");
            }
            List<String> header = rows.next().stream().map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
            int name = header.indexOf("name");
            int user = header.indexOf("login_username");
            int totp = header.indexOf(TOTP);
            if (name < 0 || totp < 0) {
                throw new ImportException("the " + NAME + " has no name or " + TOTP + " column");
            }
            while (rows.hasNext()) {
                List<String> row = rows.next();
                String field = cell(row, totp);
                if (field != null && !field.isBlank()) {
                    BitwardenTotp.add(entries, cell(row, name), cell(row, user), field);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImportException i) {
                throw i;
            }
            // Jackson's message may quote the text around the fault, and that text may hold a secret.
            throw new ImportException("the " + NAME + " is not valid CSV (truncated or damaged?)");
        }
        return entries.result();
    }

    private static String cell(List<String> row, int index) {
        return index >= 0 && index < row.size() ? row.get(index) : null;
    }

    private static String utf8(byte[] content) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new ImportException("the " + NAME + " is not UTF-8 text");
        }
    }
}
