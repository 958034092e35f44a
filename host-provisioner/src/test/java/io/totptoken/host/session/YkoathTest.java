package io.totptoken.host.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.totptoken.host.transport.TraceTransport;
import io.totptoken.oath.Protocol;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The host's YKOATH numbers agree with the applet's, and with the copies the transport layer keeps. */
class YkoathTest {
    @Test
    void everyNumberTheAppletAlsoNamesHasTheAppletsValue() throws ReflectiveOperationException {
        List<String> compared = new ArrayList<>();
        for (Field host : constants(Ykoath.class)) {
            Field card;
            try {
                card = Protocol.class.getField(host.getName());
            } catch (NoSuchFieldException e) {
                continue; // a number only the host sends or reads (SELECT, ISO status words)
            }
            int value = ((Number) card.get(null)).intValue();
            int cardValue = card.getType() == byte.class ? value & 0xFF : value & 0xFFFF;
            assertEquals(cardValue, host.getInt(null), host.getName());
            compared.add(host.getName());
        }
        assertTrue(compared.size() >= 40, "only " + compared + " compared");
        assertEquals(0x6982, Ykoath.SW_AUTH_REQUIRED);
    }

    @Test
    void theTraceMasksTheSameTagsTheSessionSends() throws ReflectiveOperationException {
        List<Field> copies = new ArrayList<>();
        for (Field copy : TraceTransport.class.getDeclaredFields()) {
            if (Modifier.isStatic(copy.getModifiers()) && copy.getType() == int.class) {
                copy.setAccessible(true);
                assertEquals(Ykoath.class.getField(copy.getName()).getInt(null), copy.getInt(null), copy.getName());
                copies.add(copy);
            }
        }
        assertEquals(9, copies.size(), copies.toString());
    }

    private static List<Field> constants(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                out.add(f);
            }
        }
        return out;
    }
}
