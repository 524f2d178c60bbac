package io.rsslab.fork;

import java.nio.file.Path;

/** What a child measures beyond the rounds: the explain fields, and malloc_info() XML to a file. */
public record ChildOptions(boolean explain, Path mallocInfo) {

    public static final ChildOptions DEFAULT = new ChildOptions(true, null);
}
