package io.rsslab.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rsslab.plan.VariantCatalog;

/** What a JVM says of itself, and the variants that depend on it. */
public class JavaRuntimeTest {

    /** A stand-in that answers -XX:+PrintFlagsFinal -XshowSettings:properties -version like a JVM without the flag. */
    public static Path fakeJvm(Path dir, String extraFlagLine) throws Exception {
        Path java = dir.resolve("java");
        Files.writeString(java, String.join("\n", "#!/bin/sh",
                "echo '[Global flags]'",
                "echo '     bool UseG1GC                                  = true                {product} {ergonomic}'",
                extraFlagLine.isEmpty() ? "" : "echo '" + extraFlagLine + "'",
                "echo 'Property settings:' >&2",
                "echo '    java.version = 11.0.99' >&2",
                "echo '    java.vendor = Test' >&2",
                "exit 0", ""));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    @Test
    void theRunningJvmDescribesItself() {
        JavaRuntime r = JavaRuntime.probe(JavaRuntime.current());
        assertEquals(System.getProperty("java.version"), r.version());
        assertTrue(r.flagKinds().size() > 100 && r.has("UseG1GC"), "flags from -XX:+PrintFlagsFinal");
    }

    @Test
    void aJvmWithoutTheFlagDoesNotOfferTheVariant(@TempDir Path dir) throws Exception {
        JavaRuntime old = JavaRuntime.probe(fakeJvm(dir, ""));
        assertEquals("11.0.99", old.version());
        assertFalse(old.has("TrimNativeHeapInterval"));
        VariantCatalog catalog = VariantCatalog.load();
        String why = catalog.unavailableReason(catalog.find("jvm-trim-interval").orElseThrow(), old);
        assertTrue(why != null && why.contains("has no -XX:TrimNativeHeapInterval"), why);
        assertEquals(null, catalog.unavailableReason(catalog.find("jvm-trim-interval").orElseThrow(),
                JavaRuntime.probe(JavaRuntime.current())), "this machine's JVMs have it");
    }

    @Test
    void anExperimentalFlagIsUnlockedFirst(@TempDir Path dir) throws Exception {
        JavaRuntime r = JavaRuntime.probe(fakeJvm(dir,
                "     uint TrimNativeHeapInterval                   = 0                {experimental} {default}"));
        assertEquals(Optional.of("-XX:+UnlockExperimentalVMOptions"), r.unlockFor("TrimNativeHeapInterval"));
        VariantCatalog catalog = VariantCatalog.load();
        assertEquals("-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=100", String.join(" ",
                catalog.resolved(catalog.find("jvm-trim-interval").orElseThrow(), r).jvmArgs()));
    }

    @Test
    void notAJvm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JavaRuntime.probe(Path.of("/bin/ls")));
        assertTrue(e.getMessage().contains("is not a JVM"), e.getMessage());
    }
}
