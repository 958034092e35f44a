package io.totptoken.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of {@link HostLayering} can fail: run over tokenctl's classes plus the deliberately
 * bad classes in src/test (named {@code *Violation}, one per broken rule, each in the package it
 * must not be written in), each rule reports its bad classes, and nothing of tokenctl's own.
 */
class LayeringRulesTest {
    private static final String VIOLATION = "Violation";

    /** tokenctl's main classes, as {@link LayeringTest} sees them, and the bad classes beside them. */
    private static final JavaClasses WITH_VIOLATIONS = new ClassFileImporter()
            .withImportOption(l -> new ImportOption.DoNotIncludeTests().includes(l) || l.contains(VIOLATION))
            .importPackages(HostLayering.HOST);

    static Stream<Arguments> rulesAndTheClassesBreakingThem() {
        return Stream.of(
                arguments("layers", HostLayering.LAYERS, List.of("provisioning.FleetInProvisioningViolation",
                        "session.ProvisioningInSessionViolation", "transport.SessionInTransportViolation")),
                arguments("provisioning to simulated", HostLayering.PROVISIONING_REACHES_SIMULATED_ONLY_TO_CONNECT,
                        List.of("provisioning.VirtualReaderInProvisioningViolation")),
                arguments("simulator", HostLayering.SIMULATOR_ONLY_IN_TRANSPORT_AND_SIMULATED,
                        List.of("cli.JCardSimInCliViolation")),
                arguments("hardware", HostLayering.HARDWARE_ONLY_IN_TRANSPORT,
                        List.of("provisioning.PcscInProvisioningViolation")),
                arguments("printing", HostLayering.ONLY_CLI_PRINTS_OR_EXITS,
                        List.of("fleet.PrintingInFleetViolation")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rulesAndTheClassesBreakingThem")
    void eachRuleReportsTheClassesBreakingItAndNoOthers(String what, ArchRule rule, List<String> breaking) {
        for (String name : breaking) {
            assertTrue(WITH_VIOLATIONS.contain(HostLayering.HOST + "." + name), name + " was not imported");
        }
        List<String> report = rule.evaluate(WITH_VIOLATIONS).getFailureReport().getDetails();
        assertFalse(report.isEmpty(), "the " + what + " rule reported nothing");
        for (String name : breaking) {
            assertTrue(report.stream().anyMatch(line -> line.contains(HostLayering.HOST + "." + name + ".")),
                    "the " + what + " rule did not report " + name + ": " + report);
        }
        assertTrue(report.stream().allMatch(line -> line.contains(VIOLATION)),
                "the " + what + " rule reported one of tokenctl's own classes: " + report);
    }

    /** A rule added to HostLayering gets a bad class here too. */
    @Test
    void everyRuleHasAClassBreakingIt() {
        assertEquals(HostLayering.ALL, rulesAndTheClassesBreakingThem().map(a -> a.get()[1]).toList());
    }
}
