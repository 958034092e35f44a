package io.totptoken.host.provisioning;

import java.util.List;

/** Adding would replace accounts of the same name, and replacing was not asked for; nothing was written. */
public final class NameTakenException extends TokenOperationException {
    private static final long serialVersionUID = 1L;
    private final List<String> names;

    public NameTakenException(String token, List<String> names) {
        super(token + " already has " + (names.size() == 1 ? "an account named '" + names.get(0) + "'"
                : names.size() + " accounts of these names: " + String.join(", ", names)));
        this.names = List.copyOf(names);
    }

    public List<String> names() {
        return names;
    }
}
