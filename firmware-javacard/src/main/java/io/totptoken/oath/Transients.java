package io.totptoken.oath;

import javacard.framework.JCSystem;

/**
 * All of the applet's RAM: every CLEAR_ON_DESELECT array is allocated here, once, at install,
 * and nowhere else in the package. (Persistent memory is {@link CredentialStore},
 * {@link DeviceState} and {@link DeviceClock}; the native HMAC engine's transient key is a
 * key object {@link HmacEngine} builds.)
 *
 * <p>Most of it belongs to one class for good: the TLV reader's position, the response chain,
 * the record header being assembled, the HMAC and SHA work areas (those run while a command's
 * scratch is live, so they cannot share it). The {@link #scratch} buffer instead holds the
 * working values of one command at a time, laid out by the table below.
 *
 * <p><b>The scratch table.</b> Each view is the layout of one kind of command: a run of fields
 * laid end to end, every offset the previous one plus that field's named size, and
 * {@code <VIEW>_SIZE} where the last one ends; so two fields of one view cannot overlap. The
 * views share bytes (each starts at 0) because they never live at the same time: a command
 * uses one view and reads only what it wrote there itself during the same command, so what
 * another command left behind is never read. Secrets (key material, MACs, counters) are wiped
 * before the command returns. {@code TransientsTest} checks the table: each view contiguous
 * from 0, its size where it ends, and within {@link #SCRATCH_SIZE}, the size allocated.
 * <ul>
 * <li>{@code PUT_}: PUT, parsed: the credential's key material, initial counter, period, type,
 * digits, properties, and where its name is in the APDU buffer. Then it is stored.</li>
 * <li>{@code KEY_}: SET CODE and the engine probe at install: HMAC key material and a MAC
 * made with it.</li>
 * <li>{@code CODE_}: CALCULATE: the challenge (or the time step from the clock), the clock's
 * time, the period and the seconds the code stays valid, the HOTP counter and its successor,
 * the MAC. VALIDATE takes the challenge and the MAC; SET CLOCK the time.</li>
 * <li>{@code RESET_}: RESET and install: the new random ID (install stores it before its
 * engine probe takes the KEY_ view).</li>
 * </ul>
 */
final class Transients {
    // ---- PUT ----
    static final short PUT_MATERIAL = 0;
    /** The key material of one credential: two halves of up to a SHA-512 block. */
    static final short PUT_MATERIAL_SIZE = HmacEngine.BLOCK_MAX;
    static final short PUT_COUNTER = (short) (PUT_MATERIAL + PUT_MATERIAL_SIZE);
    static final short PUT_COUNTER_SIZE = Protocol.COUNTER_LENGTH;
    static final short PUT_PERIOD = (short) (PUT_COUNTER + PUT_COUNTER_SIZE);
    static final short PUT_PERIOD_SIZE = Protocol.PERIOD_LENGTH;
    static final short PUT_TYPE_ALG = (short) (PUT_PERIOD + PUT_PERIOD_SIZE);
    static final short PUT_TYPE_ALG_SIZE = 1;
    static final short PUT_DIGITS = (short) (PUT_TYPE_ALG + PUT_TYPE_ALG_SIZE);
    static final short PUT_DIGITS_SIZE = 1;
    static final short PUT_PROPS = (short) (PUT_DIGITS + PUT_DIGITS_SIZE);
    static final short PUT_PROPS_SIZE = 1;
    /** Offset and length of the name, a short each: the name itself stays in the APDU buffer. */
    static final short PUT_NAME_AT = (short) (PUT_PROPS + PUT_PROPS_SIZE);
    static final short PUT_NAME_AT_SIZE = 2;
    static final short PUT_NAME_LENGTH = (short) (PUT_NAME_AT + PUT_NAME_AT_SIZE);
    static final short PUT_NAME_LENGTH_SIZE = 2;
    static final short PUT_SIZE = (short) (PUT_NAME_LENGTH + PUT_NAME_LENGTH_SIZE);

    // ---- SET CODE, engine probe ----
    static final short KEY_MATERIAL = 0;
    static final short KEY_MATERIAL_SIZE = HmacEngine.BLOCK_MAX;
    static final short KEY_MAC = (short) (KEY_MATERIAL + KEY_MATERIAL_SIZE);
    static final short KEY_MAC_SIZE = HmacEngine.HASH_MAX;
    static final short KEY_SIZE = (short) (KEY_MAC + KEY_MAC_SIZE);

    // ---- CALCULATE, VALIDATE, SET CLOCK ----
    static final short CODE_CHALLENGE = 0;
    static final short CODE_CHALLENGE_SIZE = Protocol.MAX_CHALLENGE;
    static final short CODE_TIME = (short) (CODE_CHALLENGE + CODE_CHALLENGE_SIZE);
    static final short CODE_TIME_SIZE = Protocol.TIME_LENGTH;
    static final short CODE_PERIOD = (short) (CODE_TIME + CODE_TIME_SIZE);
    static final short CODE_PERIOD_SIZE = Protocol.PERIOD_LENGTH;
    /** Seconds the code stays valid, as wide as a period. */
    static final short CODE_VALID_FOR = (short) (CODE_PERIOD + CODE_PERIOD_SIZE);
    static final short CODE_VALID_FOR_SIZE = Protocol.PERIOD_LENGTH;
    static final short CODE_COUNTER = (short) (CODE_VALID_FOR + CODE_VALID_FOR_SIZE);
    static final short CODE_COUNTER_SIZE = Protocol.COUNTER_LENGTH;
    static final short CODE_NEXT_COUNTER = (short) (CODE_COUNTER + CODE_COUNTER_SIZE);
    static final short CODE_NEXT_COUNTER_SIZE = Protocol.COUNTER_LENGTH;
    static final short CODE_MAC = (short) (CODE_NEXT_COUNTER + CODE_NEXT_COUNTER_SIZE);
    static final short CODE_MAC_SIZE = HmacEngine.HASH_MAX;
    static final short CODE_SIZE = (short) (CODE_MAC + CODE_MAC_SIZE);

    // ---- RESET, install ----
    static final short RESET_ID = 0;
    static final short RESET_ID_SIZE = Protocol.ID_LENGTH;
    static final short RESET_SIZE = (short) (RESET_ID + RESET_ID_SIZE);

    /** Bytes of {@link #scratch}: the longest view (KEY_: a SHA-512 block and a SHA-512 MAC). */
    static final short SCRATCH_SIZE = KEY_SIZE;

    /** One command's working values, laid out by the table above. */
    final byte[] scratch;
    /** {@link Tlv}'s reading position and the TLV last read. */
    final short[] tlvState;
    /** {@link AccessCommands}: authenticated and challenge-issued flags, and the challenge SELECT gave. */
    final byte[] accessFlags;
    final byte[] cardChallenge;
    /** {@link ResponseChain}: its position, the entry going out, the CALCULATE ALL challenge. */
    final short[] chainState;
    final byte[] chainEntry;
    final byte[] chainChallenge;
    /** {@link CredentialStore}: a record header being assembled, a bitmap of slots in use. */
    final byte[] recordHeader;
    final byte[] usedSlots;
    /** {@link HmacEngine}: one hash block, then one hash output. */
    final byte[] hmacWork;
    /** {@link ShaCompressor}: chaining value, working variables, schedule, temporaries. */
    final short[] shaWords;

    Transients(short slots) {
        scratch = bytes(SCRATCH_SIZE);
        tlvState = JCSystem.makeTransientShortArray(Tlv.STATE_SIZE, JCSystem.CLEAR_ON_DESELECT);
        accessFlags = bytes(AccessCommands.FLAGS_SIZE);
        cardChallenge = bytes(Protocol.CHALLENGE_LENGTH);
        chainState = JCSystem.makeTransientShortArray(ResponseChain.STATE_SIZE, JCSystem.CLEAR_ON_DESELECT);
        chainEntry = bytes(ResponseChain.ENTRY_MAX);
        chainChallenge = bytes(Protocol.CHALLENGE_LENGTH);
        recordHeader = bytes(CredentialStore.HEADER);
        usedSlots = bytes((short) ((short) (slots + 7) / 8));
        hmacWork = bytes(HmacEngine.WORK_SIZE);
        shaWords = JCSystem.makeTransientShortArray(ShaCompressor.WORK_SIZE, JCSystem.CLEAR_ON_DESELECT);
    }

    private static byte[] bytes(short length) {
        return JCSystem.makeTransientByteArray(length, JCSystem.CLEAR_ON_DESELECT);
    }
}
