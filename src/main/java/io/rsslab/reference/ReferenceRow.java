package io.rsslab.reference;

/** One round the article printed (data/reference/article-examples.csv). */
public record ReferenceRow(int example, String scenario, String variant, String command, String env,
        boolean trim, String distribution, String kernel, String glibc, int round, long allocatedKb,
        long rssAfterAllocKb, long rssAfterFreeKb) {
}
