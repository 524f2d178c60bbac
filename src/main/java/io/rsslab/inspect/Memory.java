package io.rsslab.inspect;

import java.io.IOException;
import java.util.BitSet;

/**
 * A process's memory as inspect may see it: which pages are resident, and
 * the bytes of resident pages only. Reading a page that is not resident
 * would fault it in (raise the target's RSS, or swap it in): the walk never
 * asks for one. ProcMemory reads a live process; tests give images.
 */
public interface Memory {

    int PAGE = 4096;

    /** Resident pages of [start, end) (start and end page-aligned): bit i is the page at start + i * PAGE. */
    BitSet resident(long start, long end) throws IOException;

    /**
     * Reads length bytes at address into dst at offset; every page they touch
     * must be resident (the caller knows from resident()).
     */
    void read(long address, byte[] dst, int offset, int length) throws IOException;
}
