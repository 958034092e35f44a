package io.totptoken.host.fleet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Where journal bytes go: the journal file's channel, or in tests one that fails on cue (a full disk). */
interface JournalSink extends AutoCloseable {
    void write(ByteBuffer bytes) throws IOException;

    /** Makes everything written so far durable (fsync). */
    void force() throws IOException;

    @Override
    void close() throws IOException;

    static JournalSink of(FileChannel channel) {
        return new JournalSink() {
            @Override
            public void write(ByteBuffer bytes) throws IOException {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }

            @Override
            public void force() throws IOException {
                // Data only: the file's size is metadata too, but an append that is not durable is a torn tail, which replay drops.
                channel.force(false);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
