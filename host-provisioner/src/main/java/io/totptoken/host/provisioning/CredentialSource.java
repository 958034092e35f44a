package io.totptoken.host.provisioning;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Everything a user can hand in, turned into credentials: otpauth:// URIs, Google Authenticator
 * exports (otpauth-migration://, whose batches may come from different images or texts), images
 * holding any mix of those as QR codes, and manual entries.
 *
 * <p>{@link #credentials()} returns single credentials in the order added, then the exports'.
 * A credential given twice (two photos of one code) is kept once; two different credentials that
 * would get the same name on the token are refused, as the second would silently replace the first.
 */
public final class CredentialSource {
    private static final String OTPAUTH = "otpauth:";
    private static final String MIGRATION = GoogleMigration.SCHEME + ":";

    private final List<CredentialSpec> singles = new ArrayList<>();
    private final MigrationAssembler exports = new MigrationAssembler();

    /** Reads each input: a URI, or else the path of an image file. */
    public static List<CredentialSpec> read(List<String> inputs) {
        CredentialSource source = new CredentialSource();
        for (String input : inputs) {
            source.add(input);
        }
        return source.credentials();
    }

    /** A URI (otpauth:// or otpauth-migration://) or else the path of an image file. */
    public CredentialSource add(String input) {
        if (isUri(input)) {
            return addText(input);
        }
        Path file;
        try {
            file = Path.of(input.strip());
        } catch (InvalidPathException e) {
            file = null;
        }
        if (file == null || input.isBlank() || !Files.isRegularFile(file)) {
            // The input is not echoed: it may be a mistyped URI with a secret in it.
            throw new InvalidCredentialException(
                    "input is neither an otpauth:// or otpauth-migration:// URI nor an existing image file");
        }
        return addImage(file);
    }

    /** An otpauth:// URI or one otpauth-migration:// export batch. */
    public CredentialSource addText(String uri) {
        String text = uri == null ? "" : uri.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith(MIGRATION)) {
            exports.add(GoogleMigration.decode(text));
        } else if (lower.startsWith(OTPAUTH)) {
            singles.add(OtpauthUri.parse(text));
        } else {
            throw new InvalidCredentialException("input is not an otpauth:// or otpauth-migration:// URI");
        }
        return this;
    }

    /**
     * Every QR code in the image that holds a URI. Other codes (a link to the service's help page)
     * are skipped, but an image with none that holds a URI is refused.
     */
    public CredentialSource addImage(Path file) {
        return addQrCodes("image " + UserText.quote(String.valueOf(file.getFileName())), QrImageReader.read(file));
    }

    /** As {@link #addImage(Path)}, for image bytes; {@code where} names them in messages ("standard input"). */
    public CredentialSource addImage(byte[] image, String where) {
        return addQrCodes(where, QrImageReader.read(image, where));
    }

    /** The QR codes read from one picture ({@code where}: "image 'x.png'", "the screen"), as for {@link #addImage}. */
    public CredentialSource addQrCodes(String where, List<String> payloads) {
        int used = 0;
        for (int i = 0; i < payloads.size(); i++) {
            if (!isUri(payloads.get(i))) {
                continue;
            }
            try {
                addText(payloads.get(i));
            } catch (InvalidCredentialException e) {
                throw payloads.size() == 1 ? e.in(where) : e.in(where + ", QR code " + (i + 1));
            }
            used++;
        }
        if (used == 0) {
            throw new InvalidCredentialException(where + " has " + (payloads.size() == 1 ? "a QR code" : "QR codes")
                    + " but no otpauth:// URI or Google Authenticator export in "
                    + (payloads.size() == 1 ? "it" : "them"));
        }
        return this;
    }

    /** A credential read elsewhere (an authenticator app's export); the source keeps its own copy. */
    public CredentialSource addCredential(CredentialSpec spec) {
        singles.add(new CredentialSpec(spec.type(), spec.algorithm(), spec.digits(), spec.period(), spec.counter(),
                spec.issuer(), spec.account(), spec.secret(), spec.touch()));
        return this;
    }

    /** Whether {@code text} is an otpauth:// or otpauth-migration:// URI rather than a file name. */
    public static boolean isUriText(String text) {
        return isUri(text);
    }

    public CredentialSource addManual(ManualEntry entry) {
        singles.add(entry.build());
        return this;
    }

    /**
     * @throws InvalidCredentialException when nothing was found, an export batch is missing, or
     *         two different credentials would share a name on the token
     */
    public List<CredentialSpec> credentials() {
        List<CredentialSpec> all = new ArrayList<>(singles);
        all.addAll(exports.credentials());
        List<CredentialSpec> kept = new ArrayList<>();
        for (CredentialSpec spec : all) {
            CredentialSpec clash = null;
            for (CredentialSpec other : kept) {
                if (Arrays.equals(other.cardName(), spec.cardName())) {
                    clash = other;
                    break;
                }
            }
            if (clash == null) {
                kept.add(spec);
            } else if (!clash.equals(spec)) {
                throw new InvalidCredentialException("two different credentials are both named "
                        + UserText.quote(new String(spec.cardName(), StandardCharsets.UTF_8))
                        + "; the second would replace the first on the token, so add one of them by hand"
                        + " under another name");
            }
        }
        if (kept.isEmpty()) {
            throw new InvalidCredentialException("no credentials were found in the input");
        }
        return kept;
    }

    private static boolean isUri(String text) {
        String lower = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith(OTPAUTH) || lower.startsWith(MIGRATION);
    }
}
