package io.totptoken.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.conformance.CardClient;
import io.totptoken.conformance.ConformanceSuite;
import javax.smartcardio.Card;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance suite through the real PC/SC stack: javax.smartcardio, pcscd, the vpcd
 * driver and the bridge, with the token in vpcd's second slot. Needs pcscd with
 * vsmartcard-vpcd running (as .ci/run starts it); TOKEN_SKIP_PCSC=1 skips it.
 */
class PcscConformanceTest extends ConformanceSuite {
    private static VpcdBridge bridge;
    private static CardTerminal reader;
    private static Card card;

    @BeforeAll
    static void insertToken() throws CardException {
        reader = VpcdBridgeTest.slot1Reader();
        assertTrue(!reader.isCardPresent(), "a card is already in the second vpcd slot: stop the other simulator");
        bridge = new VpcdBridge(new SimulatedToken()).start(VpcdBridge.DEFAULT_HOST, VpcdBridgeTest.SLOT1_PORT);
        assertTrue(reader.waitForCardPresent(15_000), "the token did not appear in the reader within 15 s");
        card = reader.connect("*");
    }

    @AfterAll
    static void removeToken() throws CardException {
        if (card != null) {
            card.disconnect(false);
        }
        if (bridge != null) {
            bridge.stop();
            reader.waitForCardAbsent(15_000);
        }
    }

    @Override
    protected CardClient connect() {
        return new CardClient(apdu -> {
            try {
                return card.getBasicChannel().transmit(new CommandAPDU(apdu)).getBytes();
            } catch (CardException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
