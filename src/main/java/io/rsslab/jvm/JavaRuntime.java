package io.rsslab.jvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rsslab.machine.ExternalCommand;
import io.rsslab.machine.FileMemo;
import io.rsslab.plan.JvmFlags;

/**
 * A java executable for the jvm host, and what it says of itself: its
 * version and its -XX flags with their kind, asked with
 * -XX:+PrintFlagsFinal (never guessed from the version string).
 */
public record JavaRuntime(Path java, String version, String vendor, Map<String, String> flagKinds)
        implements JvmFlags {

    /** "     uint TrimNativeHeapInterval = 0   {product} {default}" */
    private static final Pattern FLAG = Pattern.compile("\\s*\\S+\\s+(\\w+)\\s+:?=.*?\\{([a-z ]+?)\\}.*");
    private static final Pattern PROPERTY = Pattern.compile("\\s*([\\w.]+) = (.*)");

    /** A JVM answers -version with its flags in about a second; one that does not by then is not one. */
    static final Duration PROBE_LIMIT = Duration.ofSeconds(20);

    /** The JVM running rsslab. */
    public static Path current() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** What each java said (a JVM started per ask: watch would start one at every walk of a JVM target). */
    private static final FileMemo<JavaRuntime> PROBED = new FileMemo<>(32);

    /** Asks java about itself, once per file (FileMemo); the message of the exception is fit for the user. */
    public static JavaRuntime probe(Path java) {
        if (!Files.isRegularFile(java) || !Files.isExecutable(java)) {
            throw new IllegalArgumentException("--java " + java + " is not an executable file");
        }
        JavaRuntime known = PROBED.get(java, JavaRuntime::ask);
        // The same file reached by another path (a link, /proc/PID/exe) answers with the path it was asked by.
        return known.java().equals(java) ? known : new JavaRuntime(java, known.version(), known.vendor(),
                known.flagKinds());
    }

    private static JavaRuntime ask(Path java) {
        try {
            ExternalCommand.Result r = ExternalCommand.run(List.of(java.toString(), "-XX:+UnlockExperimentalVMOptions",
                    "-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintFlagsFinal", "-XshowSettings:properties", "-version"),
                    Map.of(), PROBE_LIMIT, "--java " + java);
            if (r.exit() != 0) {
                throw new IllegalArgumentException("--java " + java + " is not a JVM (it failed on -version)");
            }
            return parse(java, r.out(), r.err());
        } catch (IOException e) {
            throw new IllegalArgumentException(e instanceof ExternalCommand.TimedOut ? e.getMessage()
                    : "--java " + java + " cannot be run: " + e.getMessage());
        }
    }

    static JavaRuntime parse(Path java, String flagsOut, String propertiesErr) {
        Map<String, String> flags = new HashMap<>();
        flagsOut.lines().map(FLAG::matcher).filter(Matcher::matches)
                .forEach(m -> flags.put(m.group(1), m.group(2).trim()));
        Map<String, String> props = new HashMap<>();
        propertiesErr.lines().map(PROPERTY::matcher).filter(Matcher::matches)
                .forEach(m -> props.putIfAbsent(m.group(1), m.group(2).trim()));
        if (flags.isEmpty() || !props.containsKey("java.version")) {
            throw new IllegalArgumentException("--java " + java + " is not a JVM (no -XX flags or java.version)");
        }
        return new JavaRuntime(java, props.get("java.version"), props.getOrDefault("java.vendor", ""),
                Map.copyOf(flags));
    }

    @Override
    public boolean has(String flag) {
        return flagKinds.containsKey(flag);
    }

    @Override
    public boolean hasJcmd() {
        return Files.isExecutable(JcmdTrim.jcmdBeside(java));
    }

    /** The options a flag needs unlocked before it, if it is experimental or diagnostic here. */
    @Override
    public Optional<String> unlockFor(String flag) {
        String kind = flagKinds.getOrDefault(flag, "");
        if (kind.contains("experimental")) {
            return Optional.of("-XX:+UnlockExperimentalVMOptions");
        }
        if (kind.contains("diagnostic")) {
            return Optional.of("-XX:+UnlockDiagnosticVMOptions");
        }
        return Optional.empty();
    }

    /** e.g. "17.0.15 (Debian) /usr/lib/jvm/java-17-openjdk-amd64/bin/java". */
    @Override
    public String describe() {
        return version + " (" + vendor + ") " + java;
    }
}
