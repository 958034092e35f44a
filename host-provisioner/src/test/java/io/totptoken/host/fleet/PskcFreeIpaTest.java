package io.totptoken.host.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Our PSKC as FreeIPA's ipa-otptoken-import reads it: the XPaths it evaluates, with its namespace
 * prefixes, and the values it accepts (token type URIs, DECIMAL codes of 6 or 8 digits, a key name
 * whenever the file is encrypted, without which it never asks for the key and finds no secret).
 */
class PskcFreeIpaTest {
    private static final Map<String, String> NS = Map.of("pskc", Pskc.NS, "xenc11", Pskc.XENC11, "xenc", Pskc.XENC,
            "ds", Pskc.DS, "pkcs5", Pskc.PKCS5);
    private static final List<String> TYPES = List.of("urn:ietf:params:xml:ns:keyprov:pskc:hotp",
            "urn:ietf:params:xml:ns:keyprov:pskc#hotp", "urn:ietf:params:xml:ns:keyprov:pskc:totp",
            "urn:ietf:params:xml:ns:keyprov:pskc#totp");

    private static XPath xpath() {
        XPath x = XPathFactory.newInstance().newXPath();
        x.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return NS.getOrDefault(prefix, XMLConstants.NULL_NS_URI);
            }

            @Override
            public String getPrefix(String uri) {
                return null;
            }

            @Override
            public Iterator<String> getPrefixes(String uri) {
                return null;
            }
        });
        return x;
    }

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static String text(XPath x, Node at, String path) throws Exception {
        return (String) x.evaluate(path, at, XPathConstants.STRING);
    }

    @Test
    void everyKeyPackageHasWhatFreeIpaReads() throws Exception {
        XPath x = xpath();
        Document doc = parse(PskcWriter.write(PskcTest.entries(), PskcProtection.none()));
        NodeList packages = (NodeList) x.evaluate("/pskc:KeyContainer/pskc:KeyPackage", doc, XPathConstants.NODESET);
        assertEquals(PskcTest.entries().size(), packages.getLength());
        for (int i = 0; i < packages.getLength(); i++) {
            Node kp = packages.item(i);
            SeedEntry e = PskcTest.entries().get(i);
            assertTrue(TYPES.contains(text(x, kp, "./pskc:Key/@Algorithm").toLowerCase()), "a token type FreeIPA knows");
            assertEquals(e.serial(), text(x, kp, "./pskc:Key/@Id"), "the token id");
            assertEquals(e.serial(), text(x, kp, "./pskc:DeviceInfo/pskc:SerialNo/text()"), "ipatokenserial");
            assertEquals(e.algorithm().name().toLowerCase(),
                    text(x, kp, "./pskc:Key/pskc:AlgorithmParameters/pskc:Suite/text()").toLowerCase());
            assertEquals(Integer.toString(e.digits()),
                    text(x, kp, "./pskc:Key/pskc:AlgorithmParameters/pskc:ResponseFormat/@Length"));
            assertEquals("DECIMAL", text(x, kp, "./pskc:Key/pskc:AlgorithmParameters/pskc:ResponseFormat/@Encoding"));
            assertEquals("", text(x, kp, "./pskc:Key/pskc:AlgorithmParameters/pskc:ResponseFormat/@CheckDigit"));
            assertEquals(java.util.Base64.getEncoder().encodeToString(e.secret()),
                    text(x, kp, "./pskc:Key/pskc:Data/pskc:Secret/pskc:PlainValue/text()"));
            String moving = e.type() == io.totptoken.host.provisioning.OathType.TOTP
                    ? "./pskc:Key/pskc:Data/pskc:TimeInterval/pskc:PlainValue/text()"
                    : "./pskc:Key/pskc:Data/pskc:Counter/pskc:PlainValue/text()";
            assertEquals(Long.toString(e.type() == io.totptoken.host.provisioning.OathType.TOTP ? e.period()
                    : e.counter()), text(x, kp, moving));
            assertEquals("", text(x, kp, "./pskc:Key/pskc:Data/pskc:Time"), "FreeIPA refuses a Time");
            assertEquals("", text(x, kp, "./pskc:Key/pskc:Policy"), "FreeIPA refuses PIN and transaction policies");
        }
    }

    /** ipa-otptoken-import asks for -k only when the file names its key: ds:KeyName, else the DerivedKey's MasterKeyName. */
    @Test
    void anEncryptedFileNamesItsKeySoFreeIpaAsksForIt() throws Exception {
        XPath x = xpath();
        Document psk = parse(PskcWriter.write(PskcTest.entries(),
                new PskcProtection.PreSharedKey(new byte[16], "Pre-shared-key")));
        assertEquals("Pre-shared-key", text(x, psk, "/pskc:KeyContainer/pskc:EncryptionKey/ds:KeyName/text()"));
        Document password = parse(PskcWriter.write(PskcTest.entries(),
                new PskcProtection.Password("pw".toCharArray(), 1000)));
        Node key = (Node) x.evaluate("/pskc:KeyContainer/pskc:EncryptionKey", password, XPathConstants.NODE);
        assertEquals("", text(x, key, "./ds:KeyName/text()"));
        assertEquals(PskcWriter.MASTER_KEY_NAME, text(x, key, "./xenc11:DerivedKey/xenc11:MasterKeyName/text()"));
        assertEquals("1000", text(x, key, "./xenc11:DerivedKey/xenc11:KeyDerivationMethod/pkcs5:PBKDF2-params"
                + "/IterationCount/text()"));
        assertEquals("16", text(x, key, "./xenc11:DerivedKey/xenc11:KeyDerivationMethod/pkcs5:PBKDF2-params"
                + "/KeyLength/text()"));
        assertTrue(!text(x, key, "./xenc11:DerivedKey/xenc11:KeyDerivationMethod/pkcs5:PBKDF2-params"
                + "/Salt/Specified/text()").isEmpty());
        assertTrue(!text(x, password, "/pskc:KeyContainer/pskc:MACMethod/pskc:MACKey").isBlank(),
                "FreeIPA checks each ValueMAC with the MACKey");
    }
}
