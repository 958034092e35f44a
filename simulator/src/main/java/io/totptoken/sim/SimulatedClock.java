package io.totptoken.sim;

import java.util.function.LongSupplier;

/**
 * The device's real-time clock: runs from the host's clock at a rate off by a drift in parts
 * per million, and can be set. Time moves on between runs as the host's clock does.
 */
public final class SimulatedClock {
    private final LongSupplier hostMillis;
    private long baseDevice;
    private long baseHost;
    private double driftPpm;

    /** A clock that reads what the host's clock reads now, drifting by driftPpm. */
    public SimulatedClock(LongSupplier hostMillis, double driftPpm) {
        this(hostMillis, hostMillis.getAsLong(), driftPpm);
    }

    SimulatedClock(LongSupplier hostMillis, long deviceMillis, double driftPpm) {
        this(hostMillis, deviceMillis, hostMillis.getAsLong(), driftPpm);
    }

    /** A clock that read deviceMillis when the host's clock read hostAtDevice (a stored clock). */
    SimulatedClock(LongSupplier hostMillis, long deviceMillis, long hostAtDevice, double driftPpm) {
        this.hostMillis = hostMillis;
        this.baseHost = hostAtDevice;
        this.baseDevice = deviceMillis;
        this.driftPpm = driftPpm;
    }

    /**
     * The pair the clock runs from: device time and the host's time at that moment. Stored
     * rather than a reading, it stays the same until the clock is set, so an unchanged token
     * saves an unchanged image.
     */
    synchronized long[] base() {
        return new long[] {baseDevice, baseHost};
    }

    /** Runs from a pair {@link #base()} gave again (a token put back as it was saved). */
    synchronized void base(long device, long host) {
        baseDevice = device;
        baseHost = host;
    }

    /** Device time in Unix milliseconds. */
    public synchronized long millis() {
        long elapsed = hostMillis.getAsLong() - baseHost;
        return baseDevice + Math.round(elapsed * (1 + driftPpm / 1e6));
    }

    public synchronized void set(long deviceMillis) {
        baseHost = hostMillis.getAsLong();
        baseDevice = deviceMillis;
    }

    public synchronized void setDriftPpm(double ppm) {
        set(millis());
        driftPpm = ppm;
    }

    public synchronized double driftPpm() {
        return driftPpm;
    }
}
