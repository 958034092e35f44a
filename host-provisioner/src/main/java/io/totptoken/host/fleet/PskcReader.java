package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.InvalidCredentialException;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.session.Pbkdf2;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads the HOTP and TOTP keys of a PSKC file (RFC 6030): plain, encrypted with a pre-shared key
 * (section 6.1) or with a password-derived key (section 6.2). Every encrypted secret's ValueMAC is
 * checked before the secret is used. Elements are matched by local name, since files in the wild
 * differ in how they qualify the PBKDF2 parameters. DTDs are refused (no entity tricks), elements
 * may nest {@link #MAX_DEPTH} deep, and PBKDF2 takes {@link #MIN_ITERATIONS} to
 * {@link #MAX_ITERATIONS} rounds, so that a hostile file costs bounded time and stack.
 *
 * <p>Every KeyPackage is checked as the token would take it (type, digits, period, counter, name
 * length, secret) before any is returned, and all bad ones are listed together with their
 * numbers: a run must never journal a seed it cannot write.
 */
public final class PskcReader {
    /** RFC 6030's files nest at most about 8 deep (KeyContainer, EncryptionKey, DerivedKey, ..., Salt, Specified). */
    static final int MAX_DEPTH = 32;
    /** RFC 6030's example has 1000; OWASP's advice for PBKDF2-HMAC-SHA1 (2023) is 1,300,000. */
    static final int MIN_ITERATIONS = 1;
    /** About 6 s of PBKDF2-HMAC-SHA1 on a current laptop: a few times OWASP's advice, never hours. */
    static final int MAX_ITERATIONS = 5_000_000;

    private PskcReader() {
    }

    /** @param unlock the key or password for an encrypted file; {@link PskcProtection.None} for a plain one */
    public static List<SeedEntry> read(byte[] xml, PskcProtection unlock) {
        Element root = parse(xml).getDocumentElement();
        if (!"KeyContainer".equals(root.getLocalName()) || !Pskc.NS.equals(root.getNamespaceURI())) {
            throw new FleetException("not a PSKC file: the top element is not a KeyContainer in " + Pskc.NS);
        }
        byte[] key = null;
        byte[] macKey = null;
        try {
            Element encryption = child(root, "EncryptionKey");
            if (encryption != null) {
                key = encryptionKey(encryption, unlock);
                Element macMethod = child(root, "MACMethod");
                if (macMethod != null) {
                    if (!PskcCrypto.HMAC_SHA1.equals(macMethod.getAttribute("Algorithm"))) {
                        throw new FleetException("PSKC MACMethod " + Manifest.quote(macMethod.getAttribute("Algorithm"))
                                + " is not supported (only HMAC-SHA1)");
                    }
                    Element macKeyElement = child(macMethod, "MACKey");
                    if (macKeyElement == null) {
                        throw new FleetException("PSKC MACMethod has no MACKey (a MACKeyReference is not supported)");
                    }
                    macKey = PskcCrypto.decrypt(key, cipherValue(macKeyElement, "the MAC key"), "the MAC key");
                }
            }
            List<SeedEntry> out = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            int n = 0;
            for (Element pkg : children(root, "KeyPackage")) {
                n++;
                try {
                    SeedEntry e = keyPackage(pkg, key, macKey);
                    if (e != null) {
                        out.add(e);
                        e.spec(); // refuses what the token cannot take: digits, period, counter, name length, secret
                    }
                } catch (InvalidCredentialException | FleetException e) {
                    problems.add("PSKC KeyPackage " + n + ": " + e.getMessage());
                }
            }
            if (!problems.isEmpty()) {
                out.forEach(e -> PskcProtection.wipe(e.secret()));
                throw new ManifestException(problems);
            }
            return out;
        } finally {
            PskcProtection.wipe(key);
            PskcProtection.wipe(macKey);
        }
    }

    private static byte[] encryptionKey(Element encryption, PskcProtection unlock) {
        Element derived = descendant(encryption, "DerivedKey");
        if (derived != null) {
            if (!(unlock instanceof PskcProtection.Password pw)) {
                throw new FleetException("the PSKC file is protected by a password; give it");
            }
            Element method = descendant(derived, "KeyDerivationMethod");
            if (method == null || !PskcCrypto.PBKDF2.equals(method.getAttribute("Algorithm"))) {
                throw new FleetException("the PSKC file derives its key other than by PBKDF2, which is not supported");
            }
            Element salt = descendant(method, "Specified");
            Element iterations = descendant(method, "IterationCount");
            Element length = descendant(method, "KeyLength");
            Element prf = descendant(method, "PRF");
            if (salt == null || iterations == null) {
                throw new FleetException("the PSKC PBKDF2 parameters lack the salt or the iteration count");
            }
            if (prf != null && !prf.getAttribute("Algorithm").isEmpty()
                    && !prf.getAttribute("Algorithm").toLowerCase(Locale.ROOT).endsWith("hmac-sha1")) {
                throw new FleetException("the PSKC PBKDF2 PRF " + Manifest.quote(prf.getAttribute("Algorithm"))
                        + " is not supported (only HMAC-SHA1)");
            }
            if (length != null && number(length.getTextContent(), "the PSKC key length", 1, 1024) != 16) {
                throw new FleetException("the PSKC key length is " + Manifest.quote(length.getTextContent().strip())
                        + " bytes; AES-128 needs 16");
            }
            int rounds = (int) number(iterations.getTextContent(), "the PSKC PBKDF2 iteration count",
                    MIN_ITERATIONS, MAX_ITERATIONS);
            return Pbkdf2.hmacSha1(pw.password(), base64(salt, "the PSKC PBKDF2 salt"), rounds, 16);
        }
        if (unlock instanceof PskcProtection.PreSharedKey psk) {
            return psk.key().clone();
        }
        throw new FleetException("the PSKC file is encrypted with a pre-shared key; give the key file");
    }

    private static SeedEntry keyPackage(Element pkg, byte[] key, byte[] macKey) {
        Element k = child(pkg, "Key");
        if (k == null) {
            return null;
        }
        String algorithm = k.getAttribute("Algorithm");
        OathType type;
        if (algorithm.equalsIgnoreCase(Pskc.HOTP) || algorithm.equalsIgnoreCase("urn:ietf:params:xml:ns:keyprov:pskc#hotp")) {
            type = OathType.HOTP;
        } else if (algorithm.equalsIgnoreCase(Pskc.TOTP) || algorithm.equalsIgnoreCase(Pskc.TOTP_DRAFT)) {
            type = OathType.TOTP;
        } else {
            throw new FleetException("key algorithm " + Manifest.quote(algorithm) + " is neither HOTP nor TOTP");
        }
        Element device = child(pkg, "DeviceInfo");
        String serial = device == null ? null : text(child(device, "SerialNo"));
        if (serial == null || serial.isEmpty()) {
            serial = k.getAttribute("Id");
        }
        Element parameters = child(k, "AlgorithmParameters");
        HashAlgorithm hash = HashAlgorithm.SHA1;
        int digits = 6;
        if (parameters != null) {
            String suite = text(child(parameters, "Suite"));
            if (suite != null && !suite.isEmpty()) {
                hash = HashAlgorithm.fromName(suite.toUpperCase(Locale.ROOT).replace("HMAC-", ""));
            }
            Element format = child(parameters, "ResponseFormat");
            if (format != null) {
                if (!format.getAttribute("Encoding").isEmpty() && !"DECIMAL".equals(format.getAttribute("Encoding"))) {
                    throw new FleetException("response encoding " + Manifest.quote(format.getAttribute("Encoding")) + " is not DECIMAL");
                }
                digits = (int) number(format.getAttribute("Length"), "ResponseFormat Length", 1, 99);
            }
        }
        Element data = child(k, "Data");
        Element secret = data == null ? null : child(data, "Secret");
        if (secret == null) {
            throw new FleetException("key " + Manifest.quote(serial) + " has no Data/Secret");
        }
        byte[] value = value(secret, key, macKey);
        long counter = 0;
        int period = 30;
        Element counterElement = child(data, "Counter");
        if (type == OathType.HOTP && counterElement != null) {
            counter = number(plain(counterElement), "the Counter", 0, Long.MAX_VALUE);
        }
        Element interval = child(data, "TimeInterval");
        if (type == OathType.TOTP && interval != null) {
            period = (int) number(plain(interval), "the TimeInterval", Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        String issuer = text(child(k, "Issuer"));
        String friendly = text(child(k, "FriendlyName"));
        String user = text(child(k, "UserId"));
        String account = friendly;
        if (friendly != null && issuer != null && friendly.startsWith(issuer + ":")) {
            account = friendly.substring(issuer.length() + 1);
        }
        if (account == null || account.isEmpty()) {
            account = user == null || user.isEmpty() ? serial : user;
        }
        return new SeedEntry(serial, type, hash, digits, period, counter, issuer == null || issuer.isEmpty() ? null : issuer,
                account, user, "", "", value);
    }

    private static byte[] value(Element holder, byte[] key, byte[] macKey) {
        Element plain = child(holder, "PlainValue");
        if (plain != null) {
            return base64(plain, "a secret's PlainValue");
        }
        Element encrypted = child(holder, "EncryptedValue");
        if (encrypted == null) {
            throw new FleetException("a secret has neither PlainValue nor EncryptedValue");
        }
        if (key == null) {
            throw new FleetException("a secret is encrypted but the file has no EncryptionKey");
        }
        Element method = descendant(encrypted, "EncryptionMethod");
        if (method == null || !PskcCrypto.AES128_CBC.equals(method.getAttribute("Algorithm"))) {
            throw new FleetException("a secret is encrypted with "
                    + (method == null ? "no method" : Manifest.quote(method.getAttribute("Algorithm"))) + "; only AES-128-CBC is supported");
        }
        byte[] ivAndBody = cipherValue(encrypted, "a secret");
        Element mac = child(holder, "ValueMAC");
        if (macKey != null || mac != null) {
            if (mac == null || macKey == null) {
                throw new FleetException("an encrypted secret lacks its ValueMAC or the file its MACMethod");
            }
            if (!PskcCrypto.macMatches(macKey, ivAndBody, base64(mac, "a ValueMAC"))) {
                throw new FleetException("a secret's ValueMAC does not match: the file was altered or the key is wrong");
            }
        }
        return PskcCrypto.decrypt(key, ivAndBody, "a secret");
    }

    private static byte[] cipherValue(Element encrypted, String what) {
        Element cv = descendant(encrypted, "CipherValue");
        if (cv == null) {
            throw new FleetException(what + " has no CipherValue");
        }
        return base64(cv, what + "'s CipherValue");
    }

    /** Strict base64 (white space aside): the MIME decoder would skip stray characters and return a wrong secret. */
    private static byte[] base64(Element holder, String what) {
        String text = holder.getTextContent().replaceAll("\\s+", "");
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new FleetException(what + " is not base64");
        }
    }

    /** A decimal number in {@code [min, max]}; the text itself is not repeated (it may be anything, and long). */
    private static long number(String text, String what, long min, long max) {
        String t = text.strip();
        long value;
        try {
            value = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new FleetException(what + " is not a whole number");
        }
        if (value < min || value > max) {
            throw new FleetException(what + " is " + value + "; it must be " + min + " to " + max);
        }
        return value;
    }

    private static String plain(Element holder) {
        Element p = child(holder, "PlainValue");
        if (p == null) {
            throw new FleetException("encrypted counters and time intervals are not supported");
        }
        return p.getTextContent().strip();
    }

    private static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setAttribute("jdk.xml.maxElementDepth", Integer.toString(MAX_DEPTH));
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new SilentErrors());
            return b.parse(new ByteArrayInputStream(xml));
        } catch (SAXParseException e) {
            // The parser's own sentence quotes the input (any text, line breaks and secrets included): only place it.
            String where = " (line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ")";
            String reason = String.valueOf(e.getMessage());
            if (reason.contains("maxElementDepth")) {
                throw new FleetException("the PSKC file nests elements deeper than " + MAX_DEPTH + where);
            }
            if (reason.contains("DOCTYPE")) {
                throw new FleetException("the PSKC file has a DOCTYPE, which is refused (no entity tricks)" + where);
            }
            throw new FleetException("the PSKC file is not well-formed XML" + where + "; check it with xmllint");
        } catch (SAXException e) {
            throw new FleetException("the PSKC file cannot be parsed as XML");
        } catch (IllegalArgumentException e) {
            throw new FleetException("cannot parse the PSKC file: " + e.getMessage(), e);
        } catch (ParserConfigurationException | IOException e) {
            throw new FleetException("cannot parse the PSKC file: " + e.getMessage(), e);
        }
    }

    /** Errors end the parse as exceptions; the default handler would also print them on stderr. */
    private static final class SilentErrors implements org.xml.sax.ErrorHandler {
        @Override
        public void warning(org.xml.sax.SAXParseException e) {
        }

        @Override
        public void error(org.xml.sax.SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
            throw e;
        }
    }

    private static Element child(Element parent, String local) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String local) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element descendant(Element parent, String local) {
        return descendant(parent, local, 0);
    }

    /** Depth-bounded as well as the parser, so that the walk's stack never depends on the file. */
    private static Element descendant(Element parent, String local, int depth) {
        if (depth > MAX_DEPTH) {
            throw new FleetException("the PSKC file nests elements deeper than " + MAX_DEPTH);
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                if (local.equals(e.getLocalName())) {
                    return e;
                }
                Element d = descendant(e, local, depth + 1);
                if (d != null) {
                    return d;
                }
            }
        }
        return null;
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().strip();
    }
}
