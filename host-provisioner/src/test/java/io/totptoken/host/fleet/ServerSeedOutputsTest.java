package io.totptoken.host.fleet;

import static io.totptoken.host.fleet.FleetFixture.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.provisioning.Base32;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** entra.csv and users.oath: written beside the other seed files, agreeing with every token, or skipped with a note. */
class ServerSeedOutputsTest {
    @TempDir
    Path tmp;

    private FleetOutputs.Written run(Path out, Path sims, List<FleetRow> rows, FleetOptions o, FleetOutputs.Options w) {
        try (FleetRun run = FleetRun.start(out, rows, o, false)) {
            assertTrue(run.provision(SimulatedFleet.open(sims, rows.size(), 2), FleetListener.NONE).complete());
            return run.writeOutputs(w);
        }
    }

    private static Map<String, SeedEntry> pskc(Path out) throws Exception {
        return PskcReader.read(Files.readAllBytes(out.resolve(FleetOutputs.PSKC)), PskcProtection.none()).stream()
                .collect(Collectors.toMap(SeedEntry::serial, Function.identity()));
    }

    @Test
    void entraCsvAndUsersOathAgreeWithEveryToken() throws Exception {
        Path out = tmp.resolve("seeds");
        Path sims = tmp.resolve("tokens");
        FleetOutputs.Written w = run(out, sims, FleetFixture.rows(6), FleetFixture.options(),
                new FleetOutputs.Options(PskcProtection.none(), false, new EntraCsv.Device("Acme", "Key 6")));
        assertTrue(w.files().contains(out.resolve(FleetOutputs.ENTRA)), w.files().toString());
        assertTrue(w.files().contains(out.resolve(FleetOutputs.PAM_OATH)), w.files().toString());
        assertEquals("rw-------", FleetFixture.mode(out.resolve(FleetOutputs.ENTRA)));
        assertEquals("rw-------", FleetFixture.mode(out.resolve(FleetOutputs.PAM_OATH)));
        Map<String, SeedEntry> journal = pskc(out);

        List<String> entra = Files.readAllLines(out.resolve(FleetOutputs.ENTRA));
        assertEquals("upn,serial number,secret key,time interval,manufacturer,model", entra.get(0));
        assertEquals(7, entra.size());
        for (String line : entra.subList(1, entra.size())) {
            String[] f = line.split(",", -1);
            assertEquals(6, f.length, line);
            SeedEntry e = journal.get(f[1]);
            assertEquals(e.account(), f[0], "the account is an e-mail address: it is the UPN");
            assertTrue(f[2].matches("[A-Z2-7]{1,128}"), "base32 without padding: " + f[2]);
            assertEquals("30", f[3]);
            assertEquals("Acme", f[4]);
            assertEquals("Key 6", f[5]);
            String onToken = FleetFixture.tokenCode(sims.resolve(f[1] + SimulatedFleet.SUFFIX), e, NOW / 30, null);
            assertEquals(onToken, Otp.hotp(HashAlgorithm.SHA1, Base32.decode(f[2]), NOW / 30, 6), "token " + f[1]);
        }

        List<String> users = Files.readAllLines(out.resolve(FleetOutputs.PAM_OATH));
        assertEquals(6, users.size());
        for (SeedEntry e : journal.values()) {
            String line = users.stream().filter(l -> l.contains(HexFormat.of().formatHex(e.secret()))).findFirst()
                    .orElseThrow(() -> new AssertionError("no users.oath line for token " + e.serial()));
            String[] f = line.split(" ");
            assertEquals(List.of("HOTP/T30/6", e.user(), "-"), List.of(f[0], f[1], f[2]), line);
            assertTrue(e.user().matches("user00[1-6]"), "the manifest's user column: " + e.user());
            assertEquals(4, f.length, "no counter for TOTP: " + line);
            String onToken = FleetFixture.tokenCode(sims.resolve(e.serial() + SimulatedFleet.SUFFIX), e, NOW / 30, null);
            assertEquals(onToken, FleetFixture.oathtool(new SeedEntry(e.serial(), OathType.TOTP, HashAlgorithm.SHA1, 6,
                    30, 0, null, "x", "", "", "", HexFormat.of().parseHex(f[3])), NOW));
        }
    }

    @Test
    void hotpGoesToUsersOathWithItsCounterAndEntraIsSkippedWithANote() throws Exception {
        Path out = tmp.resolve("seeds");
        FleetOptions o = FleetFixture.options().withType(OathType.HOTP).withDigits(8);
        List<FleetRow> rows = Manifest.parse("account,user\nalice@example.com,alice\nbob@example.com,\n", null,
                OathType.HOTP, 30);
        FleetOutputs.Written w = run(out, tmp.resolve("tokens"), rows, o, FleetOutputs.Options.plain());
        assertFalse(Files.exists(out.resolve(FleetOutputs.ENTRA)));
        assertTrue(w.notes().stream().anyMatch(n -> n.startsWith("entra.csv was not written: Entra ID takes SHA-1 TOTP")),
                w.notes().toString());
        Map<String, SeedEntry> journal = pskc(out);
        for (String line : Files.readAllLines(out.resolve(FleetOutputs.PAM_OATH))) {
            String[] f = line.split(" ");
            SeedEntry e = journal.values().stream().filter(x -> HexFormat.of().formatHex(x.secret()).equals(f[3]))
                    .findFirst().orElseThrow();
            assertEquals("HOTP/E/8", f[0]);
            assertEquals(e.account().equals("alice@example.com") ? "alice" : "bob@example.com", f[1],
                    "the user column, else the account");
            assertEquals("1", f[4], "verification used counter 0; the next code is 1's");
            assertEquals(e.counter(), Long.parseLong(f[4]));
        }
    }

    @Test
    void sha256SkipsBothWithANoteAndAnAccountWithoutAddressSkipsEntra() throws Exception {
        Path out = tmp.resolve("a");
        FleetOutputs.Written w = run(out, tmp.resolve("ta"), Manifest.parse("account\nalice@example.com\n", null,
                OathType.TOTP, 30), FleetFixture.options().withAlgorithm(HashAlgorithm.SHA256), FleetOutputs.Options.plain());
        assertFalse(Files.exists(out.resolve(FleetOutputs.ENTRA)));
        assertFalse(Files.exists(out.resolve(FleetOutputs.PAM_OATH)));
        assertTrue(w.notes().contains("users.oath was not written: pam_oath computes SHA-1 codes only, not SHA256"),
                w.notes().toString());

        Path out2 = tmp.resolve("b");
        FleetOutputs.Written w2 = run(out2, tmp.resolve("tb"), Manifest.parse("account,upn\nalice,\nbob,bob@corp.example\n",
                null, OathType.TOTP, 30), FleetFixture.options(), FleetOutputs.Options.plain());
        assertFalse(Files.exists(out2.resolve(FleetOutputs.ENTRA)));
        assertTrue(w2.notes().stream().anyMatch(n -> n.contains("account 'alice') has no UPN")), w2.notes().toString());

        Path out3 = tmp.resolve("c");
        run(out3, tmp.resolve("tc"), Manifest.parse("account,upn\nalice,alice@corp.example\n", null, OathType.TOTP, 30),
                FleetFixture.options(), FleetOutputs.Options.plain());
        List<String> entra = Files.readAllLines(out3.resolve(FleetOutputs.ENTRA));
        assertTrue(entra.get(1).startsWith("alice@corp.example,"), entra.toString());
        assertTrue(entra.get(1).endsWith(",30,TOTP Token,YKOATH Java Card"), "the default manufacturer and model");
    }

    @Test
    void askedForOutputsRefuseUnfitRowsWithTheirLines() {
        List<FleetRow> rows = Manifest.parse("account,user\nalice@example.com,alice\nbob,\ncarol@example.com,c:d\n",
                null, OathType.TOTP, 30);
        SeedParams sha1 = new SeedParams(OathType.TOTP, HashAlgorithm.SHA1, 6, 30, 0);
        RequiredOutputs.check(rows, sha1, false, false, "line");
        ManifestException e = assertThrows(ManifestException.class,
                () -> RequiredOutputs.check(rows, sha1, true, true, "line"));
        assertEquals(2, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("line 3: entra.csv needs a UPN"), e.problems().get(0));
        assertTrue(e.problems().get(1).startsWith("line 4: users.oath: user 'c:d' is not a login name"),
                e.problems().get(1));
        ManifestException eight = assertThrows(ManifestException.class, () -> RequiredOutputs.check(rows.subList(0, 1),
                new SeedParams(OathType.TOTP, HashAlgorithm.SHA1, 8, 30, 0), true, false, "line"));
        assertEquals(List.of("line 2: entra.csv: Entra ID has no digits column and takes 6-digit codes, not 8"),
                eight.problems());
        List<FleetRow> long100 = Manifest.parse("account,seed\nalice@example.com," + "ab".repeat(100) + "\n", null,
                OathType.TOTP, 30);
        ManifestException tooLong = assertThrows(ManifestException.class,
                () -> RequiredOutputs.check(long100, sha1, true, true, "line"));
        assertEquals(List.of("line 2: entra.csv: Entra ID takes secrets of at most 128 base32 characters (80 bytes),"
                + " not 100 bytes", "line 2: users.oath: pam_oath reads secrets of at most 32 bytes, not 100"),
                tooLong.problems());
        assertEquals(0, long100.get(0).seed()[0], "a refused row's seed is wiped");
    }

    @Test
    void aUpnColumnIsCheckedAsEveryServerField() {
        ManifestException e = assertThrows(ManifestException.class, () -> Manifest.parse(
                "account,upn\na,=cmd@x.example\nb,not-an-address\nc,c@corp.example\n", null, OathType.TOTP, 30));
        assertEquals(2, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("line 2: upn '=cmd@x.example' starts with"), e.problems().get(0));
        assertTrue(e.problems().get(1).startsWith("line 3: upn 'not-an-address' is not a user principal name"),
                e.problems().get(1));
        FleetException device = assertThrows(FleetException.class, () -> new EntraCsv.Device("Acme, Inc", "K"));
        assertTrue(device.getMessage().contains("comma"), device.getMessage());
        assertThrows(FleetException.class, () -> new EntraCsv.Device("Acme", "=HYPERLINK(1)"));
    }
}
