package io.totptoken.host;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** tokenctl's own classes (src/main, not the tests) keep the package rules of {@link HostLayering}. */
@AnalyzeClasses(packages = HostLayering.HOST, importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {
    @ArchTest
    static final ArchRule layersUseOnlyTheLayersBelow = HostLayering.LAYERS;

    @ArchTest
    static final ArchRule provisioningReachesSimulatedOnlyToConnect = HostLayering.PROVISIONING_REACHES_SIMULATED_ONLY_TO_CONNECT;

    @ArchTest
    static final ArchRule onlyTransportAndSimulatedTouchTheSimulator = HostLayering.SIMULATOR_ONLY_IN_TRANSPORT_AND_SIMULATED;

    @ArchTest
    static final ArchRule onlyTransportTouchesPcscOrSerialPorts = HostLayering.HARDWARE_ONLY_IN_TRANSPORT;

    @ArchTest
    static final ArchRule onlyTheCliPrintsOrExits = HostLayering.ONLY_CLI_PRINTS_OR_EXITS;
}
