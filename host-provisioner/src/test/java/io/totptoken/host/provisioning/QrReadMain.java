package io.totptoken.host.provisioning;

import java.nio.file.Path;

/**
 * Reads one image in a JVM of its own, so that a test can give it a small heap: prints
 * "read: PAYLOADS", "refused: MESSAGE" (exit 0) or "crashed: THROWABLE" (exit 1).
 */
final class QrReadMain {
    private QrReadMain() {
    }

    public static void main(String[] args) {
        try {
            System.out.println("read: " + QrImageReader.read(Path.of(args[0])));
        } catch (InvalidCredentialException e) {
            System.out.println("refused: " + e.getMessage());
        } catch (Throwable e) {
            System.out.println("crashed: " + e);
            System.exit(1);
        }
    }
}
