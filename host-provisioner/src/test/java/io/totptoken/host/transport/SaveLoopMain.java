package io.totptoken.host.transport;

import io.totptoken.host.session.CardCredential;
import io.totptoken.host.session.OathSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A child JVM that adds and deletes credentials on the token in args[0], saving after each, until killed. */
public final class SaveLoopMain {
    private SaveLoopMain() {
    }

    public static void main(String[] args) {
        try (SimulatorTransport t = SimulatorTransport.open(Path.of(args[0]))) {
            OathSession s = OathSession.open(t);
            System.out.println("ready");
            System.out.flush();
            byte[] secret = new byte[20];
            for (long i = 0; ; i++) {
                byte[] name = ("loop:" + (i % 5)).getBytes(StandardCharsets.UTF_8);
                secret[0] = (byte) i;
                s.put(name, CardCredential.TOTP, 1, 6, secret, false, 0, true);
                if (i % 3 == 0) {
                    s.delete(name);
                }
            }
        }
    }
}
