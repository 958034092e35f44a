package io.totptoken.host.transport;

import io.totptoken.host.storage.StateFile;
import io.totptoken.sim.DamagedStateException;
import io.totptoken.sim.SimulatedToken;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A simulated token in this process whose persistent memory lives in a file ({@link StateFile}:
 * locked while open, a backup of the previous state, atomic replacement). After every command
 * that may change the token the file is rewritten when the token's image did change, so a
 * killed process leaves the state as after the last whole command, like a card losing power
 * between APDUs. A command whose new state cannot be written fails (the file keeps the state
 * from before it), so no command claims what was not kept.
 */
public final class SimulatorTransport implements Transport {
    /**
     * How to open a token's file.
     *
     * @param lockWait how long to wait for another process using the token
     * @param notices gets one-line notices: a wait for the lock, a state taken from the backup
     * @param replaceDamaged when neither the file nor its backup can be used, open a new token
     *     (written on its first change) instead of failing: for a reset
     * @param sweep also remove earlier versions' randomly named temporary files, which lists the
     *     file's directory: for a token named by the user, not for each token of a fleet
     */
    public record Opening(Duration lockWait, Consumer<String> notices, boolean replaceDamaged, boolean sweep) {
        public static Opening defaults() {
            return new Opening(StateFile.LOCK_WAIT, IGNORED, false, false);
        }

        public Opening withNotices(Consumer<String> to) {
            return new Opening(lockWait, to == null ? IGNORED : to, replaceDamaged, sweep);
        }

        public Opening replacingDamaged(boolean replace) {
            return new Opening(lockWait, notices, replace, sweep);
        }

        public Opening sweeping(boolean on) {
            return new Opening(lockWait, notices, replaceDamaged, on);
        }

        public Opening withLockWait(Duration wait) {
            return new Opening(wait, notices, replaceDamaged, sweep);
        }
    }

    /** Classes rather than lambdas here: no lambda bootstrap on tokenctl's start-up path. */
    private static final Consumer<String> IGNORED = new Consumer<String>() {
        @Override
        public void accept(String notice) {
        }
    };

    /**
     * Opens the stored bytes through the codec, then the image. A sealed file that fails its tag
     * check (damaged, or a wrong key) is damaged to StateFile, which then tries the backup, sealed
     * under the same key; a key that cannot be had at all (no passphrase given) is not.
     */
    private static final class Decoder implements StateFile.Decoder<SimulatedToken> {
        private final Path path;
        private final StateCodec codec;
        /** Whether the bytes the token came from were stored unencrypted. */
        boolean plain;
        /** The header of sealed bytes that failed to open (the file's), or null. */
        private byte[] failedHeader;

        Decoder(Path path, StateCodec codec) {
            this.path = path;
            this.codec = codec;
        }

        @Override
        public SimulatedToken decode(byte[] stored) {
            byte[] header = headerOrNull(stored);
            if (failedHeader != null && header != null && !Arrays.equals(header, failedHeader)) {
                // A backup under another key (the state before a reset, say) is not the file's previous
                // state: opening it under a key the file refused would put an older token back over it.
                throw new IllegalArgumentException("sealed under another key than " + path.getFileName());
            }
            byte[] image;
            try {
                image = codec.open(path, stored);
            } catch (SealedStateException e) {
                if (!e.damagedOrWrongKey()) {
                    throw e;
                }
                if (failedHeader == null) {
                    failedHeader = header;
                }
                // StateFile names the file (or its backup) itself.
                String reason = e.getMessage();
                String prefix = path + ": ";
                throw new IllegalArgumentException(reason.startsWith(prefix) ? reason.substring(prefix.length()) : reason, e);
            }
            try {
                SimulatedToken token = SimulatedToken.fromState(image);
                plain = !SealedState.isSealed(stored);
                return token;
            } catch (DamagedStateException e) {
                throw new IllegalArgumentException(e.reason(), e);
            }
        }
    }

    private final StateFile file;
    private final StateCodec codec;
    private final SimulatedToken token;
    /** The image the file holds; null when it holds none of this token yet. */
    private byte[] saved;

    private SimulatorTransport(StateFile file, StateCodec codec, SimulatedToken token, byte[] saved) {
        this.file = file;
        this.codec = codec;
        this.token = token;
        this.saved = saved;
    }

    /** Opens the token stored in file, creating a new token there when the file does not exist. */
    public static SimulatorTransport open(Path file) {
        return open(file, SimulatedToken.Config.defaults());
    }

    /** As {@link #open(Path)}, with the install parameters for a new token. */
    public static SimulatorTransport open(Path file, SimulatedToken.Config config) {
        return open(file, config, Opening.defaults(), StateCodec.PLAIN);
    }

    /** As {@link #open(Path, SimulatedToken.Config)}, opened as {@code how} says. */
    public static SimulatorTransport open(Path file, SimulatedToken.Config config, Opening how) {
        return open(file, config, how, StateCodec.PLAIN);
    }

    /**
     * As {@link #open(Path, SimulatedToken.Config, Opening)}, the bytes going through codec
     * (encryption) on their way to and from the file, its backup and its temporary file alike.
     */
    public static SimulatorTransport open(Path file, SimulatedToken.Config config, Opening how, StateCodec codec) {
        Path abs = file.toAbsolutePath();
        StateFile state;
        try {
            state = StateFile.open(abs, how.lockWait(), how.notices(), how.sweep());
        } catch (IOException e) {
            throw new TransportException("cannot open the simulated token " + abs + ": " + e.getMessage(), e);
        }
        try {
            SimulatedToken token;
            Decoder decoder = new Decoder(state.path(), codec);
            try {
                token = state.load(decoder);
            } catch (StateFile.Damaged e) {
                if (!how.replaceDamaged()) {
                    throw new TransportException(e.getMessage(), e);
                }
                return new SimulatorTransport(state, codec, new SimulatedToken(config), null);
            }
            if (token != null) {
                SimulatorTransport opened = new SimulatorTransport(state, codec, token, token.saveState());
                if (decoder.plain) {
                    opened.sealPlain();
                }
                return opened;
            }
            SimulatorTransport created = new SimulatorTransport(state, codec, new SimulatedToken(config), null);
            created.save();
            return created;
        } catch (IOException e) {
            state.close();
            throw new TransportException("cannot open the simulated token " + abs + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            state.close();
            throw e;
        }
    }

    /** The token itself, for serving it to other processes (vpcd, serial). */
    public SimulatedToken token() {
        return token;
    }

    @Override
    public byte[] transmit(byte[] apdu) {
        byte[] r = token.transmit(apdu);
        if (SimulatedToken.mayChangeState(apdu)) {
            save();
        }
        return r;
    }

    /**
     * Writes the token's persistent memory to its file, when it changed since the last write.
     *
     * @throws TransportException when it cannot be written; the file then holds the state before
     */
    public synchronized void save() {
        byte[] image = token.saveState();
        if (Arrays.equals(image, saved)) {
            return;
        }
        try {
            file.save(codec.seal(file.path(), image));
            saved = image;
        } catch (IOException e) {
            throw new TransportException("cannot save the simulated token " + file.path() + ": " + e.getMessage()
                    + "; it keeps the state from before this command", e);
        }
    }

    private static byte[] headerOrNull(byte[] stored) {
        if (!SealedState.isSealed(stored)) {
            return null;
        }
        try {
            return SealedState.header(null, stored).encoded();
        } catch (SealedStateException e) {
            return null;
        }
    }

    /**
     * A file stored unencrypted, whose codec now encrypts, is sealed at once rather than at its
     * next change, and so is its backup: a plain copy of the secrets is left nowhere (the backup
     * would otherwise keep the plain state until the write after next).
     */
    private void sealPlain() throws IOException {
        byte[] sealed = codec.seal(file.path(), saved);
        if (SealedState.isSealed(sealed)) {
            file.replaceAll(sealed);
        }
    }

    @Override
    public String description() {
        return "simulated token " + file.path();
    }

    @Override
    public void close() {
        file.close();
    }
}
