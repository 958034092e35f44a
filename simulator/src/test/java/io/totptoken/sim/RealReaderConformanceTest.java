package io.totptoken.sim;

import static org.junit.jupiter.api.Assertions.fail;

import io.totptoken.conformance.CardClient;
import io.totptoken.conformance.ConformanceSuite;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.smartcardio.Card;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.TerminalFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;

/**
 * The conformance suite against a real card, in the PC/SC reader named by {@code
 * -Dtoken.reader=NAME} or the environment variable {@code TOKEN_READER=NAME} (a part of the
 * reader's name, any case, that must match exactly one reader, as {@code tokenctl --reader}
 * takes it); skipped when neither names one. Surefire hands {@code -D} properties of the mvn
 * command line to the test JVM, so no pom setting is needed.
 *
 * <p><b>It wipes the card:</b> every test starts with a YKOATH RESET, which deletes every
 * credential and the password of the OATH applet on that card.
 */
class RealReaderConformanceTest extends ConformanceSuite {
    static final String PROPERTY = "token.reader";
    static final String VARIABLE = "TOKEN_READER";

    static {
        // Before javax.smartcardio loads, as for the vpcd tests: Debian's libpcsclite.so.1, and
        // YKOATH continues with SEND REMAINING (61xx), never ISO GET RESPONSE.
        if (System.getProperty("sun.security.smartcardio.library") == null) {
            String lib = VpcdBridgeTest.findPcscLite();
            if (lib != null) {
                System.setProperty("sun.security.smartcardio.library", lib);
            }
        }
        System.setProperty("sun.security.smartcardio.t0GetResponse", "false");
        System.setProperty("sun.security.smartcardio.t1GetResponse", "false");
    }

    private static Card card;

    /** The reader named by the property, else the environment; null when neither names one. */
    static String namedReader() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) {
            name = System.getenv(VARIABLE);
        }
        return name == null || name.isBlank() ? null : name.strip();
    }

    /**
     * The card, connected on first use. Asked from each test's set-up (the suite's RESET), so
     * that without a named reader every test is reported skipped with the reason.
     */
    private static Card card() throws CardException {
        String name = namedReader();
        Assumptions.assumeTrue(name != null, "no real reader named: run with -D" + PROPERTY + "=NAME or "
                + VARIABLE + "=NAME to run the conformance suite on the card in that reader (it RESETs the card: "
                + "every credential and the password are deleted)");
        Assumptions.assumeFalse("1".equals(System.getenv("TOKEN_SKIP_PCSC")), "TOKEN_SKIP_PCSC=1: PC/SC is off on "
                + "this machine, so the card in reader '" + name + "' is not tested");
        if (card != null) {
            return card;
        }
        if (System.getProperty("sun.security.smartcardio.library") == null) {
            fail("libpcsclite.so.1 not found: install libpcsclite1 and pcscd");
        }
        List<CardTerminal> matching = new ArrayList<>();
        List<String> all = new ArrayList<>();
        List<CardTerminal> readers;
        try {
            readers = TerminalFactory.getDefault().terminals().list();
        } catch (CardException e) {
            return fail("PC/SC is not available, is pcscd running? (" + e.getMessage() + ")");
        }
        for (CardTerminal r : readers) {
            all.add(r.getName());
            if (r.getName().toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT))) {
                matching.add(r);
            }
        }
        if (matching.size() != 1) {
            fail((matching.isEmpty() ? "no reader" : matching.size() + " readers") + " match '" + name
                    + "' (readers: " + all + "); give a part of exactly one reader's name");
        }
        CardTerminal reader = matching.get(0);
        if (!reader.isCardPresent()) {
            fail("no card in reader '" + reader.getName() + "'");
        }
        card = reader.connect("*");
        return card;
    }

    @AfterAll
    static void disconnect() throws CardException {
        if (card != null) {
            card.disconnect(true);
        }
    }

    @Override
    protected CardClient connect() {
        return new CardClient(apdu -> {
            try {
                return card().getBasicChannel().transmit(new CommandAPDU(apdu)).getBytes();
            } catch (CardException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
