package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.OathType;

/** Names from RFC 6030 and the specifications it builds on. */
final class Pskc {
    static final String NS = "urn:ietf:params:xml:ns:keyprov:pskc";
    static final String DS = "http://www.w3.org/2000/09/xmldsig#";
    static final String XENC = "http://www.w3.org/2001/04/xmlenc#";
    static final String XENC11 = "http://www.w3.org/2009/xmlenc11#";
    static final String PKCS5 = "http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#";
    /** RFC 6030 section 10.1 registers HOTP. */
    static final String HOTP = "urn:ietf:params:xml:ns:keyprov:pskc:hotp";
    /**
     * TOTP is not registered by RFC 6030. Vendors' files and privacyIDEA use this form, and
     * privacyIDEA takes the token type from the text after the last ':', so the '#totp' form of
     * the algorithm-profiles draft would import as type "pskc#totp" there; both are read.
     */
    static final String TOTP = "urn:ietf:params:xml:ns:keyprov:pskc:totp";
    static final String TOTP_DRAFT = "urn:ietf:params:xml:ns:keyprov:pskc#totp";

    private Pskc() {
    }

    static String algorithm(OathType type) {
        return type == OathType.HOTP ? HOTP : TOTP;
    }
}
