package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> ACCOUNTS = List.of("add", "list", "code", "delete", "rename");

    @Test
    void swappedMissingExtraAndWrongLettersAreFound() {
        assertEquals(List.of("list"), Suggestions.similar("lsit", ACCOUNTS));
        assertEquals(List.of("delete"), Suggestions.similar("delte", ACCOUNTS));
        assertEquals(List.of("rename"), Suggestions.similar("renamee", ACCOUNTS));
        assertEquals(List.of("code"), Suggestions.similar("cods", ACCOUNTS));
        assertEquals(List.of("accounts"), Suggestions.similar("ACOUNTS", List.of("info", "accounts", "access")));
    }

    @Test
    void aBeginningSuggestsTheNamesItStartsAndNothingCloseSuggestsNothing() {
        assertEquals(List.of("delete"), Suggestions.similar("del", ACCOUNTS));
        assertEquals(List.of(), Suggestions.similar("xyzzy", ACCOUNTS));
        assertEquals(List.of(), Suggestions.similar("list", ACCOUNTS), "an exact name is no typo");
    }

    @Test
    void closestComesFirst() {
        assertEquals(List.of("code", "cod"), Suggestions.similar("codes", List.of("cod", "code")));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
        assertEquals(1, Suggestions.distance("ab", "ba"));
    }
}
