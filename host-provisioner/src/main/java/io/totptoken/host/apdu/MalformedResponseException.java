package io.totptoken.host.apdu;

/** The token answered something that does not follow the protocol. */
public class MalformedResponseException extends RuntimeException {
    public MalformedResponseException(String message) {
        super("the token's answer is malformed: " + message);
    }
}
