package io.rsslab.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one place that finds the native pieces. The jar carries them under
 * {@code native/<platform>/}; they are unpacked into a private per-user
 * cache folder named by the content's SHA-256, so two runs starting at once
 * agree on the file, a new build never reuses an old one, and nothing needs
 * an executable /tmp.
 */
public final class NativeLoader {

    public static final String LIBRARY = "librsslab.so";
    public static final String PROBE = "rsslab-probe";

    /** Overrides the cache folder (for tests and for read-only homes). */
    public static final String CACHE_DIR_PROPERTY = "rsslab.cache.dir";
    public static final String CACHE_DIR_ENV = "RSSLAB_CACHE_DIR";

    private static boolean libraryLoaded;

    /** Each native file is unpacked (read, hashed, checked) once per process, not once per child. */
    private static final java.util.Map<String, Path> UNPACKED = new java.util.concurrent.ConcurrentHashMap<>();

    private NativeLoader() {
    }

    /** Loads librsslab.so into this JVM, once. */
    public static synchronized void loadLibrary() {
        if (libraryLoaded) {
            return;
        }
        Path lib = unpack(LIBRARY);
        try {
            System.load(lib.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new NativeUnavailableException("cannot load " + lib + ": " + e.getMessage(), e);
        }
        libraryLoaded = true;
    }

    /** The probe executable, unpacked and executable. */
    public static Path probe() {
        return unpack(PROBE);
    }

    /** Unpacks the named native file for this platform into the cache. */
    public static Path unpack(String name) {
        return UNPACKED.computeIfAbsent(name,
                n -> unpack(n, Platform.requireSupported().id(), cacheRoot()));
    }

    static Path unpack(String name, String platformId, Path cacheRoot) {
        byte[] content = readResource("/native/" + platformId + "/" + name);
        Path dir = cacheRoot.resolve(sha256(content).substring(0, 32));
        Path target = dir.resolve(name);
        try {
            if (Files.isRegularFile(target) && Files.size(target) == content.length
                    && Files.isExecutable(target)) {
                return target;
            }
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            // Write beside the target, then rename: a concurrent run sees
            // either no file or the whole file, never a half-written one.
            Path tmp = Files.createTempFile(dir, name, ".part", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            try {
                Files.write(tmp, content);
                moveAtomically(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new NativeUnavailableException("cannot unpack " + name + " into " + dir + ": " + e
                    + " (set " + CACHE_DIR_ENV + " to a writable folder)", e);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static byte[] readResource(String resource) {
        try (InputStream in = NativeLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new NativeUnavailableException("native file " + resource.substring(1)
                        + " is missing from this build (build it with: mvn package)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new NativeUnavailableException("cannot read " + resource + " from the jar: " + e, e);
        }
    }

    static Path cacheRoot() {
        String configured = System.getProperty(CACHE_DIR_PROPERTY, System.getenv(CACHE_DIR_ENV));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("rsslab").toAbsolutePath();
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
