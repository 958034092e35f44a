package io.totptoken.host.cli;

import io.totptoken.host.provisioning.CredentialSource;
import io.totptoken.host.provisioning.InvalidCredentialException;
import io.totptoken.host.provisioning.imports.ExportFormat;
import io.totptoken.host.provisioning.imports.Exports;
import io.totptoken.host.provisioning.imports.OtpauthLines;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What is piped in for a "-" argument: secrets this way stay out of the process list and the
 * shell history. Reads are bounded (a runaway pipe cannot exhaust memory) and every buffer that
 * held input is wiped once used.
 */
final class StandardInput {
    /** More than any screenshot or phone photo of a QR code needs, and than a list of URIs would hold. */
    static final int MAX_BYTES = 8 << 20;
    static final String WHERE = "standard input";

    private final Invocation run;

    StandardInput(Invocation run) {
        this.run = run;
    }

    /**
     * Adds what standard input holds: an image (PNG, JPEG, GIF or BMP, known by its first bytes)
     * with QR codes, or text with one otpauth:// or otpauth-migration:// URI a line (blank lines
     * skipped), or an authenticator app's export known by its content (see {@link ImportInputs}).
     * The input is never echoed in messages: it holds secrets.
     */
    void addCredentials(CredentialSource source, ImportInputs imports) {
        byte[] data = read("otpauth:// URIs (one a line), a QR image or an authenticator app's export");
        try {
            if (isImage(data)) {
                source.addImage(data, WHERE);
                return;
            }
            ExportFormat format = Exports.detect(data);
            if (format != null && !(format instanceof OtpauthLines)) {
                // URIs keep this class's own reading, with its line numbers and messages.
                imports.addExport(source, data, WHERE);
                return;
            }
            CharBuffer text = decode(data, "neither otpauth:// URIs (one a line) nor a PNG, JPEG, GIF or BMP image");
            try {
                addLines(source, text);
            } finally {
                wipe(text);
            }
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    /** The one line standard input holds, trimmed: a secret. The caller wipes it. */
    char[] secretLine() {
        byte[] data = read("the base32 secret on one line");
        CharBuffer text = null;
        try {
            text = decode(data, "not a base32 secret in text");
            int[] line = onlyLine(text);
            char[] secret = new char[line[1] - line[0]];
            for (int i = 0; i < secret.length; i++) {
                secret[i] = text.get(line[0] + i);
            }
            return secret;
        } finally {
            Arrays.fill(data, (byte) 0);
            if (text != null) {
                wipe(text);
            }
        }
    }

    private byte[] read(String expected) {
        if (run.env.terminal() != null) {
            run.note("Reading " + expected + " from standard input (end with Ctrl-D)...");
        }
        byte[] data;
        try {
            data = run.env.in().readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new UsageException("cannot read " + WHERE + ": " + e.getMessage());
        }
        if (data.length > MAX_BYTES) {
            Arrays.fill(data, (byte) 0);
            throw new UsageException(WHERE + " holds more than " + (MAX_BYTES >> 20) + " MB; give at most that");
        }
        if (data.length == 0) {
            throw new UsageException(WHERE + " is empty; pipe in " + expected);
        }
        return data;
    }

    /** PNG, JPEG, GIF or BMP, known by the first bytes. */
    static boolean isImage(byte[] d) {
        return startsWith(d, 0x89, 'P', 'N', 'G') || startsWith(d, 0xFF, 0xD8, 0xFF) || startsWith(d, 'G', 'I', 'F', '8')
                || startsWith(d, 'B', 'M');
    }

    private static boolean startsWith(byte[] data, int... prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((data[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Strict UTF-8 without NUL characters; anything else is binary that is not an image we read. */
    private static CharBuffer decode(byte[] data, String notText) {
        CharBuffer text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data));
        } catch (CharacterCodingException e) {
            throw new InvalidCredentialException(WHERE + " is " + notText);
        }
        for (int i = 0; i < text.limit(); i++) {
            if (text.get(i) == '\0') {
                wipe(text);
                throw new InvalidCredentialException(WHERE + " is " + notText);
            }
        }
        return text;
    }

    private static void addLines(CredentialSource source, CharBuffer text) {
        int lineNumber = 0;
        int start = 0;
        int added = 0;
        while (start <= text.limit()) {
            int end = start;
            while (end < text.limit() && text.get(end) != '\n') {
                end++;
            }
            lineNumber++;
            String line = text.subSequence(start, end).toString().strip();
            if (!line.isEmpty()) {
                try {
                    source.addText(line);
                } catch (InvalidCredentialException e) {
                    throw e.in(WHERE + ", line " + lineNumber);
                }
                added++;
            }
            start = end + 1;
        }
        if (added == 0) {
            throw new UsageException(WHERE + " holds only blank lines; pipe in otpauth:// URIs, one a line");
        }
    }

    /** Start and end (exclusive) of the one non-blank line, trimmed. */
    private static int[] onlyLine(CharBuffer text) {
        int[] found = null;
        int start = 0;
        while (start <= text.limit()) {
            int end = start;
            while (end < text.limit() && text.get(end) != '\n') {
                end++;
            }
            int from = start;
            int to = end;
            while (from < to && Character.isWhitespace(text.get(from))) {
                from++;
            }
            while (to > from && Character.isWhitespace(text.get(to - 1))) {
                to--;
            }
            if (from < to) {
                if (found != null) {
                    throw new UsageException(WHERE + " holds more than one line; --secret - reads one line, the base32 secret");
                }
                found = new int[] {from, to};
            }
            start = end + 1;
        }
        if (found == null) {
            throw new UsageException(WHERE + " holds only blank lines; pipe in the base32 secret on one line");
        }
        return found;
    }

    private static void wipe(CharBuffer text) {
        if (text.hasArray()) {
            Arrays.fill(text.array(), '\0');
        }
    }
}
