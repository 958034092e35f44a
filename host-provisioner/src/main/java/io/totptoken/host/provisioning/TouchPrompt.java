package io.totptoken.host.provisioning;

/** Tells the user that a token waits for a touch of its button. */
@FunctionalInterface
public interface TouchPrompt {
    /**
     * Called just before (real token) or while (simulated token) the token waits for a touch.
     *
     * @param simulated whether the token is simulated, so the caller must press its button
     * @return for a simulated token, whether to press its button now; ignored for a real token
     */
    boolean touch(String token, boolean simulated);

    /** Never presses: touch credentials on a simulated token time out. */
    TouchPrompt NONE = (token, simulated) -> false;
}
