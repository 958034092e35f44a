package io.totptoken.host.cli;

import io.totptoken.host.provisioning.StateProtection;
import io.totptoken.host.provisioning.TokenHome;
import io.totptoken.host.provisioning.TokenTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which token a command works on: {@code --reader}, {@code --port}, {@code --sim}, or the embedded token. */
final class TokenOptions {
    @Option(names = {"-r", "--reader"}, paramLabel = "NAME",
            description = "The token in the PC/SC reader whose name contains NAME (case-insensitive; must match one reader).")
    List<String> readers = new ArrayList<>();

    @Option(names = "--port", paramLabel = "PATH",
            description = "The token on the serial port PATH (a USB CDC device, a UART or a pty; see tokenctl ports).")
    List<String> ports = new ArrayList<>();

    @Option(names = "--sim", paramLabel = "PATH",
            description = "A simulated token whose state lives in PATH (created when missing).")
    List<Path> sims = new ArrayList<>();

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "A simulated token's state file is encrypted under the passphrase on the first line of FILE "
                    + "(else TOKENCTL_PASSPHRASE_FILE, TOKENCTL_PASSPHRASE, a prompt when the file needs one).")
    Path passphraseFile;

    /** Every token named, in the order given: readers, serial ports, then simulated tokens; the embedded token when none. */
    List<TokenTarget> targets(Invocation run) {
        TokenHome home = run.env.home();
        List<TokenTarget> targets = new ArrayList<>();
        for (String r : readers) {
            if (r.isBlank()) {
                throw new UsageException("--reader needs a non-empty part of a reader's name");
            }
            targets.add(new TokenTarget.Reader(r));
        }
        for (String p : ports) {
            if (p.isBlank()) {
                throw new UsageException("--port needs the path of a serial port");
            }
            targets.add(new TokenTarget.Serial(p));
        }
        for (Path p : sims) {
            targets.add(new TokenTarget.Simulated(p, false, protection(run, StatePassphrase.plainSims(run))));
        }
        if (targets.isEmpty()) {
            targets.add(new TokenTarget.Simulated(home.tokenFile(), true, protection(run, false)));
        }
        return targets;
    }

    /** The one token a command that works on a single token names. */
    TokenTarget single(Invocation run) {
        List<TokenTarget> targets = targets(run);
        if (targets.size() > 1) {
            throw new UsageException("this command works on one token; give one --reader, --port or --sim");
        }
        return targets.get(0);
    }

    private StateProtection protection(Invocation run, boolean keepPlain) {
        return StatePassphrase.protection(run, passphraseFile, keepPlain);
    }
}
