package io.totptoken.host.provisioning.imports;

import io.totptoken.host.provisioning.CredentialSource;
import io.totptoken.host.provisioning.InvalidCredentialException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A text file of otpauth:// URIs, one a line, as password managers and scripts write them (Aegis
 * and andOTP export such a list too); blank lines and {@code #} comments are skipped. Google
 * Authenticator export URIs (otpauth-migration://) in it are read as tokenctl reads them anywhere:
 * the batches of one export put together, whatever their order.
 */
public final class OtpauthLines implements ExportFormat {
    private static final String NAME = "list of otpauth:// URIs";

    @Override
    public String name() {
        return NAME;
    }

    /** The first line that is neither blank nor a comment starts with otpauth: or otpauth-migration:. */
    @Override
    public boolean recognises(byte[] content) {
        boolean bom = content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB
                && (content[2] & 0xFF) == 0xBF;
        int i = bom ? 3 : 0;
        while (i < content.length) {
            int end = i;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            int from = i;
            while (from < end && (content[from] == ' ' || content[from] == '\t' || content[from] == '\r')) {
                from++;
            }
            if (from < end && content[from] != '#') {
                String start = new String(content, from, Math.min(end - from, 20), StandardCharsets.ISO_8859_1)
                        .toLowerCase(Locale.ROOT);
                return start.startsWith("otpauth:") || start.startsWith("otpauth-migration:");
            }
            i = end + 1;
        }
        return false;
    }

    @Override
    public ImportResult read(byte[] content, ImportPassword password) {
        CharBuffer text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content));
        } catch (CharacterCodingException e) {
            throw new ImportException("the " + NAME + " is not UTF-8 text");
        }
        try {
            CredentialSource source = new CredentialSource();
            int lineNumber = 0;
            int start = 0;
            while (start <= text.limit()) {
                int end = start;
                while (end < text.limit() && text.get(end) != '\n') {
                    end++;
                }
                lineNumber++;
                String line = text.subSequence(start, end).toString().replace("\uFEFF", "").strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    try {
                        source.addText(line);
                    } catch (InvalidCredentialException e) {
                        throw new ImportException("line " + lineNumber + ": " + e.getMessage());
                    }
                }
                start = end + 1;
            }
            try {
                return new ImportResult(source.credentials(), java.util.List.of());
            } catch (InvalidCredentialException e) {
                throw new ImportException(e.getMessage());
            }
        } finally {
            if (text.hasArray()) {
                Arrays.fill(text.array(), '\0');
            }
        }
    }
}
