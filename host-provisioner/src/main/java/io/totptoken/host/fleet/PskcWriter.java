package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.session.Pbkdf2;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a PSKC KeyContainer (RFC 6030): one KeyPackage per token with DeviceInfo/SerialNo, a Key
 * whose Id is the serial, the hash in AlgorithmParameters/Suite (what privacyIDEA reads), the
 * response length, the secret (PlainValue, or EncryptedValue with a ValueMAC) and Counter or
 * TimeInterval. Elements follow the schema's order, so {@code pskctool --validate} accepts the file.
 */
public final class PskcWriter {
    private static final Base64.Encoder B64 = Base64.getEncoder();
    /** What a password-protected file calls its password, for importers that ask for it by name. */
    static final String MASTER_KEY_NAME = "Password";

    private PskcWriter() {
    }

    public static byte[] write(List<SeedEntry> entries, PskcProtection protection) {
        byte[] key = null;
        byte[] macKey = null;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(bytes, "UTF-8");
            Indent w = new Indent(x);
            x.writeStartDocument("UTF-8", "1.0");
            x.setDefaultNamespace(Pskc.NS);
            x.setPrefix("ds", Pskc.DS);
            x.setPrefix("xenc", Pskc.XENC);
            x.setPrefix("xenc11", Pskc.XENC11);
            x.setPrefix("pkcs5", Pskc.PKCS5);
            w.start("KeyContainer");
            x.writeDefaultNamespace(Pskc.NS);
            boolean encrypted = !(protection instanceof PskcProtection.None);
            if (encrypted) {
                x.writeNamespace("ds", Pskc.DS);
                x.writeNamespace("xenc", Pskc.XENC);
            }
            if (protection instanceof PskcProtection.Password) {
                x.writeNamespace("xenc11", Pskc.XENC11);
                x.writeNamespace("pkcs5", Pskc.PKCS5);
            }
            x.writeAttribute("Version", "1.0");
            if (protection instanceof PskcProtection.PreSharedKey psk) {
                key = psk.key().clone();
                w.start("EncryptionKey");
                w.text(Pskc.DS, "KeyName", psk.keyName() == null ? "Pre-shared-key" : psk.keyName());
                w.end();
            } else if (protection instanceof PskcProtection.Password pw) {
                byte[] salt = PskcCrypto.random(16);
                key = Pbkdf2.hmacSha1(pw.password(), salt, pw.iterations(), 16);
                // RFC 6030 section 6.2: a DerivedKey (XML Encryption 1.1) with PKCS #5 PBKDF2 parameters,
                // whose children are unqualified as in the RFC's example.
                w.start("EncryptionKey");
                w.start(Pskc.XENC11, "DerivedKey");
                w.start(Pskc.XENC11, "KeyDerivationMethod");
                x.writeAttribute("Algorithm", PskcCrypto.PBKDF2);
                w.start(Pskc.PKCS5, "PBKDF2-params");
                x.writeDefaultNamespace("");
                w.start("", "Salt");
                w.text("", "Specified", B64.encodeToString(salt));
                w.end();
                w.text("", "IterationCount", Integer.toString(pw.iterations()));
                w.text("", "KeyLength", "16");
                w.empty("", "PRF");
                w.end();
                w.end();
                // FreeIPA's ipa-otptoken-import asks for a key only when the file names one (ds:KeyName,
                // else this); without it, it reads no secret at all.
                w.text(Pskc.XENC11, "MasterKeyName", MASTER_KEY_NAME);
                w.end();
                w.end();
            }
            if (encrypted) {
                macKey = PskcCrypto.random(20);
                w.start("MACMethod");
                x.writeAttribute("Algorithm", PskcCrypto.HMAC_SHA1);
                w.start("MACKey");
                encryptedData(w, PskcCrypto.encrypt(key, macKey));
                w.end();
                w.end();
            }
            for (SeedEntry e : entries) {
                keyPackage(w, e, key, macKey);
            }
            w.end();
            x.writeEndDocument();
            x.close();
            bytes.write('\n');
            return bytes.toByteArray();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write PSKC XML", e);
        } finally {
            PskcProtection.wipe(key);
            PskcProtection.wipe(macKey);
        }
    }

    private static void keyPackage(Indent w, SeedEntry e, byte[] key, byte[] macKey) throws XMLStreamException {
        XMLStreamWriter x = w.x;
        w.start("KeyPackage");
        w.start("DeviceInfo");
        // No Manufacturer: RFC 6030 section 4.3.1 wants a name from OATH's or IANA's registry, and we have neither.
        w.text(Pskc.NS, "SerialNo", e.serial());
        w.end();
        w.start("Key");
        x.writeAttribute("Id", e.serial());
        x.writeAttribute("Algorithm", Pskc.algorithm(e.type()));
        if (e.issuer() != null) {
            w.text(Pskc.NS, "Issuer", e.issuer());
        }
        w.start("AlgorithmParameters");
        w.text(Pskc.NS, "Suite", e.algorithm().name());
        w.empty(Pskc.NS, "ResponseFormat");
        x.writeAttribute("Encoding", "DECIMAL");
        x.writeAttribute("Length", Integer.toString(e.digits()));
        w.end();
        w.text(Pskc.NS, "FriendlyName", e.issuer() == null ? e.account() : e.issuer() + ":" + e.account());
        w.start("Data");
        w.start("Secret");
        if (key == null) {
            w.text(Pskc.NS, "PlainValue", B64.encodeToString(e.secret()));
        } else {
            byte[] value = PskcCrypto.encrypt(key, e.secret());
            w.start("EncryptedValue");
            encryptedData(w, value);
            w.end();
            // RFC 6030 section 6.1.1: the MAC covers the encrypted value, IV included.
            w.text(Pskc.NS, "ValueMAC", B64.encodeToString(PskcCrypto.mac(macKey, value)));
        }
        w.end();
        if (e.type() == OathType.HOTP) {
            w.start("Counter");
            w.text(Pskc.NS, "PlainValue", Long.toString(e.counter()));
            w.end();
        } else {
            w.start("TimeInterval");
            w.text(Pskc.NS, "PlainValue", Integer.toString(e.period()));
            w.end();
        }
        w.end();
        if (e.user() != null && !e.user().isEmpty()) {
            w.text(Pskc.NS, "UserId", e.user());
        }
        w.end();
        w.end();
    }

    private static void encryptedData(Indent w, byte[] ivAndBody) throws XMLStreamException {
        w.empty(Pskc.XENC, "EncryptionMethod");
        w.x.writeAttribute("Algorithm", PskcCrypto.AES128_CBC);
        w.start(Pskc.XENC, "CipherData");
        w.text(Pskc.XENC, "CipherValue", B64.encodeToString(ivAndBody));
        w.end();
    }

    /** Two-space indentation on top of StAX, which writes everything on one line. */
    private static final class Indent {
        final XMLStreamWriter x;
        int depth;
        boolean leaf;

        Indent(XMLStreamWriter x) {
            this.x = x;
        }

        void start(String local) throws XMLStreamException {
            start(Pskc.NS, local);
        }

        void start(String ns, String local) throws XMLStreamException {
            newline();
            if (ns.isEmpty()) {
                x.writeStartElement(local);
            } else {
                x.writeStartElement(ns, local);
            }
            depth++;
        }

        void end() throws XMLStreamException {
            depth--;
            newline();
            x.writeEndElement();
        }

        void empty(String ns, String local) throws XMLStreamException {
            newline();
            if (ns.isEmpty()) {
                x.writeEmptyElement(local);
            } else {
                x.writeEmptyElement(ns, local);
            }
        }

        void text(String ns, String local, String text) throws XMLStreamException {
            newline();
            if (ns.isEmpty()) {
                x.writeStartElement(local);
            } else {
                x.writeStartElement(ns, local);
            }
            x.writeCharacters(text);
            x.writeEndElement();
        }

        private void newline() throws XMLStreamException {
            x.writeCharacters("\n" + "  ".repeat(depth));
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
