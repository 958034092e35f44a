package io.totptoken.host.session;

/**
 * What TOKEN INFO (our extension, INS E1) reports: firmware version, capacity, password state,
 * the HMAC engine per algorithm (1 precomputed states, 2 native HMAC, 3 digest HMAC, 0 none),
 * whether the device has a button, the serial number written at personalisation (it
 * survives reset, unlike the YKOATH device ID), and the longest TOTP period the token takes in
 * tag D2 (tag 8A; firmware 0.1.0 does not report it and takes up to 65,535 s).
 */
public record TokenInfo(String firmwareVersion, int slotsTotal, int slotsUsed, int credentials,
                        boolean passwordSet, int triesLeft, int triesMax, int[] engines, boolean button,
                        long serial, long maxPeriod) {
    /** What a token whose TOKEN INFO has no tag 8A takes in D2: 2 bytes. */
    public static final long MAX_PERIOD_WITHOUT_TAG = 65_535;

    public int slotsFree() {
        return slotsTotal - slotsUsed;
    }

    /** Whether the token can store this TOTP period itself (tag D2), so its own clock's codes use it. */
    public boolean takesPeriod(int period) {
        return period >= 1 && period <= maxPeriod;
    }

    /** Whether the token can take precomputed HMAC states for the algorithm code. */
    public boolean takesStates(int algorithm) {
        return algorithm >= 1 && algorithm <= engines.length && engines[algorithm - 1] == 1;
    }
}
