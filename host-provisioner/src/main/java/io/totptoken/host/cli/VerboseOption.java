package io.totptoken.host.cli;

import picocli.CommandLine.Option;

/** {@code -v}: accepted at every level of the command line. */
final class VerboseOption {
    private final Invocation run;

    VerboseOption(Invocation run) {
        this.run = run;
    }

    @Option(names = {"-v", "--verbose"}, description = "Print each APDU and answer (key bytes masked), status words and stack traces on stderr.")
    void verbose(boolean on) {
        run.verbose |= on;
    }
}
