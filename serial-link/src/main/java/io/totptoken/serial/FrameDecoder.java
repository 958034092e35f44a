package io.totptoken.serial;

import static io.totptoken.serial.SerialProtocol.ESCAPE;
import static io.totptoken.serial.SerialProtocol.ESCAPE_XOR;
import static io.totptoken.serial.SerialProtocol.FLAG;
import static io.totptoken.serial.SerialProtocol.FRAME_OVERHEAD;

import java.util.Arrays;

/**
 * Finds frames in a byte stream and resynchronises after damage (docs/serial-protocol.md
 * section 4). Every flag ends what came before it: a whole frame is reported, anything else
 * between two flags is reported as damage, and the flag starts the next frame. Garbage,
 * flipped bits, dropped, duplicated or extra bytes therefore cost at most the frames they
 * touch. A frame cut short with nothing after it is dropped by {@link #gap} when the line has
 * been quiet for the inter-byte timeout. No I/O, no threads: one receiving thread feeds it.
 */
public final class FrameDecoder {
    /** Receives what the decoder finds, in order. */
    public interface Sink {
        void frame(Frame frame);

        void damaged(Damage damage);
    }

    private final byte[] buf;
    private int len;
    private boolean escaped;
    private boolean hunting = true;
    /** Damage already seen in the current frame; the rest is dropped up to the next flag. */
    private Damage spoiled;

    /** @param maxPayload the largest payload this receiver takes; longer frames are damage */
    public FrameDecoder(int maxPayload) {
        if (maxPayload < 0 || maxPayload > SerialProtocol.MAX_PAYLOAD) {
            throw new IllegalArgumentException("max payload " + maxPayload);
        }
        buf = new byte[maxPayload + FRAME_OVERHEAD];
    }

    public void accept(byte[] data, int off, int n, Sink sink) {
        for (int i = off; i < off + n; i++) {
            accept(data[i] & 0xFF, sink);
        }
    }

    private void accept(int b, Sink sink) {
        if (b == FLAG) {
            if (hunting) {
                hunting = false;
            } else if (len > 0 || escaped || spoiled != null) {
                finish(sink);
            }
            return;
        }
        if (hunting || spoiled != null) {
            return;
        }
        if (escaped) {
            escaped = false;
            if (b != (FLAG ^ ESCAPE_XOR) && b != (ESCAPE ^ ESCAPE_XOR)) {
                spoil(Damage.BAD_ESCAPE);
                return;
            }
            append(b ^ ESCAPE_XOR);
        } else if (b == ESCAPE) {
            escaped = true;
        } else {
            append(b);
        }
    }

    /**
     * The line has been quiet for the inter-byte timeout: a frame still open was cut short.
     * The decoder then waits for a flag before it takes bytes again.
     */
    public void gap(Sink sink) {
        if (len > 0 || escaped || spoiled != null) {
            Damage d = spoiled != null ? spoiled : Damage.TRUNCATED;
            reset();
            hunting = true;
            sink.damaged(d);
        }
    }

    /** Whether part of a frame has arrived and its closing flag has not. */
    public boolean inFrame() {
        return len > 0 || escaped || spoiled != null;
    }

    private void append(int b) {
        if (len == buf.length) {
            spoil(Damage.TOO_LONG);
            return;
        }
        buf[len++] = (byte) b;
    }

    private void spoil(Damage d) {
        spoiled = d;
        Arrays.fill(buf, 0, len, (byte) 0);
        len = 0;
    }

    private void finish(Sink sink) {
        Damage d = spoiled != null ? spoiled : escaped ? Damage.BAD_ESCAPE : null;
        Frame frame = null;
        if (d == null) {
            try {
                frame = FrameCodec.parse(buf, len);
            } catch (FrameException e) {
                d = e.damage();
            }
        }
        reset();
        if (frame != null) {
            sink.frame(frame);
        } else {
            sink.damaged(d);
        }
    }

    private void reset() {
        Arrays.fill(buf, 0, len, (byte) 0); // what came in may be a key
        len = 0;
        escaped = false;
        spoiled = null;
    }
}
