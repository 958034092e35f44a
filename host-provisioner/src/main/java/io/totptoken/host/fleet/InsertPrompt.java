package io.totptoken.host.fleet;

/**
 * Asks the operator for the next token at a reader or port (the CLI reads a line from the
 * terminal). {@link #UNATTENDED} never asks: each lane is worked once, with the token it has.
 */
@FunctionalInterface
public interface InsertPrompt {
    InsertPrompt UNATTENDED = (lane, problem) -> false;

    /**
     * @param lane    where to insert it ("reader 'ACS ACR122'")
     * @param problem why the last attempt failed ("no token in reader"), or null
     * @return true once a token is in place, false to stop this lane
     */
    boolean next(String lane, String problem);
}
