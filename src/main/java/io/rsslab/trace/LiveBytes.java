package io.rsslab.trace;

/**
 * The bytes a program had requested and not yet freed, call by call, as the
 * replayer counts them (src/main/c/replay.c): a free or a realloc ends its
 * old block, a call that returned a block adds it (replacing a block the
 * trace never freed at that address). The blocks are kept in an open-addressing
 * table of two long arrays (recorded address, size): 16 bytes a live block,
 * where a HashMap of boxed longs took about 80.
 */
final class LiveBytes {

    private long[] keys = new long[1 << 12];
    private long[] sizes = new long[1 << 12];
    private int used;
    private long live;
    private long peak;
    private long unknownFrees;
    private long reused;

    /** Accounts for one record; returns false when it is an allocation at an address that was still live. */
    boolean add(TraceEvent e) {
        TraceOp op = e.operation();
        if (op == TraceOp.FREE || (op == TraceOp.REALLOC && !e.failed() && e.aux() != 0)) {
            long gone = op == TraceOp.FREE ? e.ptr() : e.aux();
            if (gone != 0 && !remove(gone)) {
                unknownFrees++;
            }
        }
        if (op == null || !op.allocates() || e.failed() || e.ptr() == 0) {
            return true;
        }
        boolean fresh = !remove(e.ptr());
        reused += fresh ? 0 : 1;
        put(e.ptr(), e.size());
        live += e.size();
        peak = Math.max(peak, live);
        return fresh;
    }

    long peak() {
        return peak;
    }

    long unknownFrees() {
        return unknownFrees;
    }

    long reused() {
        return reused;
    }

    private int home(long key) {
        return (int) ((key * 0x9e3779b97f4a7c15L) >>> 20) & (keys.length - 1);
    }

    private void put(long key, long size) {
        if ((used + 1) * 2 > keys.length) {
            long[] k = keys;
            long[] s = sizes;
            keys = new long[k.length * 2];
            sizes = new long[k.length * 2];
            used = 0;
            for (int i = 0; i < k.length; i++) {
                if (k[i] != 0) {
                    put(k[i], s[i]);
                }
            }
        }
        int i = home(key);
        while (keys[i] != 0) {
            i = (i + 1) & (keys.length - 1);
        }
        keys[i] = key;
        sizes[i] = size;
        used++;
    }

    /** Removes key (never 0) with a backward shift, as replay.c's table_remove; false when it was not there. */
    private boolean remove(long key) {
        int mask = keys.length - 1;
        int i = home(key);
        while (keys[i] != key) {
            if (keys[i] == 0) {
                return false;
            }
            i = (i + 1) & mask;
        }
        live -= sizes[i];
        used--;
        for (int j = i;;) {
            keys[i] = 0;
            int k;
            do {
                j = (j + 1) & mask;
                if (keys[j] == 0) {
                    return true;
                }
                k = home(keys[j]);
            } while (i <= j ? (i < k && k <= j) : (i < k || k <= j));
            keys[i] = keys[j];
            sizes[i] = sizes[j];
            i = j;
        }
    }
}
