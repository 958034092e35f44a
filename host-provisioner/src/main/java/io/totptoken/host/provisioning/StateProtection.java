package io.totptoken.host.provisioning;

import io.totptoken.host.transport.StateCodec;
import java.util.function.Consumer;

/**
 * Where a simulated token's state key comes from, the first that answers: a passphrase the user
 * gives (or, for a file sealed under one, is asked for), the desktop keyring, a key file of its
 * own. keepPlain leaves a plain file (or a new token) unencrypted: for test tokens only. Notes
 * (one line each, about how the file is protected) go to notes, for the CLI to show.
 *
 * @param keyring null when there is no keyring to talk to
 */
public record StateProtection(PasswordSource passphrase, Keyring keyring, StateKeyFiles keyFiles, boolean keepPlain,
                              Consumer<String> notes) {
    /** A codec for one open of one file. */
    public StateCodec codec() {
        return new StateKeys(this);
    }
}
