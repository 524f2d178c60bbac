package io.rsslab.fork;

import java.nio.file.Path;

import io.rsslab.malloc.MmapThreshold;

/**
 * What a child measures beyond the rounds and how its records are read:
 * the explain fields, malloc_info() XML to a file (null: none), a pause
 * after one round's frees during which the parent runs action on the
 * child (pauseAfterRound null: none), how the mmap threshold starts, and
 * where the periodic trimmer logs its trims when the variant preloads it
 * (trimLog null: nowhere).
 */
public record ChildOptions(boolean explain, Path mallocInfo, Integer pauseAfterRound, PauseAction action,
        MmapThreshold.Rule threshold, Path trimLog) {

    public static final ChildOptions DEFAULT = new ChildOptions(true, null, null, null,
            MmapThreshold.Rule.DYNAMIC_FROM_DEFAULT, null);

    public ChildOptions {
        if ((pauseAfterRound == null) != (action == null)) {
            throw new IllegalArgumentException("a pause needs an action, and an action a pause");
        }
    }

    /** What the parent does while the child waits after a round; returns what to keep of it (its output). */
    public interface PauseAction {
        String act(long pid, int round);
    }

    public ChildOptions withThreshold(MmapThreshold.Rule rule) {
        return new ChildOptions(explain, mallocInfo, pauseAfterRound, action, rule, trimLog);
    }

    public ChildOptions withoutExplain() {
        return new ChildOptions(false, mallocInfo, pauseAfterRound, action, threshold, trimLog);
    }

    public ChildOptions withPause(int round, PauseAction a) {
        return new ChildOptions(explain, mallocInfo, round, a, threshold, trimLog);
    }

    public ChildOptions withMallocInfo(Path file) {
        return new ChildOptions(explain, file, pauseAfterRound, action, threshold, trimLog);
    }

    public ChildOptions withTrimLog(Path file) {
        return new ChildOptions(explain, mallocInfo, pauseAfterRound, action, threshold, file);
    }
}
