package io.totptoken.host.transport;

import java.nio.file.Path;

/**
 * What lies between a simulated token's persistent image and its file: {@link #PLAIN} stores the
 * image as it is, an encrypting codec seals it ({@link SealedState}). One codec serves one file
 * for as long as its transport is open.
 */
public interface StateCodec {
    /** The token image in the bytes read from file. */
    byte[] open(Path file, byte[] stored);

    /** The bytes to write to file for the token image. */
    byte[] seal(Path file, byte[] image);

    /** The image as it is; a sealed file is refused, not misread. */
    StateCodec PLAIN = new StateCodec() {
        @Override
        public byte[] open(Path file, byte[] stored) {
            if (SealedState.isSealed(stored)) {
                throw new SealedStateException(file + " is encrypted; open it with tokenctl, which finds its key");
            }
            return stored;
        }

        @Override
        public byte[] seal(Path file, byte[] image) {
            return image;
        }
    };
}
