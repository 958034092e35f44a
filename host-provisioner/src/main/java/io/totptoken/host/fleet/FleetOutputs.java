package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OtpauthUri;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a run leaves for the authentication server, rebuilt whole from the ledger (so a resumed
 * run rewrites them to match its journal): privacyIDEA OATH CSV in both layouts, LinOTP CSV, PSKC,
 * Microsoft Entra ID's CSV, pam_oath's usersfile, otpauth URIs on request, and a per-token report. Only verified tokens go into seed files. Each
 * file is replaced atomically and is 0600.
 */
public final class FleetOutputs {
    public static final String PRIVACYIDEA = "privacyidea.csv";
    public static final String PRIVACYIDEA_V2 = "privacyidea-users.csv";
    public static final String LINOTP = "linotp.csv";
    public static final String PSKC = "tokens.pskc";
    public static final String ENTRA = "entra.csv";
    public static final String PAM_OATH = "users.oath";
    public static final String URIS = "otpauth-uris.txt";
    public static final String REPORT = "report.csv";

    private FleetOutputs() {
    }

    /**
     * @param protection how the PSKC file's secrets are protected; @param uris whether to write otpauth URIs;
     * @param entra the manufacturer and model entra.csv names
     */
    public record Options(PskcProtection protection, boolean uris, EntraCsv.Device entra) {
        public Options(PskcProtection protection, boolean uris) {
            this(protection, uris, EntraCsv.Device.defaults());
        }

        public static Options plain() {
            return new Options(PskcProtection.none(), false);
        }
    }

    /** @param files the files written; @param notes what the admin should know about them */
    public record Written(List<Path> files, List<String> notes) {
    }

    static Written write(Path dir, Ledger ledger, Options options) {
        List<Assignment> verified = ledger.verified();
        List<SeedEntry> entries = verified.stream().map(Assignment::output).toList();
        List<String> notes = new ArrayList<>();
        // Every file is rendered before the first is written: one that cannot be (a field a server
        // CSV cannot hold) then leaves the previous outputs as they were, not half of them replaced.
        Map<String, byte[]> contents = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        try {
            boolean sha1Only = entries.stream().allMatch(e -> e.algorithm() == HashAlgorithm.SHA1);
            if (sha1Only) {
                contents.put(PRIVACYIDEA, utf8(ServerCsv.write(ServerCsv.Format.PRIVACYIDEA, entries)));
                contents.put(PRIVACYIDEA_V2, utf8(ServerCsv.write(ServerCsv.Format.PRIVACYIDEA_V2, entries)));
            } else {
                notes.add("privacyIDEA's OATH CSV has no hash column (it means SHA-1), so it was not written; "
                        + "import " + PSKC + " into privacyIDEA instead");
            }
            contents.put(LINOTP, utf8(ServerCsv.write(ServerCsv.Format.LINOTP, entries)));
            contents.put(PSKC, PskcWriter.write(entries, options.protection()));
            List<String> upns = verified.stream().map(a -> EntraCsv.upn(a.row)).toList();
            String entraUnfit = EntraCsv.unfit(entries, upns);
            if (entraUnfit == null) {
                contents.put(ENTRA, utf8(EntraCsv.write(entries, upns, options.entra())));
            } else {
                notes.add(ENTRA + " was not written: " + entraUnfit);
            }
            String pamUnfit = PamOathUsers.unfit(entries);
            if (pamUnfit == null) {
                contents.put(PAM_OATH, utf8(PamOathUsers.write(entries)));
            } else {
                notes.add(PAM_OATH + " was not written: " + pamUnfit);
            }
            if (options.uris()) {
                StringBuilder uris = new StringBuilder();
                for (SeedEntry e : entries) {
                    uris.append(OtpauthUri.format(e.spec())).append('\n');
                }
                contents.put(URIS, utf8(uris.toString()));
            }
            contents.put(REPORT, utf8(report(ledger)));
            for (Map.Entry<String, byte[]> content : contents.entrySet()) {
                files.add(put(dir, content.getKey(), content.getValue()));
            }
        } catch (IOException e) {
            throw new FleetException("cannot write the outputs in " + dir + ": " + e.getMessage()
                    + "; the journal has everything: resume (--resume) to write them again", e);
        } finally {
            contents.values().forEach(bytes -> java.util.Arrays.fill(bytes, (byte) 0));
        }
        if (!(options.protection() instanceof PskcProtection.None)) {
            notes.add(PSKC + " is encrypted, but the CSV files and the journal hold the seeds in clear");
        }
        return new Written(files, notes);
    }

    /** serial, account, issuer, result, code, time step or counter, time checked, reason. */
    static String report(Ledger ledger) {
        StringBuilder r = new StringBuilder("serial,account,issuer,result,code,time_step_or_counter,checked_at,reason\n");
        for (Assignment a : ledger.all()) {
            synchronized (a) {
                String result = switch (a.state) {
                    case VERIFIED -> "verified";
                    case RELEASED -> "released";
                    case FAILED -> "failed";
                    default -> "pending";
                };
                r.append(a.serial).append(',').append(Csv.quoted(a.row.account())).append(',')
                        .append(Csv.quoted(a.entry.issuer())).append(',').append(result).append(',')
                        .append(a.code == null ? "" : a.code).append(',')
                        .append(a.state == Assignment.State.VERIFIED ? Long.toString(a.moving) : "").append(',')
                        .append(a.checkedAt == 0 ? "" : Instant.ofEpochSecond(a.checkedAt).toString()).append(',')
                        .append(Csv.quoted(a.failure)).append('\n');
            }
        }
        for (Map.Entry<Long, String> e : ledger.refusals().entrySet()) {
            r.append(e.getKey()).append(",,,refused,,,,").append(Csv.quoted(e.getValue())).append('\n');
        }
        return r.toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Path put(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        try {
            PrivateFiles.writeAtomically(p, bytes);
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
        return p;
    }
}
