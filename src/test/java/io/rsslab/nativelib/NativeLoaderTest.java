package io.rsslab.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void aMissingNativeFileIsOneClearMessage() {
        NativeUnavailableException e = assertThrows(NativeUnavailableException.class,
                () -> NativeLoader.unpack("librsslab.so", "linux-riscv64", cache));
        assertEquals("native file native/linux-riscv64/librsslab.so is missing from this build "
                + "(build it with: mvn package)", e.getMessage());
    }

    @Test
    void loadsAndCallsTheCoreUnderCheckJni() {
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
