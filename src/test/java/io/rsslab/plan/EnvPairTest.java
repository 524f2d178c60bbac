package io.rsslab.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EnvPairTest {

    @Test
    void envPairsAreParsedStrictly() {
        assertEquals(new EnvPair("GLIBC_TUNABLES", "glibc.malloc.top_pad=1:a=b"),
                EnvPair.parse("GLIBC_TUNABLES=glibc.malloc.top_pad=1:a=b"));
        assertEquals(new EnvPair("EMPTY", ""), EnvPair.parse("EMPTY="));
        assertThrows(IllegalArgumentException.class, () -> EnvPair.parse("NOEQ"));
        assertThrows(IllegalArgumentException.class, () -> EnvPair.parse("=v"));
        assertThrows(IllegalArgumentException.class, () -> EnvPair.parse("A-B=1"));
    }
}
