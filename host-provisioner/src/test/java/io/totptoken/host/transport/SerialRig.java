package io.totptoken.host.transport;

import io.totptoken.serial.PtyPair;
import io.totptoken.sim.SimulatedToken;
import io.totptoken.sim.serial.SerialDevice;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A simulated serial token and the host end of its line, for tests: the device on one end of a
 * pty pair, the host on the other; with a relay, two pairs and a {@link SerialFaultRelay}
 * between them. socat must be installed (CI installs it); without it the tests fail, saying so.
 */
final class SerialRig implements AutoCloseable {
    final SimulatedToken token;
    final PtyPair devicePair;
    final PtyPair hostPair;
    final SerialFaultRelay relay;
    SerialDevice device;

    private SerialRig(SimulatedToken token, PtyPair devicePair, PtyPair hostPair, SerialFaultRelay relay) {
        this.token = token;
        this.devicePair = devicePair;
        this.hostPair = hostPair;
        this.relay = relay;
    }

    /** Device and host on the two ends of one pty pair. */
    static SerialRig direct(Path dir, SimulatedToken token) throws Exception {
        PtyPair pair = PtyPair.create(Files.createDirectories(dir.resolve("line")));
        SerialRig rig = new SerialRig(token, pair, pair, null);
        rig.device = new SerialDevice(token).start(pair.a());
        return rig;
    }

    /** Device on pair 1, the relay between pair 1 and pair 2, the host on pair 2. */
    static SerialRig relayed(Path dir, SimulatedToken token, long seed) throws Exception {
        PtyPair one = PtyPair.create(Files.createDirectories(dir.resolve("device-side")));
        PtyPair two = PtyPair.create(Files.createDirectories(dir.resolve("host-side")));
        SerialRig rig = new SerialRig(token, one, two, new SerialFaultRelay(one.b(), two.a(), seed));
        rig.device = new SerialDevice(token).start(one.a());
        return rig;
    }

    /** Where the host opens the token. */
    String hostPort() {
        return hostPair.b();
    }

    SerialTransport open() {
        return SerialTransport.open(hostPort());
    }

    SerialTransport open(SerialTransport.Options options) {
        return SerialTransport.open(hostPort(), options);
    }

    @Override
    public void close() throws Exception {
        if (device != null) {
            device.stop();
        }
        if (relay != null) {
            relay.close();
        }
        devicePair.close();
        hostPair.close();
    }
}
