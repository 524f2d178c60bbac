package io.rsslab.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class PlatformTest {

    static final List<String> GLIBC_MAPS = List.of(
            "7f00-7f01 r-xp 00000000 fe:01 123 /usr/lib/x86_64-linux-gnu/libc.so.6");
    static final List<String> MUSL_MAPS = List.of("7f00-7f01 r-xp 00000000 fe:01 9 /lib/ld-musl-x86_64.so.1");

    @Test
    void linuxX8664WithGlibcIsSupported() {
        Platform p = Platform.detect("Linux", "amd64", GLIBC_MAPS);
        assertEquals("linux-x86_64", p.id());
        assertEquals("glibc", p.libc());
        assertTrue(p.supported());
    }

    @Test
    void othersAreNamedAndRefused() {
        assertFalse(Platform.detect("Linux", "amd64", MUSL_MAPS).supported());
        assertEquals("linux-x86_64 with musl", Platform.detect("Linux", "x86_64", MUSL_MAPS).describe());
        assertEquals("linux-aarch64", Platform.detect("Linux", "aarch64", GLIBC_MAPS).id());
        assertEquals("macos-aarch64", Platform.detect("Mac OS X", "arm64", List.of()).id());
        assertFalse(Platform.detect("Windows 11", "amd64", List.of()).supported());
        assertEquals("glibc", Platform.libcOf(List.of("7f r-xp 0 0 0 /lib64/libc-2.28.so")));
    }

    @Test
    void thisMachineIsSupported() {
        assertTrue(Platform.current().supported(), Platform.current().describe());
    }
}
