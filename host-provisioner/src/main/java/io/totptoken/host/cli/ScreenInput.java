package io.totptoken.host.cli;

import io.totptoken.host.provisioning.CredentialSource;
import io.totptoken.host.provisioning.ScreenCapture;

/**
 * {@code accounts add --screen}: the QR codes on the screen added as an image's would be. A class
 * of its own so that AddCommand's other paths never load ScreenCapture and, through it, AWT.
 */
final class ScreenInput {
    private ScreenInput() {
    }

    static void add(Invocation run, CredentialSource source) {
        ScreenCapture.ScreenCodes codes = ScreenCapture.read(run.env.env());
        int n = codes.payloads().size();
        run.note("Found " + n + (n == 1 ? " QR code on " : " QR codes on ") + (codes.screens() == 1 ? "the screen"
                : codes.screens() + " screens") + " (captured with " + codes.method() + ").");
        source.addQrCodes("the screen", codes.payloads());
    }
}
