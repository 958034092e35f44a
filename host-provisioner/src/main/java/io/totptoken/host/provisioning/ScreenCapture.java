package io.totptoken.host.provisioning;

import java.awt.AWTError;
import java.awt.AWTException;
import java.awt.GraphicsDevice;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.awt.Image;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.awt.image.MultiResolutionImage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The QR codes on the user's screens: every screen captured, each searched with {@link QrImageReader}.
 *
 * <p>X11 screens are captured with {@code java.awt.Robot}. Where it cannot capture (a headless
 * JVM, Wayland with no X server, a desktop that refuses and hands back a black picture) the
 * desktop's own screenshot tool does it ({@link ScreenshotTools}). Under Wayland with XWayland,
 * Robot sees only the X windows, so when it finds no code there the tool gets a turn too.
 *
 * <p>This is the only class that starts AWT's toolkit; it is loaded only when the screen is asked for.
 */
public final class ScreenCapture {
    /** What was found: each QR code's text once, how many screens were searched, and with what. */
    public record ScreenCodes(List<String> payloads, int screens, String method) {
    }

    static final String ROBOT = "java.awt.Robot";

    private ScreenCapture() {
    }

    /**
     * @throws InvalidCredentialException when the screens hold no QR code
     * @throws DesktopUnavailableException when no screen can be captured, with what to install
     */
    public static ScreenCodes read(Map<String, String> env) {
        String robotFailed;
        boolean javaLacksDesktop = false;
        try {
            List<BufferedImage> screens = robot();
            List<String> found = scan(screens);
            boolean wayland = env.get("WAYLAND_DISPLAY") != null && !env.get("WAYLAND_DISPLAY").isEmpty();
            if (!found.isEmpty() || !wayland || !ScreenshotTools.anyPresent(env)) {
                return found(found, screens, ROBOT);
            }
            robotFailed = "java.awt.Robot found no QR code through XWayland";
        } catch (CaptureFailed e) {
            robotFailed = e.getMessage();
            javaLacksDesktop = e.javaLacksDesktop;
        }
        ScreenshotTools.Shot shot = ScreenshotTools.capture(env, robotFailed, javaLacksDesktop);
        if (shot.screens().stream().allMatch(ScreenCapture::black)) {
            throw new DesktopUnavailableException(shot.tool() + " captured an all-black screen: the desktop did not"
                    + " allow the capture" + ScreenshotTools.permissionHint());
        }
        return found(scan(shot.screens()), shot.screens(), shot.tool());
    }

    private static ScreenCodes found(List<String> payloads, List<BufferedImage> screens, String method) {
        if (payloads.isEmpty()) {
            BufferedImage first = screens.get(0);
            String what = screens.size() == 1 ? "the screen (" + first.getWidth() + "x" + first.getHeight() + ")"
                    : "any of the " + screens.size() + " screens";
            throw new InvalidCredentialException("no QR code found on " + what + ", captured with " + method
                    + "; show the enrolment page's QR code in full view and try again, or save it as an image and"
                    + " use --qr IMAGE");
        }
        return new ScreenCodes(payloads, screens.size(), method);
    }

    private static List<String> scan(List<BufferedImage> screens) {
        Set<String> found = new LinkedHashSet<>();
        for (BufferedImage screen : screens) {
            found.addAll(QrImageReader.scan(screen));
        }
        return new ArrayList<>(found);
    }

    /** Every screen of the local graphics environment, each at its full (device pixel) resolution. */
    private static List<BufferedImage> robot() throws CaptureFailed {
        try {
            if (GraphicsEnvironment.isHeadless()) {
                throw new CaptureFailed(System.getenv("DISPLAY") == null ? "there is no X display (DISPLAY is not set)"
                        : "this Java runs headless (java.awt.headless=true)");
            }
            List<BufferedImage> screens = new ArrayList<>();
            for (GraphicsDevice device : GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices()) {
                Rectangle bounds = device.getDefaultConfiguration().getBounds();
                MultiResolutionImage shot = new Robot(device).createMultiResolutionScreenCapture(bounds);
                List<Image> variants = shot.getResolutionVariants();
                screens.add(buffered(variants.get(variants.size() - 1)));
            }
            if (screens.isEmpty()) {
                throw new CaptureFailed("the X display has no screens");
            }
            if (screens.stream().allMatch(ScreenCapture::black)) {
                throw new CaptureFailed("java.awt.Robot captured an all-black screen (the desktop did not allow it)");
            }
            return screens;
        } catch (HeadlessException e) {
            throw new CaptureFailed("this Java runs headless");
        } catch (AWTException | SecurityException e) {
            throw new CaptureFailed("the desktop refused java.awt.Robot a screen capture (" + e.getMessage() + ")");
        } catch (AWTError e) {
            // "Can't connect to X11 window server using ':9' as the value of the DISPLAY variable."
            throw new CaptureFailed("java.awt.Robot cannot use the display (" + e.getMessage() + ")");
        } catch (LinkageError e) {
            throw new CaptureFailed("this Java has no desktop support (a headless runtime, such as Debian's"
                    + " openjdk-17-jre-headless without openjdk-17-jre)", true);
        }
    }

    private static BufferedImage buffered(Image image) {
        if (image instanceof BufferedImage b) {
            return b;
        }
        BufferedImage copy = new BufferedImage(image.getWidth(null), image.getHeight(null), BufferedImage.TYPE_INT_RGB);
        copy.getGraphics().drawImage(image, 0, 0, null);
        return copy;
    }

    /** What a desktop that refuses a capture hands back instead (X11 under Wayland, macOS without permission). */
    static boolean black(BufferedImage image) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Why Robot could not capture; the screenshot tools are tried next. */
    private static final class CaptureFailed extends Exception {
        private static final long serialVersionUID = 1L;

        final boolean javaLacksDesktop;

        CaptureFailed(String reason) {
            this(reason, false);
        }

        CaptureFailed(String reason, boolean javaLacksDesktop) {
            super(reason, null, false, false);
            this.javaLacksDesktop = javaLacksDesktop;
        }
    }
}
