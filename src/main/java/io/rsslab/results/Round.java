package io.rsslab.results;

/** One round as measured in the child: the article's k, +KB and the two RSS readings. */
public record Round(int round, long allocatedKb, long rssAfterAllocKb, long rssAfterFreeKb) {
}
