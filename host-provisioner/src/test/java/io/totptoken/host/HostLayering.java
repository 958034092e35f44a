package io.totptoken.host;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.List;

/**
 * The package rules of README.md's Layout, over tokenctl's class files (every dependency the
 * compiler left there: imports, fully qualified names, casts, method calls), checked by
 * {@link LayeringTest}; {@link LayeringRulesTest} shows each of them reporting a bad class.
 *
 * <p>Layers, top to bottom; a layer uses only the ones below it (and itself):
 * <pre>
 * cli
 * provisioning (with provisioning.imports), fleet, simulated
 * session
 * apdu
 * transport
 * storage
 * </pre>
 * The middle layer is three packages with their own arrows: fleet uses provisioning and
 * provisioning never fleet; simulated drives both (a simulated token is a provisioning target,
 * a simulated fleet a fleet's token source) and fleet never names it; provisioning reaches
 * simulated only through {@code SimulatedConnector}, to open a simulated target, which keeps
 * jCardSim unloaded until one is used. provisioning.imports (authenticator apps' exports) is
 * part of provisioning. storage (the atomic replacement of files holding secrets, a simulated
 * token's state file) sits below them all: transport stores simulated tokens with it. The serial
 * link (module serial-link, {@code io.totptoken.serial}) is spoken by transport and simulated;
 * provisioning only reads a device's {@code DeviceIdentity} from it, so it is no layer here.
 *
 * <p>Across the layers: the simulator and jCardSim ({@code io.totptoken.sim}, {@code com.licel.jcardsim},
 * {@code javacard.*}) are used by transport and simulated only, PC/SC and jSerialComm by transport
 * only, and only cli prints or picks exit codes.
 */
public final class HostLayering {
    static final String HOST = "io.totptoken.host";
    static final String SIMULATOR_CONNECTOR = HOST + ".simulated.SimulatedConnector";

    private HostLayering() {
    }

    /** cli → provisioning/fleet/simulated → session → apdu → transport → storage; no arrow back up. */
    public static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("cli").definedBy(HOST + ".cli..")
            .layer("provisioning").definedBy(HOST + ".provisioning..")
            .layer("fleet").definedBy(HOST + ".fleet..")
            .layer("simulated").definedBy(HOST + ".simulated..")
            .layer("session").definedBy(HOST + ".session..")
            .layer("apdu").definedBy(HOST + ".apdu..")
            .layer("transport").definedBy(HOST + ".transport..")
            .layer("storage").definedBy(HOST + ".storage..")
            .whereLayer("provisioning").mayOnlyAccessLayers("simulated", "session", "apdu", "transport", "storage")
            .whereLayer("fleet").mayOnlyAccessLayers("provisioning", "session", "apdu", "transport", "storage")
            .whereLayer("simulated").mayOnlyAccessLayers("provisioning", "fleet", "session", "apdu", "transport", "storage")
            .whereLayer("session").mayOnlyAccessLayers("apdu", "transport", "storage")
            .whereLayer("apdu").mayOnlyAccessLayers("transport", "storage")
            .whereLayer("transport").mayOnlyAccessLayers("storage")
            .whereLayer("storage").mayNotAccessAnyLayer()
            .because("README.md's Layout: cli -> provisioning/fleet -> session -> apdu -> transport, storage below them all");

    /** provisioning opens simulated tokens through SimulatedConnector and uses nothing else of simulated. */
    public static final ArchRule PROVISIONING_REACHES_SIMULATED_ONLY_TO_CONNECT = noClasses()
            .that().resideInAPackage(HOST + ".provisioning..")
            .should().dependOnClassesThat(resideInAPackage(HOST + ".simulated..").and(not(name(SIMULATOR_CONNECTOR))))
            .because("the simulated package serves provisioning only by opening a simulated target (SimulatedConnector)");

    /** The simulator and jCardSim are driven from transport (SimulatorTransport) and simulated only. */
    public static final ArchRule SIMULATOR_ONLY_IN_TRANSPORT_AND_SIMULATED = noClasses()
            .that().resideOutsideOfPackages(HOST + ".transport..", HOST + ".simulated..")
            .should().dependOnClassesThat().resideInAnyPackage("io.totptoken.sim..", "com.licel.jcardsim..",
                    "javacard..", "javacardx..")
            .because("only transport and simulated touch the simulator or jCardSim (README.md, Layout)");

    /** PC/SC and serial ports are reached by transport classes only. */
    public static final ArchRule HARDWARE_ONLY_IN_TRANSPORT = noClasses()
            .that().resideOutsideOfPackage(HOST + ".transport..")
            .should().dependOnClassesThat().resideInAnyPackage("javax.smartcardio..", "com.fazecast..")
            .because("only transport classes touch javax.smartcardio or jSerialComm (README.md, Layout)");

    /** Output, stack traces and exit codes are the CLI's: the layers below return values or throw. */
    public static final ArchRule ONLY_CLI_PRINTS_OR_EXITS = noClasses()
            .that().resideOutsideOfPackage(HOST + ".cli..")
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .orShould().callMethod(System.class, "exit", int.class)
            .orShould().callMethod(Runtime.class, "exit", int.class)
            .orShould().callMethod(Runtime.class, "halt", int.class)
            .because("only the CLI prints or picks exit codes (README.md, Layout)");

    public static final List<ArchRule> ALL = List.of(LAYERS, PROVISIONING_REACHES_SIMULATED_ONLY_TO_CONNECT,
            SIMULATOR_ONLY_IN_TRANSPORT_AND_SIMULATED, HARDWARE_ONLY_IN_TRANSPORT, ONLY_CLI_PRINTS_OR_EXITS);
}
