package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationAssemblerTest {

    static CredentialSpec account(String name) {
        return new CredentialSpec(OathType.TOTP, HashAlgorithm.SHA1, 6, 30, 0, "Example", name,
                name.getBytes(StandardCharsets.UTF_8), false);
    }

    static List<MigrationBatch> export(int batchId, int size) {
        List<MigrationBatch> batches = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            batches.add(new MigrationBatch(batchId, i, size, List.of(account("user" + i + "a"), account("user" + i + "b"))));
        }
        return batches;
    }

    @Test
    void assemblesBatchesGivenInAnyOrderAndIgnoresRepeats() {
        List<MigrationBatch> batches = export(77, 3);
        MigrationAssembler assembler = new MigrationAssembler();
        assembler.add(batches.get(2));
        assembler.add(batches.get(0));
        assembler.add(batches.get(2));
        assembler.add(batches.get(1));
        assertTrue(assembler.isComplete());
        List<String> accounts = assembler.credentials().stream().map(CredentialSpec::account).toList();
        assertEquals(List.of("user0a", "user0b", "user1a", "user1b", "user2a", "user2b"), accounts);
    }

    @Test
    void reportsTheMissingBatchCountedFromOne() {
        List<MigrationBatch> batches = export(77, 3);
        MigrationAssembler assembler = new MigrationAssembler();
        assembler.add(batches.get(0));
        assembler.add(batches.get(2));
        assertFalse(assembler.isComplete());
        assertEquals(List.of("export batch 2 of 3 is missing"), assembler.missing());
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class, assembler::credentials);
        assertEquals("export batch 2 of 3 is missing; scan every QR code that Google Authenticator shows for the export",
                e.getMessage());
    }

    @Test
    void reportsSeveralMissingBatchesAndSeveralExports() {
        MigrationAssembler assembler = new MigrationAssembler();
        assembler.add(export(1, 4).get(1));
        assembler.add(export(2, 2).get(0));
        assembler.add(export(2, 2).get(1));
        assembler.add(export(3, 30).get(0));
        assertEquals(List.of("export batches 1, 3 and 4 of 4 (export id 1) are missing",
                "export batches 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 19 more of 30 (export id 3) are missing"),
                assembler.missing());
    }

    @Test
    void refusesBatchesOfOneExportThatDisagreeOnTheCount() {
        MigrationAssembler assembler = new MigrationAssembler();
        assembler.add(export(5, 2).get(0));
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class,
                () -> assembler.add(export(5, 3).get(1)));
        assertTrue(e.getMessage().contains("claim 2 and 3 batches"), e.getMessage());
    }

    @Test
    void encodedBatchesFromSeveralUrisAssemble() {
        MigrationAssembler assembler = new MigrationAssembler();
        for (MigrationBatch batch : export(-12345, 3)) {
            assembler.add(GoogleMigration.decode(GoogleMigration.encode(batch)));
        }
        assertEquals(6, assembler.credentials().size());
    }

    /** An export as an encoder without batch fields writes it: only otp_parameters. */
    static String exportWithoutBatchFields(String account) {
        return GoogleMigrationTest.uriOf(payload(account).toByteArray());
    }

    private static ProtobufWriter payload(String account) {
        ProtobufWriter otp = new ProtobufWriter();
        otp.writeBytes(1, (account + "-secret-bytes").getBytes(StandardCharsets.UTF_8));
        otp.writeString(2, "Example:" + account);
        otp.writeString(3, "Example");
        otp.writeVarint(6, 2); // TOTP
        ProtobufWriter payload = new ProtobufWriter();
        payload.writeMessage(1, otp);
        return payload;
    }

    /** Batch {@code index} of two, with a batch id written as a full 64-bit varint. */
    private static MigrationBatch batchWithId(String account, long batchId, int index) {
        ProtobufWriter payload = payload(account);
        payload.writeVarint(3, 2);
        payload.writeVarint(4, index);
        payload.writeVarint(5, batchId);
        return GoogleMigration.decodePayload(payload.toByteArray());
    }

    @Test
    void keepsEveryExportThatHasNoBatchFields() {
        List<CredentialSpec> specs = CredentialSource.read(List.of(exportWithoutBatchFields("alice"),
                exportWithoutBatchFields("bob"), exportWithoutBatchFields("alice")));
        assertEquals(List.of("alice", "bob"), specs.stream().map(CredentialSpec::account).toList());
    }

    @Test
    void batchIdsThatAgreeInTheirLow32BitsAreTwoExports() {
        long high = (1L << 32) + 1;
        MigrationBatch first = batchWithId("one", 1, 0);
        MigrationBatch other = batchWithId("two", high, 1);
        assertEquals(high, other.batchId());
        MigrationAssembler assembler = new MigrationAssembler();
        assembler.add(first);
        assembler.add(other);
        assertEquals(List.of("export batch 2 of 2 (export id 1) is missing",
                "export batch 1 of 2 (export id 4294967297) is missing"), assembler.missing());
    }
}
