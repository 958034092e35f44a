package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.totptoken.host.provisioning.CredentialSpec;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * Any bytes may be handed in as a PSKC file, plain or encrypted with a pre-shared key: reading
 * gives entries a token can take, or throws {@link FleetException} (a {@link ManifestException}
 * listing bad KeyPackages one line each); never another exception or an Error (deep nesting,
 * odd numbers, bad base64). Seeds live in src/test/resources/.../PskcReaderFuzzTestInputs/read.
 */
@Tag("slow")
class PskcReaderFuzzTest {
    static final byte[] KEY = HexFormat.of().parseHex("12345678901234567890123456789012");

    @FuzzTest(maxDuration = "15s")
    void read(byte[] xml) {
        for (PskcProtection unlock : List.of(PskcProtection.none(), new PskcProtection.PreSharedKey(KEY, null))) {
            List<SeedEntry> entries;
            try {
                entries = PskcReader.read(xml, unlock);
            } catch (ManifestException e) {
                assertFalse(e.problems().isEmpty());
                e.problems().forEach(p -> assertFalse(p.contains("\n"), "one line per problem: " + p));
                continue;
            } catch (FleetException e) {
                assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
                continue;
            }
            for (SeedEntry e : entries) {
                CredentialSpec spec = e.spec(); // the constructor refuses what a token cannot take
                assertTrue(spec.digits() >= 6 && spec.digits() <= 8 && spec.period() > 0, e.toString());
                assertTrue(e.serial() != null);
            }
            assertEquals(entries.size(), entries.stream().filter(e -> e.secret().length > 0).count());
        }
    }
}
