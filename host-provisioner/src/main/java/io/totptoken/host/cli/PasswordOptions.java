package io.totptoken.host.cli;

import io.totptoken.host.provisioning.BoundedFile;
import io.totptoken.host.provisioning.PasswordSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * The password of a token that has one. Never a value on the command line (other users see
 * those in the process list): a file, the environment variable TOKENCTL_PASSWORD, a remembered
 * key, or a prompt without echo on a terminal, in that order.
 */
final class PasswordOptions {
    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the token's password from the first line of FILE.")
    Path passwordFile;

    @Option(names = "--remember",
            description = "Remember the key derived from the password (never the password) in an owner-only file, "
                    + "so this token unlocks without it next time.")
    boolean remember;

    PasswordSource source(Invocation run) {
        return new PasswordSource() {
            @Override
            public char[] given() {
                if (passwordFile != null) {
                    return readPasswordFile(passwordFile, "--password-file");
                }
                String env = run.env.getenv(CliEnvironment.ENV_PASSWORD);
                return env == null ? null : env.toCharArray();
            }

            @Override
            public char[] ask(String token) {
                Terminal t = run.env.terminal();
                return t == null ? null : t.readPassword("Password for " + token + ": ");
            }
        };
    }

    /** A password's line is at most this long; more is not a password file (it may be /dev/zero). */
    static final int MAX_PASSWORD_LINE = 4096;

    /** The first line of the file, as characters; the bytes read are wiped. Reads at most 4 KiB. */
    static char[] readPasswordFile(Path file, String option) {
        byte[] bytes;
        try {
            bytes = BoundedFile.readAtMost(file, MAX_PASSWORD_LINE + 1);
        } catch (IOException e) {
            throw new UsageException(option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        try {
            return readPasswordBytes(bytes, file, option);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The first line of a file's bytes, as characters; the caller wipes the bytes. */
    static char[] readPasswordBytes(byte[] bytes, Path file, String option) {
        try {
            int end = 0;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            if (end > MAX_PASSWORD_LINE) {
                throw new UsageException(option + ": the first line of " + file + " is longer than "
                        + BoundedFile.describe(MAX_PASSWORD_LINE) + "; that is not a password file");
            }
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, end));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Arrays.fill(chars.array(), '\0');
            if (out.length == 0) {
                throw new UsageException(option + ": " + file + " has an empty first line");
            }
            return out;
        } catch (CharacterCodingException e) {
            throw new UsageException(option + ": " + file + " is not UTF-8 text");
        }
    }
}
