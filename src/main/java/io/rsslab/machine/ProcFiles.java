package io.rsslab.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads small kernel files under a root ("/" normally, a folder of fakes in tests). */
final class ProcFiles {

    private final Path root;

    ProcFiles(Path root) {
        this.root = root;
    }

    Optional<String> read(String absolutePath) {
        try {
            Path p = root.resolve(absolutePath.substring(1));
            return Files.isReadable(p) ? Optional.of(Files.readString(p).strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    List<String> lines(String absolutePath) {
        return read(absolutePath).map(s -> s.lines().toList()).orElse(List.of());
    }

    boolean exists(String absolutePath) {
        return Files.exists(root.resolve(absolutePath.substring(1)));
    }

    /** The kB value of a "Name:   123 kB" line of /proc/meminfo or /proc/self/status, or -1. */
    long kbField(String absolutePath, String field) {
        for (String line : lines(absolutePath)) {
            if (line.startsWith(field + ":")) {
                String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                try {
                    return Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
