package io.rsslab.nativelib;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The platform this JVM runs on, named the way the jar's native folder is
 * ({@code native/linux-x86_64}). rsslab measures glibc malloc, so the C
 * library matters as much as the OS and architecture.
 */
public record Platform(String os, String arch, String libc) {

    /** The only platform the jar carries native code for. */
    public static final String SUPPORTED_ID = "linux-x86_64";

    private static final Path SELF_MAPS = Path.of("/proc/self/maps");

    public static Platform current() {
        List<String> maps;
        try {
            maps = Files.exists(SELF_MAPS) ? Files.readAllLines(SELF_MAPS) : List.of();
        } catch (IOException e) {
            maps = List.of();
        }
        return detect(System.getProperty("os.name", ""), System.getProperty("os.arch", ""), maps);
    }

    /** Platform from the JVM's os.name and os.arch and the lines of /proc/self/maps. */
    static Platform detect(String osName, String osArch, List<String> mapsLines) {
        return new Platform(normalizeOs(osName), normalizeArch(osArch), libcOf(mapsLines));
    }

    static String normalizeOs(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) {
            return "linux";
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return "macos";
        }
        if (os.startsWith("windows")) {
            return "windows";
        }
        return os.replaceAll("[^a-z0-9]+", "");
    }

    static String normalizeArch(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        switch (arch) {
            case "amd64":
            case "x86_64":
            case "x86-64":
                return "x86_64";
            case "aarch64":
            case "arm64":
                return "aarch64";
            default:
                return arch.replaceAll("[^a-z0-9_]+", "");
        }
    }

    /** glibc's loader maps libc.so.6; musl's is ld-musl-ARCH.so.1. */
    static String libcOf(List<String> mapsLines) {
        boolean glibc = false;
        for (String line : mapsLines) {
            if (line.contains("ld-musl")) {
                return "musl";
            }
            if (line.endsWith("/libc.so.6") || line.matches(".*/libc-2\\.[0-9]+\\.so$")) {
                glibc = true;
            }
        }
        return glibc ? "glibc" : "unknown";
    }

    /** This platform, or a NativeUnavailableException naming what rsslab needs instead. */
    public static Platform requireSupported() {
        Platform p = current();
        if (!p.supported()) {
            throw new NativeUnavailableException("unsupported platform: rsslab needs " + SUPPORTED_ID
                    + " with glibc, this is " + p.describe());
        }
        return p;
    }

    /** The effective user id of this process (/proc/self/status "Uid:", the second figure). */
    public static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new NativeUnavailableException("cannot tell this process's user id from /proc/self/status");
        }
        throw new NativeUnavailableException("cannot tell this process's user id from /proc/self/status");
    }

    public String id() {
        return os + "-" + arch;
    }

    public boolean supported() {
        return SUPPORTED_ID.equals(id()) && "glibc".equals(libc);
    }

    public String describe() {
        return id() + " with " + ("unknown".equals(libc) ? "an unknown C library" : libc);
    }
}
