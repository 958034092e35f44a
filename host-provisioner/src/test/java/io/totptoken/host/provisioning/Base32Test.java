package io.totptoken.host.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Base32Test {

    /** RFC 4648 section 10 test vectors, padding removed on encode. */
    @ParameterizedTest
    @CsvSource({
        "'', ''", "f, MY======", "fo, MZXQ====", "foo, MZXW6===", "foob, MZXW6YQ=", "fooba, MZXW6YTB",
        "foobar, MZXW6YTBOI======",
    })
    void matchesRfc4648Vectors(String plain, String encoded) {
        byte[] bytes = plain.getBytes(StandardCharsets.US_ASCII);
        assertEquals(encoded.replace("=", ""), Base32.encode(bytes));
        assertArrayEquals(bytes, Base32.decode(encoded));
        assertArrayEquals(bytes, Base32.decode(encoded.replace("=", "")));
    }

    @Test
    void acceptsLowerCaseSpacesAndPadding() {
        byte[] expected = Base32.decode("JBSWY3DPEHPK3PXP");
        assertArrayEquals(expected, Base32.decode("jbsw y3dp ehpk 3pxp"));
        assertArrayEquals(expected, Base32.decode(" JBSWY3DPEHPK3PXP== "));
        assertArrayEquals(expected, Base32.decode("JbSwY3dPeHpK3pXp"));
    }

    @Test
    void roundTripsRandomBytes() {
        Random random = new Random(4648);
        for (int length = 0; length < 100; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            assertArrayEquals(data, Base32.decode(Base32.encode(data)));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "JBSWY3DPEHPK3PX1 | not A-Z or 2-7 at position 16",
        "JBSWY3DP0HPK3PXP | not A-Z or 2-7 at position 9",
        "JBSW=Y3DP | '=' padding before its end (position 5)",
        "A | 1 characters, a length no byte string encodes to",
        "ABC | 3 characters",
        "ABCDEF | 6 characters",
        "ABCDEFGHA | 9 characters",
    })
    void rejectsInvalidInputWithoutEchoingIt(String input, String expected) {
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class, () -> Base32.decode(input));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(!e.getMessage().contains(input.strip()), "message must not echo the secret: " + e.getMessage());
    }
}
