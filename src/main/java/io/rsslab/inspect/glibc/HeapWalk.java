package io.rsslab.inspect.glibc;

/**
 * What one heap holds, from a walk of its chunk headers: bytes in use and
 * free (free: in glibc's bins; tcache and fastbin chunks are marked in use
 * by glibc and counted so), the resident pages wholly inside free chunks,
 * the top chunk and its resident pages (0 for a heap whose arena's top is
 * in another heap), and what malloc_trim(0) would give back of the free
 * chunks (mtrim) and of the top (systrim, the main arena's only).
 * foreignBytes: in the main heap, what lies between two regions of glibc's
 * (a foreign sbrk), not read as chunks; elsewhere: the main arena went on
 * outside [heap] (sbrk failed, mmap gave it memory), not walked.
 */
record HeapWalk(long chunks, long inUseBytes, long freeBytes, long freeResidentPages, long topBytes,
        long topResidentPages, long mtrimPages, long systrimPages, long topAddress, long foreignBytes,
        boolean elsewhere) {

    HeapWalk plus(HeapWalk o) {
        return new HeapWalk(chunks + o.chunks, inUseBytes + o.inUseBytes, freeBytes + o.freeBytes,
                freeResidentPages + o.freeResidentPages, topBytes + o.topBytes, topResidentPages + o.topResidentPages,
                mtrimPages + o.mtrimPages, systrimPages + o.systrimPages, topAddress != 0 ? topAddress : o.topAddress,
                foreignBytes + o.foreignBytes, elsewhere || o.elsewhere);
    }

    static final HeapWalk EMPTY = new HeapWalk(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false);
}
