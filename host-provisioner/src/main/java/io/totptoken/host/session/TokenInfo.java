package io.totptoken.host.session;

/**
 * What TOKEN INFO (our extension, INS E1) reports: firmware version, capacity, password state,
 * the HMAC engine per algorithm (1 precomputed states, 2 native HMAC, 3 digest HMAC, 0 none),
 * whether the device has a button, and the serial number written at personalisation (it
 * survives reset, unlike the YKOATH device ID).
 */
public record TokenInfo(String firmwareVersion, int slotsTotal, int slotsUsed, int credentials,
                        boolean passwordSet, int triesLeft, int triesMax, int[] engines, boolean button,
                        long serial) {
    public int slotsFree() {
        return slotsTotal - slotsUsed;
    }

    /** Whether the token can take precomputed HMAC states for the algorithm code. */
    public boolean takesStates(int algorithm) {
        return algorithm >= 1 && algorithm <= engines.length && engines[algorithm - 1] == 1;
    }
}
