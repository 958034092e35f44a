package io.totptoken.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Benchmarks live in the bench module: tokenctl.jar carries none of their classes, nor JMH. */
class NoBenchmarksInProductTest {
    @Test
    void theFormerBenchmarkClassesAreNotInTheProduct() {
        for (String name : List.of("io.totptoken.host.bench.CardBench", "io.totptoken.host.bench.SerialBench",
                "io.totptoken.host.bench.Throughput", "io.totptoken.host.fleet.FleetBench", "org.openjdk.jmh.Main")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(name), name + " is on the product's class path");
        }
    }

    @Test
    void noProductClassIsABenchmark() throws Exception {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isRegularFile(classes.resolve("io/totptoken/host/cli/Main.class")),
                "not the main classes directory: " + classes);
        try (Stream<Path> files = Files.walk(classes)) {
            List<String> benches = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> classes.relativize(p).toString())
                    .filter(p -> p.toLowerCase(Locale.ROOT).contains("bench"))
                    .toList();
            assertEquals(List.of(), benches, "benchmark classes in " + classes);
        }
    }
}
