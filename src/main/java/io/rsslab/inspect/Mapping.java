package io.rsslab.inspect;

/**
 * One line of /proc/PID/smaps with the figures inspect needs: the range,
 * the permissions, the name (a path, [heap], [stack], or empty for
 * anonymous memory) and the kB resident.
 */
public record Mapping(long start, long end, String perms, long inode, String name, long rssKb) {

    public long length() {
        return end - start;
    }

    public boolean readWrite() {
        return perms.startsWith("rw");
    }

    public boolean heap() {
        return name.equals("[heap]");
    }

    /** Backed by a file (a path; memfd and deleted files included), not anonymous memory. */
    public boolean fileBacked() {
        return inode != 0 || name.startsWith("/");
    }

    public boolean anonymous() {
        return !fileBacked() && !name.equals("[vdso]") && !name.equals("[vvar]") && !name.equals("[vsyscall]");
    }

    public boolean contains(long address) {
        return address >= start && address < end;
    }
}
