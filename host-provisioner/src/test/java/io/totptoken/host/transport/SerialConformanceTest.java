package io.totptoken.host.transport;

import io.totptoken.conformance.CardClient;
import io.totptoken.conformance.ConformanceSuite;
import io.totptoken.serial.PtyPair;
import io.totptoken.sim.SimulatedToken;
import io.totptoken.sim.serial.SerialDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance suite (the conformance module) over the serial link: a simulated device on
 * one end of a pty pair (socat), the host's SerialTransport on the other.
 */
class SerialConformanceTest extends ConformanceSuite {
    private static PtyPair pty;
    private static SerialDevice device;
    private static SerialTransport link;

    @BeforeAll
    static void connectOverAPtyPair() throws Exception {
        pty = PtyPair.create(Files.createTempDirectory("serial-conformance"));
        device = new SerialDevice(new SimulatedToken()).start(pty.a());
        link = SerialTransport.open(pty.b());
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (link != null) {
            link.close();
        }
        if (device != null) {
            device.stop();
        }
        if (pty != null) {
            pty.close();
        }
    }

    @Override
    protected CardClient connect() {
        return new CardClient(link::transmit);
    }
}
