package io.rsslab.results;

/**
 * One round as measured in the child: the article's k, +KB and the two RSS
 * readings; detail is what the explain fields add (null in seed format).
 */
public record Round(int round, long allocatedKb, long rssAfterAllocKb, long rssAfterFreeKb, RoundDetail detail) {

    public Round(int round, long allocatedKb, long rssAfterAllocKb, long rssAfterFreeKb) {
        this(round, allocatedKb, rssAfterAllocKb, rssAfterFreeKb, null);
    }
}
