package io.totptoken.host.provisioning;

import io.totptoken.host.transport.SealedState;
import io.totptoken.host.transport.SealedState.Header;
import io.totptoken.host.transport.SealedState.KeyKind;
import io.totptoken.host.transport.SealedStateException;
import io.totptoken.host.transport.StateCodec;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Seals and opens one simulated token's state file with its key from {@link StateProtection}.
 * The key is found once, when the file is opened (or made, when it is first sealed), and kept
 * while the token is open, for the writes after each command.
 *
 * <p>A file sealed under a passphrase always needs it: its header says so, and nothing falls back
 * to another source. A passphrase given for a file sealed otherwise moves it under the passphrase
 * (that is how a user adds one) on its next write, and its key file goes once the file is found
 * sealed under the passphrase. A plain file opens and is sealed on its next write.
 */
final class StateKeys implements StateCodec {
    private final StateProtection sources;
    private final SecureRandom random = new SecureRandom();
    private Header header;
    private byte[] key;
    private boolean plain;
    private boolean migrating;
    /** The header and key last tried: the backup, read when the file fails, has the same header and is not asked for again. */
    private byte[] triedHeader;
    private byte[] triedKey;
    /** Said when the next write puts the file under a passphrase it was not under. */
    private String pendingNote;

    StateKeys(StateProtection sources) {
        this.sources = sources;
    }

    @Override
    public byte[] open(Path file, byte[] stored) {
        if (!SealedState.isSealed(stored)) {
            plain = sources.keepPlain();
            migrating = !plain;
            return stored;
        }
        Header h = SealedState.header(file, stored);
        byte[] k = Arrays.equals(h.encoded(), triedHeader) ? triedKey.clone() : keyFor(file, h);
        byte[] image;
        try {
            image = SealedState.open(file, stored, k);
        } catch (RuntimeException e) {
            if (triedKey != null) {
                Arrays.fill(triedKey, (byte) 0);
            }
            triedHeader = h.encoded();
            triedKey = k;
            throw e;
        }
        header = h;
        key = k;
        if (h.kind() == KeyKind.PASSPHRASE) {
            sources.keyFiles().delete(h.idText());
        } else {
            char[] given = sources.passphrase().given();
            if (given != null) {
                underPassphrase(h.id(), given);
                pendingNote = file + " is now encrypted under your passphrase, which it needs from now on";
            }
        }
        return image;
    }

    @Override
    public byte[] seal(Path file, byte[] image) {
        if (plain || header == null && !migrating && sources.keepPlain()) {
            return image;
        }
        if (header == null) {
            create(file);
        }
        byte[] sealed = SealedState.seal(header, key, image, random);
        if (pendingNote != null) {
            sources.notes().accept(pendingNote);
            pendingNote = null;
        }
        return sealed;
    }

    /** Picks the key of a file sealed for the first time (a new token, or a plain file migrating). */
    private void create(Path file) {
        byte[] id = new byte[SealedState.ID_BYTES];
        random.nextBytes(id);
        String was = migrating ? file + " was stored unencrypted; it is now encrypted" : null;
        char[] given = sources.passphrase().given();
        if (given != null) {
            underPassphrase(id, given);
            if (was != null) {
                sources.notes().accept(was + " under your passphrase");
            }
            return;
        }
        byte[] k = new byte[SealedState.KEY_BYTES];
        random.nextBytes(k);
        Header h = new Header(KeyKind.KEYRING, id, null);
        Keyring keyring = sources.keyring();
        if (keyring != null && keyring.store(h.idText(), k)) {
            header = h;
            key = k;
            if (was != null) {
                sources.notes().accept(was + " with a key in " + keyring.description());
            }
            return;
        }
        h = new Header(KeyKind.KEY_FILE, id, null);
        sources.keyFiles().write(h.idText(), k);
        header = h;
        key = k;
        sources.notes().accept((was != null ? was + "; it" : file.toString()) + " is protected by file permissions only (key in "
                + sources.keyFiles().file(h.idText()) + "); to add a passphrase, run tokenctl once with TOKENCTL_PASSPHRASE "
                + "or --passphrase-file");
    }

    private void underPassphrase(byte[] id, char[] given) {
        try {
            Header h = new Header(KeyKind.PASSPHRASE, id, PassphraseKey.freshParameters(random));
            byte[] k = PassphraseKey.derive(given, h.kdf());
            wipeKey();
            header = h;
            key = k;
        } finally {
            Arrays.fill(given, '\0');
        }
    }

    private byte[] keyFor(Path file, Header h) {
        String id = h.idText();
        switch (h.kind()) {
            case PASSPHRASE -> {
                char[] pass = sources.passphrase().given();
                if (pass == null) {
                    pass = sources.passphrase().ask(file.toString());
                }
                if (pass == null || pass.length == 0) {
                    throw new SealedStateException(file + " is encrypted under a passphrase: set TOKENCTL_PASSPHRASE or "
                            + "TOKENCTL_PASSPHRASE_FILE, or give --passphrase-file");
                }
                try {
                    return PassphraseKey.derive(pass, h.kdf());
                } finally {
                    Arrays.fill(pass, '\0');
                }
            }
            case KEYRING -> {
                Keyring keyring = sources.keyring();
                if (keyring == null) {
                    throw new SealedStateException(file + ": damaged or wrong key (its header puts the key in the desktop "
                            + "keyring, which is not reachable here: no D-Bus session or no secret-tool)", true);
                }
                byte[] k = keyring.lookup(id);
                if (k == null) {
                    throw new SealedStateException(file + ": damaged or wrong key (" + keyring.description() + " has no key for it: "
                            + "locked, not answering, or not the keyring it was made with)", true);
                }
                return k;
            }
            default -> {
                byte[] k = sources.keyFiles().read(id);
                if (k == null) {
                    throw new SealedStateException(file + ": damaged or wrong key (no key file " + sources.keyFiles().file(id) + ")", true);
                }
                return k;
            }
        }
    }

    private void wipeKey() {
        if (key != null) {
            Arrays.fill(key, (byte) 0);
        }
    }
}
