package io.rsslab.fork;

import java.nio.file.Path;

/**
 * What a child measures beyond the rounds: the explain fields, malloc_info()
 * XML to a file, and a pause after one round's frees during which the parent
 * acts on the child (pauseAfterRound null for none).
 */
public record ChildOptions(boolean explain, Path mallocInfo, Integer pauseAfterRound, PauseAction action) {

    public static final ChildOptions DEFAULT = new ChildOptions(true, null, null, null);

    public ChildOptions(boolean explain, Path mallocInfo) {
        this(explain, mallocInfo, null, null);
    }

    /** What the parent does while the child waits; returns what to keep of it (its output). */
    public interface PauseAction {
        String act(long pid, int round);
    }
}
