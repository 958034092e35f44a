package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.totptoken.host.provisioning.CardName;
import io.totptoken.host.provisioning.OathType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * Any text may be handed in as a manifest: parsing gives rows every output can hold, or throws
 * {@link ManifestException} with one line per problem; never another exception. A row's name fits
 * the token and its user, realm and resolver fit the server CSVs. Seeds live in
 * src/test/resources/.../ManifestFuzzTestInputs/parse.
 */
@Tag("slow")
class ManifestFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        List<FleetRow> rows;
        try {
            rows = Manifest.parse(text, "Example", OathType.TOTP, 30);
        } catch (ManifestException e) {
            assertFalse(e.problems().isEmpty());
            e.problems().forEach(p -> assertFalse(p.contains("\n") || p.contains("\r"), "one line per problem: " + p));
            return;
        }
        assertFalse(rows.isEmpty());
        for (FleetRow r : rows) {
            assertFalse(r.account().isEmpty());
            assertTrue(r.serial() == null || (r.serial() >= 0 && r.serial() <= Manifest.MAX_SERIAL));
            assertTrue(r.seed() == null || (r.seed().length >= SeedText.MIN_BYTES && r.seed().length <= SeedText.MAX_BYTES));
            String issuer = r.issuer() != null ? r.issuer() : "Example";
            assertTrue(CardName.encode(OathType.TOTP, 30, issuer.strip(), r.account()).length <= CardName.MAX_LENGTH);
            assertNull(Csv.serverFieldProblem("user", r.user()), r.toString());
            assertNull(Csv.serverFieldProblem("realm", r.realm()), r.toString());
            assertNull(Csv.serverFieldProblem("resolver", r.resolver()), r.toString());
        }
    }
}
