package io.totptoken.host.fleet;

import java.util.List;

/** The manifest (or seed file) has bad rows; {@link #problems()} has one line per problem, with its line number. */
public final class ManifestException extends FleetException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public ManifestException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0)
                : problems.size() + " problems, nothing was written:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
