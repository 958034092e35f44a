package io.totptoken.host.provisioning.imports;

import java.util.List;

/**
 * The export formats tokenctl reads, tried in order; the first whose {@link ExportFormat#recognises}
 * says yes reads the file. Each format registers here (one line) when it is added.
 */
public final class Exports {
    private static final List<ExportFormat> FORMATS = List.of(
            new AegisVault(),
            new TwoFasBackup(),
            new AndOtpBackup(),
            new FreeOtpPlusBackup(),
            new BitwardenJson(),
            new BitwardenCsv(),
            new OtpauthLines());

    private Exports() {
    }

    /** Every known format, in the order they are tried. */
    public static List<ExportFormat> formats() {
        return FORMATS;
    }

    /** The format of {@code content}, or null when none recognises it. */
    public static ExportFormat detect(byte[] content) {
        for (ExportFormat f : FORMATS) {
            if (f.recognises(content)) {
                return f;
            }
        }
        return null;
    }
}
