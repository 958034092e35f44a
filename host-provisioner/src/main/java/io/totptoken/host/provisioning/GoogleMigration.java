package io.totptoken.host.provisioning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Google Authenticator's export, {@code otpauth-migration://offline?data=BASE64} where the data is
 * a protobuf MigrationPayload (REFERENCE.md section 4). Field numbers below are that message's.
 */
public final class GoogleMigration {
    static final String SCHEME = "otpauth-migration";
    private static final String PREFIX = SCHEME + "://offline";

    // MigrationPayload
    private static final int PAYLOAD_OTP_PARAMETERS = 1;
    private static final int PAYLOAD_VERSION = 2;
    private static final int PAYLOAD_BATCH_SIZE = 3;
    private static final int PAYLOAD_BATCH_INDEX = 4;
    private static final int PAYLOAD_BATCH_ID = 5;
    // OtpParameters
    private static final int OTP_SECRET = 1;
    private static final int OTP_NAME = 2;
    private static final int OTP_ISSUER = 3;
    private static final int OTP_ALGORITHM = 4;
    private static final int OTP_DIGITS = 5;
    private static final int OTP_TYPE = 6;
    private static final int OTP_COUNTER = 7;
    // Enum values
    private static final int ALGORITHM_MD5 = 4;
    private static final int DIGITS_SIX = 1;
    private static final int DIGITS_EIGHT = 2;
    private static final int TYPE_HOTP = 1;
    private static final int TYPE_TOTP = 2;

    private GoogleMigration() {
    }

    /** Decodes one export URI (one QR code). */
    public static MigrationBatch decode(String uri) {
        if (uri == null) {
            throw new InvalidCredentialException("no otpauth-migration:// URI given");
        }
        String text = uri.strip();
        if (!text.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || text.length() > PREFIX.length() && "/?".indexOf(text.charAt(PREFIX.length())) < 0) {
            throw new InvalidCredentialException("not a Google Authenticator export (otpauth-migration://offline?data=...)");
        }
        int question = text.indexOf('?');
        String data = null;
        for (String pair : question < 0 ? new String[0] : text.substring(question + 1).split("&")) {
            if (pair.regionMatches(true, 0, "data=", 0, 5)) {
                if (data != null) {
                    throw new InvalidCredentialException("export URI has the data= parameter more than once");
                }
                // '+' is a base64 digit here, never a space
                data = PercentEncoding.decode(pair.substring(5), false, "export data= parameter");
            }
        }
        if (data == null || data.isBlank()) {
            throw new InvalidCredentialException("export URI has no data= parameter");
        }
        byte[] payload;
        try {
            // Standard alphabet per the format; URL-safe digits and missing padding are accepted too.
            payload = Base64.getDecoder().decode(data.replaceAll("\\s", "").replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw new InvalidCredentialException("export data= parameter is not valid base64");
        }
        try {
            return decodePayload(payload);
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
    }

    /** Decodes the MigrationPayload protobuf itself. */
    public static MigrationBatch decodePayload(byte[] payload) {
        ProtobufReader reader = new ProtobufReader(payload);
        List<CredentialSpec> credentials = new ArrayList<>();
        long size = 0;
        long index = 0;
        long batchId = 0;
        while (reader.hasMore()) {
            int key = reader.readKey();
            int field = key >>> 3;
            int wireType = key & 7;
            if (field == PAYLOAD_OTP_PARAMETERS) {
                expect(wireType, ProtobufReader.LENGTH_DELIMITED, "otp_parameters");
                credentials.add(otpParameters(reader.readMessage(), credentials.size() + 1));
            } else if (field >= PAYLOAD_VERSION && field <= PAYLOAD_BATCH_ID) {
                expect(wireType, ProtobufReader.VARINT, "batch information");
                long value = reader.readVarint();
                if (field == PAYLOAD_BATCH_SIZE) {
                    size = value;
                } else if (field == PAYLOAD_BATCH_INDEX) {
                    index = value;
                } else if (field == PAYLOAD_BATCH_ID) {
                    batchId = value;
                }
            } else {
                reader.skip(wireType);
            }
        }
        // int32 fields: protobuf sign-extends negatives to 64 bits, and an absent size means one batch.
        if (size == 0) {
            size = 1;
        }
        if (size != (int) size || index != (int) index) {
            throw ProtobufReader.corrupt("batch size or index does not fit 32 bits");
        }
        return new MigrationBatch(batchId, (int) index, (int) size, credentials);
    }

    /** Encodes a batch as an export URI, the inverse of {@link #decode}. */
    public static String encode(MigrationBatch batch) {
        byte[] payload = encodePayload(batch);
        try {
            return PREFIX + "?data=" + PercentEncoding.encode(Base64.getEncoder().encodeToString(payload));
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
    }

    /**
     * Encodes a batch as a MigrationPayload. The name field is {@code issuer:account}, as
     * Google Authenticator writes it. Touch is not carried.
     *
     * @throws InvalidCredentialException for what the format cannot carry: a TOTP period other
     *         than 30 s, or 7 digits
     */
    public static byte[] encodePayload(MigrationBatch batch) {
        ProtobufWriter payload = new ProtobufWriter();
        for (CredentialSpec spec : batch.credentials()) {
            if (spec.type() == OathType.TOTP && spec.period() != CredentialSpec.DEFAULT_PERIOD) {
                throw new InvalidCredentialException("Google Authenticator exports cannot carry a " + spec.period()
                        + " s period, only 30 s");
            }
            if (spec.digits() == 7) {
                throw new InvalidCredentialException("Google Authenticator exports cannot carry 7-digit codes");
            }
            ProtobufWriter otp = new ProtobufWriter();
            otp.writeBytes(OTP_SECRET, spec.secret());
            otp.writeString(OTP_NAME, spec.issuer() == null ? spec.account() : spec.issuer() + ":" + spec.account());
            if (spec.issuer() != null) {
                otp.writeString(OTP_ISSUER, spec.issuer());
            }
            otp.writeVarint(OTP_ALGORITHM, spec.algorithm().code()); // 1, 2, 3 in both YKOATH and the export
            otp.writeVarint(OTP_DIGITS, spec.digits() == 8 ? DIGITS_EIGHT : DIGITS_SIX);
            otp.writeVarint(OTP_TYPE, spec.type() == OathType.HOTP ? TYPE_HOTP : TYPE_TOTP);
            if (spec.type() == OathType.HOTP) {
                otp.writeVarint(OTP_COUNTER, spec.counter());
            }
            payload.writeMessage(PAYLOAD_OTP_PARAMETERS, otp);
        }
        payload.writeVarint(PAYLOAD_VERSION, 1);
        payload.writeVarint(PAYLOAD_BATCH_SIZE, batch.size());
        payload.writeVarint(PAYLOAD_BATCH_INDEX, batch.index());
        payload.writeVarint(PAYLOAD_BATCH_ID, batch.batchId());
        byte[] bytes = payload.toByteArray();
        payload.wipe();
        return bytes;
    }

    private static CredentialSpec otpParameters(ProtobufReader reader, int entry) {
        byte[] secret = new byte[0];
        String name = "";
        String issuer = "";
        long algorithm = 0;
        long digits = 0;
        long type = 0;
        long counter = 0;
        try {
            while (reader.hasMore()) {
                int key = reader.readKey();
                int field = key >>> 3;
                int wireType = key & 7;
                switch (field) {
                    case OTP_SECRET -> {
                        expect(wireType, ProtobufReader.LENGTH_DELIMITED, "secret");
                        Arrays.fill(secret, (byte) 0);
                        secret = reader.readBytes();
                    }
                    case OTP_NAME -> {
                        expect(wireType, ProtobufReader.LENGTH_DELIMITED, "name");
                        name = reader.readString("name");
                    }
                    case OTP_ISSUER -> {
                        expect(wireType, ProtobufReader.LENGTH_DELIMITED, "issuer");
                        issuer = reader.readString("issuer");
                    }
                    case OTP_ALGORITHM -> algorithm = varint(reader, wireType, "algorithm");
                    case OTP_DIGITS -> digits = varint(reader, wireType, "digits");
                    case OTP_TYPE -> type = varint(reader, wireType, "type");
                    case OTP_COUNTER -> counter = varint(reader, wireType, "counter");
                    default -> reader.skip(wireType);
                }
            }
            return credential(entry, secret, name, issuer, algorithm, digits, type, counter);
        } catch (InvalidCredentialException e) {
            throw e.in("export entry " + entry + (name.isEmpty() ? "" : " (" + UserText.quote(name) + ")"));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static CredentialSpec credential(int entry, byte[] secret, String name, String issuer,
                                             long algorithm, long digits, long type, long counter) {
        HashAlgorithm hash = switch ((int) algorithm == algorithm ? (int) algorithm : -1) {
            case 0, 1 -> HashAlgorithm.SHA1; // 0 is "unspecified": the Key URI default applies
            case 2 -> HashAlgorithm.SHA256;
            case 3 -> HashAlgorithm.SHA512;
            case ALGORITHM_MD5 -> throw new InvalidCredentialException(
                    "HMAC-MD5 is not supported by the token; keep this account in another app");
            default -> throw new InvalidCredentialException("unknown algorithm code " + algorithm);
        };
        int digitCount;
        if (digits == 0 || digits == DIGITS_SIX) {
            digitCount = 6;
        } else if (digits == DIGITS_EIGHT) {
            digitCount = 8;
        } else {
            throw new InvalidCredentialException("unknown digit count code " + digits);
        }
        OathType oathType;
        if (type == TYPE_HOTP) {
            oathType = OathType.HOTP;
        } else if (type == TYPE_TOTP) {
            oathType = OathType.TOTP;
        } else {
            throw new InvalidCredentialException(type == 0 ? "no OTP type (neither HOTP nor TOTP)"
                    : "unknown OTP type code " + type);
        }
        String account = name;
        String owner = issuer.isBlank() ? null : issuer;
        if (owner != null && name.startsWith(owner + ":")) {
            account = name.substring(owner.length() + 1);
        } else if (owner == null && name.indexOf(':') >= 0) {
            owner = name.substring(0, name.indexOf(':'));
            account = name.substring(name.indexOf(':') + 1);
        }
        if (secret.length == 0) {
            throw new InvalidCredentialException("no secret");
        }
        return new CredentialSpec(oathType, hash, digitCount, CredentialSpec.DEFAULT_PERIOD,
                oathType == OathType.HOTP ? counter : 0, owner, account, secret, false);
    }

    private static long varint(ProtobufReader reader, int wireType, String what) {
        expect(wireType, ProtobufReader.VARINT, what);
        return reader.readVarint();
    }

    private static void expect(int wireType, int expected, String what) {
        if (wireType != expected) {
            throw ProtobufReader.corrupt(what + " has wire type " + wireType + ", expected " + expected);
        }
    }
}
