package io.rsslab.nativelib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLoaderTest {

    @TempDir
    Path cache;

    @Test
    void unpacksIntoAFolderNamedByContent() throws Exception {
        Path probe = NativeLoader.unpack(NativeLoader.PROBE, Platform.SUPPORTED_ID, cache);
        assertTrue(Files.isExecutable(probe));
        byte[] bytes = Files.readAllBytes(probe);
        assertEquals(NativeLoader.sha256(bytes).substring(0, 32), probe.getParent().getFileName().toString());
        assertEquals(probe, NativeLoader.unpack(NativeLoader.PROBE, Platform.SUPPORTED_ID, cache));
    }

    @Test
    void concurrentUnpacksAgree() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Callable<Path> c = () -> NativeLoader.unpack(NativeLoader.LIBRARY, Platform.SUPPORTED_ID, cache);
                results.add(pool.submit(c));
            }
            Path first = results.get(0).get();
            for (Future<Path> f : results) {
                assertEquals(first, f.get());
            }
            try (var files = Files.list(first.getParent())) {
                assertEquals(Set.of(first), Set.copyOf(files.toList()), "no partial files left behind");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPlantedFileOfTheSameSizeIsReplacedNotRun() throws Exception {
        Path probe = NativeLoader.unpack(NativeLoader.PROBE, Platform.SUPPORTED_ID, cache);
        byte[] real = Files.readAllBytes(probe);
        byte[] planted = new byte[real.length];
        byte[] script = "#!/bin/sh\necho planted\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(script, 0, planted, 0, script.length);
        Files.write(probe, planted);
        Path again = NativeLoader.unpack(NativeLoader.PROBE, Platform.SUPPORTED_ID, cache);
        assertEquals(probe, again);
        assertArrayEquals(real, Files.readAllBytes(again), "the jar's probe, not what was planted");
    }

    @Test
    void aCacheOthersCanWriteIsRefused() throws Exception {
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        NativeUnavailableException e = assertThrows(NativeUnavailableException.class,
                () -> NativeLoader.unpack(NativeLoader.PROBE, Platform.SUPPORTED_ID, cache));
        assertTrue(e.getMessage().startsWith("the native cache " + cache + " is writable by others (mode 0777)"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("set RSSLAB_CACHE_DIR to a folder of your own (mode 0700)"), e.getMessage());
    }

    @Test
    void aCacheOwnedBySomeoneElseIsRefused() throws Exception {
        assumeTrue(Platform.effectiveUid() == 0, "needs root to give a folder to another user");
        Path theirs = Files.createDirectory(cache.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", 65534);
        NativeUnavailableException e = assertThrows(NativeUnavailableException.class,
                () -> NativeLoader.unpack(NativeLoader.PROBE, Platform.SUPPORTED_ID, theirs));
        assertTrue(e.getMessage().contains("is owned by uid 65534, not by this user (uid 0)"), e.getMessage());
    }

    @Test
    void aFolderAboveThatOthersCanWriteIsRefused() throws Exception {
        Path open = Files.createDirectory(cache.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        NativeUnavailableException e = assertThrows(NativeUnavailableException.class,
                () -> NativeLoader.unpack(NativeLoader.PROBE, Platform.SUPPORTED_ID, open.resolve("rsslab")));
        assertTrue(e.getMessage().startsWith("the native cache's folder " + open + " could be changed by others"),
                e.getMessage());
    }

    @Test
    void aNoexecCacheIsNamedWithTheWayOut() throws Exception {
        Path mnt = Files.createDirectory(cache.resolve("noexec"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "noexec,size=16m,mode=0700", "none",
                mnt.toString()).redirectErrorStream(true).start();
        String out = new String(m.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(m.waitFor() == 0, () -> "needs root to mount a noexec tmpfs: " + out);
        try {
            NativeUnavailableException e = assertThrows(NativeUnavailableException.class,
                    () -> NativeLoader.unpack(NativeLoader.PROBE, Platform.SUPPORTED_ID, mnt.resolve("rsslab")));
            assertTrue(e.getMessage().contains("(is it on a noexec mount?): set RSSLAB_CACHE_DIR"), e.getMessage());
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor();
        }
    }

    @Test
    void aRelativeXdgCacheHomeIsIgnored() {
        assertEquals(Path.of("/home/u/.cache/rsslab"), NativeLoader.cacheRoot(null, "rel/cache", "/home/u"));
        assertEquals(Path.of("/x/rsslab"), NativeLoader.cacheRoot(null, "/x", "/home/u"));
        assertEquals(Path.of("/c"), NativeLoader.cacheRoot("/c", "/x", "/home/u"));
    }

    @Test
    void aMissingNativeFileIsOneClearMessage() {
        NativeUnavailableException e = assertThrows(NativeUnavailableException.class,
                () -> NativeLoader.unpack("librsslab.so", "linux-riscv64", cache));
        assertEquals("native file native/linux-riscv64/librsslab.so is missing from this build "
                + "(build it with: mvn package)", e.getMessage());
    }

    @Test
    void loadsAndCallsTheCore() {
        NativeLoader.loadLibrary();
        assertTrue(NativeCore.glibcVersion().matches("2\\.\\d+"), NativeCore.glibcVersion());
    }

    @Test
    void theLibraryExportsOnlyJniEntryPoints() throws Exception {
        Path lib = NativeLoader.unpack(NativeLoader.LIBRARY, Platform.SUPPORTED_ID, cache);
        Process p = new ProcessBuilder("nm", "-D", "--defined-only", lib.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        List<String> symbols = out.lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
        assertEquals(List.of("Java_io_rsslab_nativelib_NativeCore_glibcVersion",
                "Java_io_rsslab_nativelib_NativeCore_run"), symbols.stream().sorted().toList());
    }
}
