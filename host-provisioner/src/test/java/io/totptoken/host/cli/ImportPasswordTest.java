package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.provisioning.CredentialSource;
import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.InvalidCredentialException;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.provisioning.imports.ExportFormat;
import io.totptoken.host.provisioning.imports.ImportException;
import io.totptoken.host.provisioning.imports.ImportPassword;
import io.totptoken.host.provisioning.imports.ImportResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password of an encrypted export, through the CLI's plumbing with a test-only format that
 * asks twice and knows one password: --import-password-file, then TOKENCTL_IMPORT_PASSWORD, then a
 * prompt without echo (asked once per file); none at all, or a wrong one, is one line and nothing added.
 */
class ImportPasswordTest {
    @TempDir
    Path tmp;
    final List<String> prompts = new ArrayList<>();
    final List<String> typed = new ArrayList<>();
    final Map<String, String> env = new HashMap<>();
    final ImportPasswordOptions options = new ImportPasswordOptions();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Holds one credential behind the password "right"; asks for it twice, as a careless format might. */
    static final class LockedFormat implements ExportFormat {
        @Override
        public String name() {
            return "locked test export";
        }

        @Override
        public boolean recognises(byte[] content) {
            return true;
        }

        @Override
        public ImportResult read(byte[] content, ImportPassword password) {
            char[] first = password.forFile("the locked test export");
            char[] second = password.forFile("the locked test export");
            try {
                if (!new String(first).equals("right") || !new String(second).equals("right")) {
                    throw new ImportException("wrong password for the locked test export");
                }
            } finally {
                java.util.Arrays.fill(first, '\0');
                java.util.Arrays.fill(second, '\0');
            }
            return new ImportResult(List.of(new CredentialSpec(OathType.TOTP, HashAlgorithm.SHA1, 6, 30, 0, "Locked",
                    "x", new byte[] {1, 2, 3}, false)), List.of(new ImportResult.Skipped("Old:md5", "MD5 is not ...")));
        }
    }

    private CredentialSource importWith(boolean terminal) {
        Terminal t = !terminal ? null : new Terminal() {
            @Override
            public char[] readPassword(String prompt) {
                prompts.add(prompt);
                return typed.isEmpty() ? null : typed.remove(0).toCharArray();
            }

            @Override
            public String readLine(String prompt) {
                throw new AssertionError("no question here");
            }
        };
        PrintStream sink = new PrintStream(err, true, StandardCharsets.UTF_8);
        Invocation run = new Invocation(new CliEnvironment(Map.copyOf(env), tmp, t, sink, sink, Clock.systemUTC()));
        CredentialSource source = new CredentialSource();
        ImportInputs imports = new ImportInputs(run, options);
        imports.addExport(source, new byte[] {'x'}, "file 'locked.bin'", new LockedFormat());
        assertEquals(1, imports.skipped());
        assertTrue(imports.any());
        return source;
    }

    @Test
    void aPasswordFileComesFirstThenTheEnvironmentThenOnePrompt() throws Exception {
        Path file = tmp.resolve("pw");
        Files.writeString(file, "right\nsecond line ignored\n");
        options.file = file;
        env.put(ImportPasswordOptions.ENV_IMPORT_PASSWORD, "wrong");
        assertEquals("x", importWith(true).credentials().get(0).account());
        options.file = null;
        env.put(ImportPasswordOptions.ENV_IMPORT_PASSWORD, "right");
        assertEquals(1, importWith(true).credentials().size());
        env.clear();
        typed.add("right");
        typed.add("never asked for");
        assertEquals(1, importWith(true).credentials().size());
        assertEquals(List.of("Password for the locked test export: "), prompts, "asked once for the file");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("tokenctl: file 'locked.bin': skipped Old:md5: MD5"));
    }

    @Test
    void aWrongOrMissingPasswordIsOneLineAndAddsNothing() {
        env.put(ImportPasswordOptions.ENV_IMPORT_PASSWORD, "wrong");
        InvalidCredentialException wrong = assertThrows(InvalidCredentialException.class, () -> importWith(false));
        assertEquals("file 'locked.bin': wrong password for the locked test export", wrong.getMessage());
        env.clear();
        InvalidCredentialException none = assertThrows(InvalidCredentialException.class, () -> importWith(false));
        assertEquals("file 'locked.bin': the locked test export is encrypted; give its password with "
                + "--import-password-file FILE or TOKENCTL_IMPORT_PASSWORD, or run on a terminal to be asked", none.getMessage());
        InvalidCredentialException nothingTyped = assertThrows(InvalidCredentialException.class, () -> importWith(true));
        assertTrue(nothingTyped.getMessage().contains("no password was typed"), nothingTyped.getMessage());
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("skipped"), "nothing read, nothing listed");
        assertEquals(2, ExitCodes.of(wrong));
    }
}
