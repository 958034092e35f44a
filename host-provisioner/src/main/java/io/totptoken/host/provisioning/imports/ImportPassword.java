package io.totptoken.host.provisioning.imports;

/**
 * Where an encrypted export's password comes from (a file, the environment, a prompt without
 * echo): never an option value. The caller wipes the array after use.
 */
@FunctionalInterface
public interface ImportPassword {
    /**
     * The password for {@code what} (e.g. "the Aegis vault 'backup.json'").
     *
     * @throws ImportException when there is none to be had (no terminal, no file, no variable)
     */
    char[] forFile(String what);
}
