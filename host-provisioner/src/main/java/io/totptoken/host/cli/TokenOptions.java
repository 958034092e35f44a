package io.totptoken.host.cli;

import io.totptoken.host.provisioning.StateProtection;
import io.totptoken.host.provisioning.TokenHome;
import io.totptoken.host.provisioning.TokenTarget;
import io.totptoken.host.transport.TransportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
            description = "A simulated token whose state lives in PATH (accounts add and sim serve create it when missing).")
    List<Path> sims = new ArrayList<>();

    /**
     * Whether this command creates a missing {@code --sim} file (accounts add, sim serve). Every
     * other command refuses one: a mistyped path would otherwise become a new, empty token.
     */
    boolean createsSimulated;

    /** The {@code --sim} files that did not exist when the targets were worked out: to be announced once made. */
    private final Set<Path> missing = new HashSet<>();

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "A simulated token's state file is encrypted under the passphrase on the first line of FILE "
                    + "(else TOKENCTL_PASSPHRASE_FILE, TOKENCTL_PASSPHRASE, a prompt when the file needs one).")
    Path passphraseFile;

    /** Every token named, in the order given: readers, serial ports, then simulated tokens; the embedded token when none. */
    List<TokenTarget> targets(Invocation run) {
        TokenHome home = run.env.home();
        List<TokenTarget> targets = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (String r : readers) {
            if (r.isBlank()) {
                throw new UsageException("--reader needs a non-empty part of a reader's name");
            }
            once(named, "--reader " + r);
            targets.add(new TokenTarget.Reader(r));
        }
        for (String p : ports) {
            if (p.isBlank()) {
                throw new UsageException("--port needs the path of a serial port");
            }
            once(named, "--port " + Path.of(p).toAbsolutePath().normalize());
            targets.add(new TokenTarget.Serial(p));
        }
        for (Path p : sims) {
            Path file = p.toAbsolutePath().normalize();
            once(named, "--sim " + file);
            if (!Files.exists(file)) {
                if (!createsSimulated) {
                    throw new TransportException("no simulated token at " + file
                            + " (check the path; tokenctl accounts add --sim PATH creates one)");
                }
                if (!Files.isDirectory(file.getParent())) {
                    throw new TransportException("cannot create the simulated token " + file + ": there is no directory "
                            + file.getParent());
                }
                missing.add(file);
            }
            targets.add(new TokenTarget.Simulated(file, false, protection(run, StatePassphrase.plainSims(run))));
        }
        if (targets.isEmpty()) {
            targets.add(new TokenTarget.Simulated(home.tokenFile(), true, protection(run, false)));
        }
        return targets;
    }

    private static void once(Set<String> named, String option) {
        if (!named.add(option)) {
            throw new UsageException(option + " is given twice; name each token once");
        }
    }

    /** Whether {@code target} is a {@code --sim} file this run created (true once per file). */
    boolean created(TokenTarget target) {
        return target instanceof TokenTarget.Simulated s && !s.embedded() && missing.remove(s.file())
                && Files.exists(s.file());
    }

    /** The one token a command that works on a single token names. */
    TokenTarget single(Invocation run) {
        if (readers.size() + ports.size() + sims.size() > 1) {
            throw new UsageException("this command works on one token; give one --reader, --port or --sim");
        }
        return targets(run).get(0);
    }

    private StateProtection protection(Invocation run, boolean keepPlain) {
        return StatePassphrase.protection(run, passphraseFile, keepPlain);
    }
}
