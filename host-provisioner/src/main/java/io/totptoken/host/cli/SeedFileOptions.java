package io.totptoken.host.cli;

import io.totptoken.host.fleet.EntraCsv;
import io.totptoken.host.fleet.FleetOutputs;
import io.totptoken.host.fleet.PskcProtection;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How the seed files are written, for every command that writes them ({@code bulk provision} and
 * {@code bulk export}): the PSKC file's encryption, the optional URI list, the device names of
 * entra.csv. A picocli mixin, so both commands take the same options with the same help.
 */
final class SeedFileOptions {
    @Option(names = "--pskc-key-file", paramLabel = "FILE",
            description = "Encrypt the PSKC output with this pre-shared AES key (16 bytes, or 32 hex digits).")
    Path pskcKeyFile;

    @Option(names = "--pskc-password-file", paramLabel = "FILE",
            description = "Encrypt the PSKC output with a key derived by PBKDF2 from the password in FILE.")
    Path pskcPasswordFile;

    @Option(names = "--uris", description = "Also write otpauth:// URIs.")
    boolean uris;

    @Option(names = "--entra-manufacturer", paramLabel = "NAME", defaultValue = EntraCsv.Device.DEFAULT_MANUFACTURER,
            description = "Manufacturer in entra.csv (default: ${DEFAULT-VALUE}).")
    String entraManufacturer = EntraCsv.Device.DEFAULT_MANUFACTURER;

    @Option(names = "--entra-model", paramLabel = "NAME", defaultValue = EntraCsv.Device.DEFAULT_MODEL,
            description = "Model in entra.csv (default: ${DEFAULT-VALUE}).")
    String entraModel = EntraCsv.Device.DEFAULT_MODEL;

    /** The outputs' settings; reads the PSKC key or password file, and checks the device names. */
    FleetOutputs.Options outputs() {
        return new FleetOutputs.Options(protection(), uris, device());
    }

    EntraCsv.Device device() {
        return new EntraCsv.Device(entraManufacturer, entraModel);
    }

    /** The PSKC output's encryption, as --pskc-key-file or --pskc-password-file ask. */
    PskcProtection protection() {
        if (pskcKeyFile != null && pskcPasswordFile != null) {
            throw new UsageException("give --pskc-key-file or --pskc-password-file, not both");
        }
        if (pskcKeyFile != null) {
            return new PskcProtection.PreSharedKey(BulkOptions.keyFromFile(pskcKeyFile, "--pskc-key-file"), "Pre-shared-key");
        }
        if (pskcPasswordFile != null) {
            return new PskcProtection.Password(PasswordOptions.readPasswordFile(pskcPasswordFile, "--pskc-password-file"),
                    PskcProtection.DEFAULT_ITERATIONS);
        }
        return PskcProtection.none();
    }
}
