package io.rsslab.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that finds the native pieces. The jar carries them under
 * {@code native/<platform>/}; they are unpacked into a private per-user
 * cache folder named by the content's SHA-256, so two runs starting at once
 * agree on the file, a new build never reuses an old one, and nothing needs
 * an executable /tmp.
 *
 * What is run is always what the jar holds: a cached file is reused only
 * when its bytes equal the jar's, and only from folders that no one else can
 * write to (owned by this user, not writable by group or others, and every
 * folder above them owned by this user or root and not writable by others
 * unless sticky, as /tmp is); anything else in the cache is replaced, and a
 * cache that others could change is refused with one line.
 */
public final class NativeLoader {

    public static final String LIBRARY = "librsslab.so";
    public static final String PROBE = "rsslab-probe";
    /** The periodic trimmer (trim_preload.c) that the trim-every-* variants preload. */
    public static final String TRIMMER = "librsslab-trim.so";

    /** Overrides the cache folder (for tests and for read-only homes). */
    public static final String CACHE_DIR_PROPERTY = "rsslab.cache.dir";
    public static final String CACHE_DIR_ENV = "RSSLAB_CACHE_DIR";

    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int OTHER_WRITE = 0002;
    private static final int STICKY = 01000;

    private static boolean libraryLoaded;

    /** Each native file is unpacked (read, hashed, checked) once per process, not once per child. */
    private static final Map<String, Path> UNPACKED = new ConcurrentHashMap<>();

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
            throw new NativeUnavailableException("cannot load " + lib + ": " + e.getMessage()
                    + (e.getMessage() != null && e.getMessage().contains("map segment")
                            ? " (is its folder on a noexec mount? set " + CACHE_DIR_ENV + " to a folder where "
                                    + "programs may run)" : ""), e);
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
        long uid = Platform.effectiveUid();
        try {
            privateFolder(cacheRoot, uid);
            privateFolder(dir, uid);
            if (!sameFile(target, content, uid)) {
                // Write beside the target, then rename: a concurrent run sees
                // either the old file or the whole new one, never half of one.
                Path tmp = Files.createTempFile(dir, name, ".part", PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                try {
                    Files.write(tmp, content);
                    moveAtomically(tmp, target);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            throw new NativeUnavailableException("cannot unpack " + name + " into " + dir + ": " + reason(e)
                    + " (set " + CACHE_DIR_ENV + " to a writable folder of your own)", e);
        }
        if (!Files.isExecutable(target)) {
            throw new NativeUnavailableException("cannot run programs from " + dir + " (is it on a noexec mount?): set "
                    + CACHE_DIR_ENV + " to a folder of your own where programs may run");
        }
        return target;
    }

    /** Is file a regular file of this user's, writable by no one else, holding exactly content? */
    private static boolean sameFile(Path file, byte[] content, long uid) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (owner(file) != uid || (mode(file) & GROUP_OR_OTHER_WRITE) != 0 || Files.size(file) != content.length) {
            return false;
        }
        return Arrays.equals(Files.readAllBytes(file), content);
    }

    /**
     * Creates dir (0700) if needed; refuses it, or a folder above it, when
     * someone else could change what is in it.
     */
    private static void privateFolder(Path dir, long uid) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            checkAncestors(dir.getParent(), uid);
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Another rsslab made it at the same moment: checked below like any existing one.
            }
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new NativeUnavailableException("the native cache " + dir + " is not a folder (a link or a file): "
                    + "set " + CACHE_DIR_ENV + " to a folder of your own");
        }
        long owner = owner(dir);
        int mode = mode(dir);
        if (owner != uid || (mode & GROUP_OR_OTHER_WRITE) != 0) {
            throw new NativeUnavailableException("the native cache " + dir + " is " + (owner != uid
                    ? "owned by uid " + owner + ", not by this user (uid " + uid + ")"
                    : "writable by others (mode " + String.format("%04o", mode & 07777) + ")")
                    + ": rsslab would run what others put there; set " + CACHE_DIR_ENV
                    + " to a folder of your own (mode 0700)");
        }
        checkAncestors(dir.getParent(), uid);
    }

    /**
     * Every existing folder above: this user's or root's, and not writable by
     * others unless sticky (/tmp), so no one else can put another folder in
     * the cache's place.
     */
    private static void checkAncestors(Path from, long uid) throws IOException {
        for (Path p = from; p != null; p = p.getParent()) {
            if (!Files.exists(p)) {
                continue;
            }
            Path real = p.toRealPath();
            long owner = owner(real);
            int mode = mode(real);
            boolean foreign = owner != 0 && owner != uid;
            boolean othersMayRename = (mode & OTHER_WRITE) != 0 && (mode & STICKY) == 0;
            if (foreign || othersMayRename) {
                throw new NativeUnavailableException("the native cache's folder " + p + " could be changed by others ("
                        + (foreign ? "owned by uid " + owner : "mode "
                                + String.format("%04o", mode & 07777)) + "): set " + CACHE_DIR_ENV
                        + " to a folder of your own");
            }
        }
    }

    private static long owner(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    /** What went wrong, in words: the exception's message, never its class name. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder " + e.getMessage();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied on " + e.getMessage();
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason() + (f.getFile() == null ? "" : " (" + f.getFile() + ")");
        }
        return e.getMessage() == null ? "an input/output error" : e.getMessage();
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
            throw new NativeUnavailableException("cannot read " + resource + " from the jar: " + reason(e), e);
        }
    }

    /**
     * RSSLAB_CACHE_DIR (or the property), else $XDG_CACHE_HOME/rsslab, else
     * ~/.cache/rsslab. A relative XDG_CACHE_HOME is ignored, as the XDG Base
     * Directory specification says.
     */
    static Path cacheRoot() {
        return cacheRoot(System.getProperty(CACHE_DIR_PROPERTY, System.getenv(CACHE_DIR_ENV)),
                System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"));
    }

    static Path cacheRoot(String configured, String xdg, String home) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(home, ".cache");
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
