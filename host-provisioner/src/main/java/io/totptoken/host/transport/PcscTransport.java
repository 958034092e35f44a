package io.totptoken.host.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.TerminalFactory;

/** A token in a PC/SC reader, through javax.smartcardio. */
public final class PcscTransport implements Transport {
    private static final String LIBRARY_PROPERTY = "sun.security.smartcardio.library";
    /** Debian ships libpcsclite.so.1 only; the JDK looks for libpcsclite.so. */
    private static final List<String> LIBRARIES = List.of(
            "/usr/lib/x86_64-linux-gnu/libpcsclite.so.1", "/usr/lib/aarch64-linux-gnu/libpcsclite.so.1",
            "/usr/lib64/libpcsclite.so.1", "/usr/lib/libpcsclite.so.1");

    private final String reader;
    private final Card card;
    private final CardChannel channel;

    private PcscTransport(String reader, Card card) {
        this.reader = reader;
        this.card = card;
        this.channel = card.getBasicChannel();
    }

    /** Names of the readers PC/SC knows; empty when the PC/SC service is not running. */
    public static List<String> readers() {
        List<String> names = new ArrayList<>();
        for (CardTerminal t : terminals()) {
            names.add(t.getName());
        }
        return names;
    }

    /** Connects to the token in the one reader whose name contains the text (case-insensitive). */
    public static PcscTransport open(String nameContains) {
        List<CardTerminal> matches = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (CardTerminal t : terminals()) {
            all.add(t.getName());
            if (t.getName().toLowerCase(Locale.ROOT).contains(nameContains.toLowerCase(Locale.ROOT))) {
                matches.add(t);
            }
        }
        if (all.isEmpty()) {
            throw new TransportException("no PC/SC readers found (is pcscd running?)");
        }
        if (matches.isEmpty()) {
            throw new TransportException("no reader matches '" + nameContains + "'; readers: " + String.join(", ", all));
        }
        if (matches.size() > 1) {
            List<String> names = matches.stream().map(CardTerminal::getName).toList();
            throw new TransportException("'" + nameContains + "' matches " + matches.size()
                    + " readers, name one: " + String.join(", ", names));
        }
        CardTerminal terminal = matches.get(0);
        try {
            if (!terminal.isCardPresent()) {
                throw new TransportException("no token in reader '" + terminal.getName() + "'");
            }
            return new PcscTransport(terminal.getName(), terminal.connect("*"));
        } catch (CardException e) {
            throw new TransportException("cannot connect to the token in '" + terminal.getName() + "': " + reason(e), e);
        }
    }

    @Override
    public byte[] transmit(byte[] apdu) {
        CommandAPDU command;
        try {
            command = new CommandAPDU(apdu);
        } catch (IllegalArgumentException e) {
            throw new TransportException("cannot send a malformed command to '" + reader + "': " + reason(e), e);
        }
        try {
            return channel.transmit(command).getBytes();
        } catch (CardException | IllegalStateException e) {
            throw new TransportException("the token in '" + reader + "' stopped answering: " + reason(e), e);
        } catch (IllegalArgumentException e) {
            // javax.smartcardio refuses an answer shorter than a status word (a reader whose token
            // went away mid-command): that is a token that stopped answering, not an internal error.
            throw new TransportException("the token in '" + reader + "' gave an answer without a status word: "
                    + reason(e), e);
        }
    }

    @Override
    public String description() {
        return "reader '" + reader + "'";
    }

    @Override
    public void close() {
        try {
            card.disconnect(false);
        } catch (CardException | IllegalStateException e) {
            // Already gone: nothing left to release.
        }
    }

    private static List<CardTerminal> terminals() {
        configureLibrary();
        try {
            return TerminalFactory.getDefault().terminals().list();
        } catch (CardException e) {
            // pcsc-lite answers "no readers" with an error rather than an empty list.
            return List.of();
        }
    }

    private static void configureLibrary() {
        // javax.smartcardio answers 61xx with ISO GET RESPONSE by itself, even for T=1; YKOATH
        // continues with SEND REMAINING, which SendRemainingTransport does.
        System.setProperty("sun.security.smartcardio.t0GetResponse", "false");
        System.setProperty("sun.security.smartcardio.t1GetResponse", "false");
        if (System.getProperty(LIBRARY_PROPERTY) != null) {
            return;
        }
        for (String lib : LIBRARIES) {
            if (Files.exists(Path.of(lib))) {
                System.setProperty(LIBRARY_PROPERTY, lib);
                return;
            }
        }
    }

    private static String reason(Exception e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
