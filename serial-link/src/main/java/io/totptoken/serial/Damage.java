package io.totptoken.serial;

/** Why received bytes were not taken as a frame (docs/serial-protocol.md section 4). */
public enum Damage {
    /** Fewer bytes between two flags than a header and a CRC. */
    TOO_SHORT,
    /** More bytes than the receiver's largest frame: dropped up to the next flag. */
    TOO_LONG,
    /** An escape byte followed by something other than an escaped FLAG or ESCAPE. */
    BAD_ESCAPE,
    /** The length field does not match the bytes received. */
    LENGTH_MISMATCH,
    /** The CRC does not match. */
    BAD_CRC,
    /** A frame stopped arriving in the middle (no byte for the inter-byte timeout). */
    TRUNCATED
}
