package io.rsslab.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.commons.csv.CSVRecord;

import io.rsslab.data.DataFiles;
import io.rsslab.nativelib.NativeLoader;

/** The named variants of data/variants.csv, each with whether this machine can run it. */
public final class VariantCatalog {

    /** Where Debian and most distributions put x86-64 shared libraries. */
    static final List<Path> LIBRARY_DIRS = List.of(Path.of("/usr/lib/x86_64-linux-gnu"),
            Path.of("/lib/x86_64-linux-gnu"), Path.of("/usr/lib64"), Path.of("/usr/local/lib"), Path.of("/usr/lib"));

    /** A catalog entry: the variant, with its preload as a file name, and the package that provides it. */
    public record Entry(Variant variant, String debianPackage, String needsJvmFlag, String source) {
    }

    private final List<Entry> entries;
    private final List<Path> libraryDirs;

    VariantCatalog(List<Entry> entries, List<Path> libraryDirs) {
        this.entries = List.copyOf(entries);
        this.libraryDirs = List.copyOf(libraryDirs);
    }

    public static VariantCatalog load() {
        return new VariantCatalog(DataFiles.readCsv("variants.csv", VariantCatalog::entry), LIBRARY_DIRS);
    }

    static Entry entry(CSVRecord r) {
        List<EnvPair> env = new ArrayList<>();
        for (String pair : r.get("env").split(" ")) {
            if (!pair.isEmpty()) {
                env.add(EnvPair.parse(pair));
            }
        }
        List<String> jvmArgs = Arrays.stream(r.get("jvm_args").split(" ")).filter(s -> !s.isEmpty()).toList();
        String preload = r.get("preload").isEmpty() ? null : r.get("preload");
        return new Entry(new Variant(r.get("name"), r.get("description"), env, preload,
                Boolean.parseBoolean(r.get("trim")), jvmArgs, Boolean.parseBoolean(r.get("jcmd_trim")),
                Double.parseDouble(r.get("relative_time"))), r.get("debian_package"), r.get("needs_jvm_flag"),
                r.get("source"));
    }

    public List<Entry> entries() {
        return entries;
    }

    public List<String> names() {
        return entries.stream().map(e -> e.variant().name()).toList();
    }

    public Optional<Entry> find(String name) {
        return entries.stream().filter(e -> e.variant().name().equals(name)).findFirst();
    }

    /** The installed file a preload name resolves to, if any; rsslab's own trimmer comes from the jar. */
    public Optional<Path> locate(String library) {
        if (library.equals(NativeLoader.TRIMMER)) {
            return Optional.of(NativeLoader.unpack(library));
        }
        if (library.contains("/")) {
            Path p = Path.of(library);
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        }
        return libraryDirs.stream().map(d -> d.resolve(library)).filter(Files::isRegularFile).findFirst();
    }

    /** null when the variant can run here with this JVM (null: no jvm host); otherwise why not. */
    public String unavailableReason(Entry e, JvmFlags java) {
        if (java != null && !e.needsJvmFlag().isEmpty() && !java.has(e.needsJvmFlag())) {
            return "the JVM " + java.describe() + " has no -XX:" + e.needsJvmFlag() + " (asked with -XX:+PrintFlagsFinal)";
        }
        if (java != null && e.variant().jcmdTrim() && !java.hasJcmd()) {
            return "no jcmd beside the JVM " + java.describe();
        }
        return unavailableReason(e);
    }

    /**
     * The named variant, ready to start a child (its preload located, its
     * JVM flag unlocked for java; java null: no jvm host in the plan); a
     * PlanException when there is no such variant or it cannot run here.
     */
    public Variant variant(String name, JvmFlags java) {
        Entry e = find(name).orElseThrow(() -> new PlanException(
                "unknown variant '" + name + "' (see: rsslab variants)"));
        String why = unavailableReason(e, java);
        if (why != null) {
            throw new PlanException("variant " + name + " is not available here: " + why);
        }
        return resolved(e, java);
    }

    /** null when the variant can run here; otherwise why not and how to fix it. */
    public String unavailableReason(Entry e) {
        String lib = e.variant().preload();
        if (lib == null || locate(lib).isPresent()) {
            return null;
        }
        return lib + " is not installed" + (e.debianPackage().isEmpty() ? ""
                : " (Debian package " + e.debianPackage() + ": apt-get install " + e.debianPackage() + ")");
    }

    /** The variant ready for this JVM: its flag unlocked first where the JVM needs that. */
    public Variant resolved(Entry e, JvmFlags java) {
        Variant v = resolved(e);
        if (java == null || e.needsJvmFlag().isEmpty()) {
            return v;
        }
        return java.unlockFor(e.needsJvmFlag()).map(u -> v.withJvmArgsFirst(List.of(u))).orElse(v);
    }

    /** The variant with its preload resolved to an absolute path, ready to start a child. */
    public Variant resolved(Entry e) {
        Variant v = e.variant();
        if (v.preload() == null) {
            return v;
        }
        Path lib = locate(v.preload()).orElseThrow(() -> new PlanException(
                "variant " + v.name() + ": " + unavailableReason(e)));
        return new Variant(v.name(), v.description(), v.env(), Preloads.check(lib), v.trim(), v.jvmArgs(),
                v.jcmdTrim(), v.relativeTime());
    }
}
