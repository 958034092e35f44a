package io.totptoken.sim;

import com.licel.jcardsim.base.Simulator;
import io.totptoken.oath.OathApplet;
import io.totptoken.oath.Protocol;
import java.util.Arrays;
import java.util.function.LongSupplier;
import javacard.framework.AID;
import javacard.framework.Applet;
import javacard.framework.ISO7816;

/**
 * A token in this JVM: the OATH applet installed in jCardSim beside the platform applet
 * that offers the button and the real-time clock. {@link #transmit} takes and returns whole APDUs, as a reader would.
 *
 * <p>Where jCardSim differs from a card runtime this class behaves like the card: a SELECT
 * of an unknown AID answers 6A82, a SELECT of an AID prefix selects the instance it starts
 * (clients select the 7-byte OATH AID), and a transaction left open is aborted.
 */
public final class SimulatedToken {
    /** The instance AID; YKOATH clients select its first 7 bytes. */
    public static final byte[] OATH_AID = {(byte) 0xA0, 0x00, 0x00, 0x05, 0x27, 0x21, 0x01, 0x01};

    /**
     * Install parameters and device features.
     *
     * @param slots credential slots (1..221; SHA-512 credentials take two)
     * @param tries VALIDATE tries before lock-out
     * @param disabledEngines engines the applet must not use (bit 0 states, bit 1 native HMAC)
     * @param button whether the device has a button
     * @param touchTimeoutMillis how long the device waits for a press
     * @param serial the serial number written at personalisation (install parameter bytes 4-7)
     * @param clock whether the device has a real-time clock
     * @param driftPpm how fast the clock runs off the host's, in parts per million
     */
    public record Config(int slots, int tries, int disabledEngines, boolean button, long touchTimeoutMillis,
                         long serial, boolean clock, double driftPpm) {
        /** Defaults, with a random serial number as a factory would write one. */
        public static Config defaults() {
            return new Config(Protocol.DEFAULT_SLOTS, Protocol.DEFAULT_TRIES, 0, true, 15_000,
                    1 + new java.security.SecureRandom().nextInt(Integer.MAX_VALUE), true, 0);
        }

        public Config withSlots(int n) {
            return new Config(n, tries, disabledEngines, button, touchTimeoutMillis, serial, clock, driftPpm);
        }

        public Config withTries(int n) {
            return new Config(slots, n, disabledEngines, button, touchTimeoutMillis, serial, clock, driftPpm);
        }

        public Config withDisabledEngines(int mask) {
            return new Config(slots, tries, mask, button, touchTimeoutMillis, serial, clock, driftPpm);
        }

        public Config withButton(boolean present, long timeoutMillis) {
            return new Config(slots, tries, disabledEngines, present, timeoutMillis, serial, clock, driftPpm);
        }

        /** @param serial the serial number, 0 to 2^32 - 1 */
        public Config withSerial(long serial) {
            return new Config(slots, tries, disabledEngines, button, touchTimeoutMillis, serial, clock, driftPpm);
        }

        public Config withClock(boolean present, double driftPpm) {
            return new Config(slots, tries, disabledEngines, button, touchTimeoutMillis, serial, present, driftPpm);
        }
    }

    static {
        // jCardSim's RandomData repeats the same bytes in every JVM unless told to seed from
        // SecureRandom; a card's RNG does not, and IDs and challenges must differ.
        if (System.getProperty("com.licel.jcardsim.randomdata.secure") == null) {
            System.setProperty("com.licel.jcardsim.randomdata.secure", "1");
        }
    }

    /** SELECT by application ID (ISO 7816-4); the applet's Protocol has no SELECT, the JCRE answers it. */
    private static final byte P1_SELECT_BY_NAME = 0x04;
    private static final byte[] PLATFORM_AID = Protocol.PLATFORM_AID;

    private final Config config;
    private final TokenRuntime runtime = new TokenRuntime();
    private final Simulator simulator = new Simulator(runtime);
    private final SimulatedButton button;
    private final SimulatedClock clock;
    private final PlatformApplet.Peripherals peripherals;
    private int keyfobSelection;
    private final LongSupplier hostMillis;
    private final AID oathAid = new AID(OATH_AID, (short) 0, (byte) OATH_AID.length);

    public SimulatedToken() {
        this(Config.defaults());
    }

    public SimulatedToken(Config config) {
        this(config, OathApplet.class);
    }

    /** A token whose clock runs from hostMillis (tests freeze or move time). */
    public SimulatedToken(Config config, LongSupplier hostMillis) {
        this(config, OathApplet.class, hostMillis, null);
    }

    /** A token running another build of the applet classes (tests instrument them). */
    SimulatedToken(Config config, Class<? extends Applet> appletClass) {
        this(config, appletClass, System::currentTimeMillis, null);
    }

    /** Another build of the applet classes, with a clock that runs from hostMillis. */
    SimulatedToken(Config config, Class<? extends Applet> appletClass, LongSupplier hostMillis) {
        this(config, appletClass, hostMillis, null);
    }

    private SimulatedToken(Config config, Class<? extends Applet> appletClass, LongSupplier hostMillis,
                           long[] deviceState) {
        this.config = config;
        this.hostMillis = hostMillis;
        this.button = config.button() ? new SimulatedButton(config.touchTimeoutMillis()) : null;
        if (!config.clock()) {
            this.clock = null;
        } else if (deviceState == null) {
            this.clock = new SimulatedClock(hostMillis, config.driftPpm());
        } else {
            // The clock ran on while the token was stored, at its drifting rate, from the same base.
            this.clock = new SimulatedClock(hostMillis, deviceState[0], deviceState[1], config.driftPpm());
        }
        this.keyfobSelection = deviceState == null ? 0 : (int) deviceState[2];
        this.peripherals = new PlatformApplet.Peripherals(button, clock);
        if (config.button() || config.clock()) {
            simulator.installApplet(new AID(PLATFORM_AID, (short) 0, (byte) PLATFORM_AID.length),
                    PlatformApplet.class);
        }
        byte[] install = installData(config);
        simulator.installApplet(oathAid, appletClass, install, (short) 0, (byte) install.length);
    }

    /** Restores a token from {@link #saveState()}. */
    public static SimulatedToken fromState(byte[] image) {
        return fromState(image, System::currentTimeMillis);
    }

    /**
     * Restores a token whose clock runs from hostMillis.
     *
     * @throws DamagedStateException when the image is not one a token saved: every field is
     *     checked before it is used, so no image, however made, gets further than this
     */
    public static SimulatedToken fromState(byte[] image, LongSupplier hostMillis) {
        long[] p = StateImage.params(image);
        check(p[0] >= 1 && p[0] <= Protocol.MAX_SLOTS, "slots", p[0]);
        check(p[1] >= 1 && p[1] <= Byte.MAX_VALUE, "tries", p[1]);
        check(p[2] >= 0 && p[2] <= 0xFF, "disabled engines", p[2]);
        check(p[3] == 0 || p[3] == 1, "button", p[3]);
        check(p[4] >= 0 && p[4] <= 24 * 3600_000L, "touch timeout", p[4]);
        check(p[5] >= 0 && p[5] <= 0xFFFF_FFFFL, "serial number", p[5]);
        check(p[6] == 0 || p[6] == 1, "clock", p[6]);
        double drift = Double.longBitsToDouble(p[7]);
        check(Double.isFinite(drift) && Math.abs(drift) <= 1e6, "clock drift", p[7]);
        check(p[10] >= 0 && p[10] < p[0], "keyfob selection", p[10]);
        Config config = new Config((int) p[0], (int) p[1], (int) p[2], p[3] != 0, p[4], p[5], p[6] != 0, drift);
        try {
            SimulatedToken token = new SimulatedToken(config, OathApplet.class, hostMillis, new long[] {p[8], p[9], p[10]});
            token.restoreState(image);
            return token;
        } catch (DamagedStateException e) {
            throw e;
        } catch (RuntimeException e) {
            // The applet refused the recorded install parameters (jCardSim's SystemException):
            // the image is not one this firmware saved.
            throw new DamagedStateException("the applet cannot be installed as it records ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static void check(boolean ok, String what, long value) {
        if (!ok) {
            throw new DamagedStateException("it records " + what + " " + value + ", which no token has");
        }
    }

    public Config config() {
        return config;
    }

    /** The real-time clock, or null when the device has none. */
    public SimulatedClock clock() {
        return clock;
    }

    /** Which credential the keyfob's button shows (device memory, kept with the state). */
    synchronized int keyfobSelection() {
        return keyfobSelection;
    }

    synchronized void keyfobSelection(int index) {
        keyfobSelection = index;
    }

    /** The button, or null when the device has none. */
    public SimulatedButton button() {
        return button;
    }

    public synchronized byte[] transmit(byte[] apdu) {
        byte[] command = apdu;
        if (isSelectByName(apdu)) {
            command = selectInstalled(apdu);
            if (command == null) {
                return sw(ISO7816.SW_FILE_NOT_FOUND);
            }
        }
        if (!wellFormed(command)) {
            return sw(ISO7816.SW_WRONG_LENGTH);
        }
        PlatformApplet.DEVICE.set(peripherals);
        try {
            return simulator.transmitCommand(command);
        } finally {
            PlatformApplet.DEVICE.remove();
        }
    }

    /**
     * Whether a command may change the token's persistent memory, so a copy kept elsewhere
     * must be saved after it: everything but SELECT, LIST, SEND REMAINING, GET RESPONSE,
     * TOKEN INFO and GET CLOCK. (CALCULATE writes HOTP counters, CALCULATE ALL only-increasing
     * time steps, VALIDATE the retry counter.)
     */
    public static boolean mayChangeState(byte[] apdu) {
        if (apdu.length < 4) {
            return false;
        }
        byte ins = apdu[1];
        boolean select = ins == ISO7816.INS_SELECT && apdu[2] == P1_SELECT_BY_NAME;
        return !(select || ins == Protocol.INS_LIST || ins == Protocol.INS_SEND_REMAINING || ins == Protocol.INS_GET_RESPONSE
                || ins == Protocol.INS_TOKEN_INFO || ins == Protocol.INS_GET_CLOCK);
    }

    /** Cuts and restores power: RAM is cleared, nothing is selected, persistent memory stays. */
    public synchronized void powerCycle() {
        simulator.reset();
    }

    /**
     * The applet's persistent memory and install parameters, for {@link #fromState}. Two saves
     * of a token that nothing changed in between give the same bytes (the clock is stored as the
     * base it runs from, not as a reading), so a copy kept elsewhere needs rewriting only when they differ.
     */
    public synchronized byte[] saveState() {
        long[] clockBase = clock == null ? new long[2] : clock.base();
        long[] params = {config.slots(), config.tries(), config.disabledEngines(), config.button() ? 1 : 0,
            config.touchTimeoutMillis(), config.serial(), config.clock() ? 1 : 0,
            Double.doubleToLongBits(config.driftPpm()), clockBase[0], clockBase[1], keyfobSelection};
        return StateImage.capture(runtime.applet(oathAid), runtime.getTransientMemory(), params);
    }

    /**
     * Puts this token's persistent memory and device state back as {@link #saveState()} took
     * them, e.g. when that state could not be stored (a card whose write failed keeps its old
     * EEPROM). RAM stays: the application stays selected, so a client's next command works.
     */
    public synchronized void restore(byte[] image) {
        long[] p = StateImage.params(image);
        restoreState(image);
        keyfobSelection = (int) p[10];
        if (clock != null) {
            // From the same base, so the token saves the very image it was put back to.
            clock.base(p[8], p[9]);
        }
    }

    /** A copy of the applet's persistent byte array held in the named field (tests inspect key storage). */
    synchronized byte[] persistentBytes(String field) {
        return StateImage.arrays(runtime.applet(oathAid), runtime.getTransientMemory()).entrySet().stream()
                .filter(e -> e.getKey().endsWith("." + field) && e.getValue() instanceof byte[])
                .map(e -> (byte[]) e.getValue()).findFirst().orElseThrow();
    }

    private void restoreState(byte[] image) {
        StateImage.restore(runtime.applet(oathAid), runtime.getTransientMemory(), image);
    }

    /**
     * Whether the bytes are one of the ISO 7816-4 command cases (1, 2S/E, 3S/E, 4S/E). jCardSim
     * throws on the others; a card's runtime answers 6700, and so do we. That includes an
     * extended Lc above 32,767: Java Card's {@code ExtendedLength} takes no more, and jCardSim
     * reads Lc as a signed short.
     */
    static boolean wellFormed(byte[] apdu) {
        int n = apdu.length;
        if (n == 4 || n == 5) {
            return true;
        }
        if (n < 5) {
            return false;
        }
        int b4 = apdu[4] & 0xFF;
        if (b4 != 0) {
            return n == 5 + b4 || n == 6 + b4;
        }
        if (n < 7) {
            return false;
        }
        if (n == 7) {
            return true;
        }
        int lc = ((apdu[5] & 0xFF) << 8) | (apdu[6] & 0xFF);
        return lc != 0 && lc <= Short.MAX_VALUE && (n == 7 + lc || n == 9 + lc);
    }

    private static byte[] sw(short sw) {
        return new byte[] {(byte) (sw >> 8), (byte) sw};
    }

    private static byte[] installData(Config config) {
        // [AID length][AID][control length][control][parameters length][parameters]
        long serial = config.serial();
        byte[] params = {(byte) (config.slots() >> 8), (byte) config.slots(), (byte) config.tries(),
            (byte) config.disabledEngines(), (byte) (serial >> 24), (byte) (serial >> 16), (byte) (serial >> 8),
            (byte) serial};
        byte[] data = new byte[1 + OATH_AID.length + 1 + 1 + params.length];
        data[0] = (byte) OATH_AID.length;
        System.arraycopy(OATH_AID, 0, data, 1, OATH_AID.length);
        data[1 + OATH_AID.length] = 0;
        data[2 + OATH_AID.length] = (byte) params.length;
        System.arraycopy(params, 0, data, 3 + OATH_AID.length, params.length);
        return data;
    }

    private static boolean isSelectByName(byte[] apdu) {
        return apdu.length >= 5 && (apdu[0] & 0xFC) == 0 && apdu[1] == ISO7816.INS_SELECT && apdu[2] == P1_SELECT_BY_NAME;
    }

    /** The SELECT rewritten to the full instance AID it names by prefix, or null for no match. */
    private byte[] selectInstalled(byte[] apdu) {
        int lc = apdu[4] & 0xFF;
        if (lc == 0 || apdu.length < 5 + lc) {
            return null;
        }
        byte[] aid = Arrays.copyOfRange(apdu, 5, 5 + lc);
        if (!startsWith(OATH_AID, aid)) {
            return null;
        }
        byte[] full = new byte[5 + OATH_AID.length + 1];
        System.arraycopy(apdu, 0, full, 0, 4);
        full[4] = (byte) OATH_AID.length;
        System.arraycopy(OATH_AID, 0, full, 5, OATH_AID.length);
        full[full.length - 1] = 0;
        return full;
    }

    private static boolean startsWith(byte[] whole, byte[] prefix) {
        return prefix.length <= whole.length && Arrays.equals(whole, 0, prefix.length, prefix, 0, prefix.length);
    }
}
