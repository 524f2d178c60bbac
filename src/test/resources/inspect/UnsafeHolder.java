import java.lang.reflect.Field;

import sun.misc.Unsafe;

/**
 * A JVM holding native memory freed through Unsafe: a 31 MiB block allocated
 * and freed raises glibc's dynamic mmap threshold, so the next blocks come
 * from the main Java thread's arena (a thread arena): 16 MiB freed below a live
 * 1 MiB block (into the bins, which malloc_trim returns) and 30 MiB freed at
 * the heap's top (which it cannot). Prints "ready PID", then waits for the end
 * of its input.
 */
public class UnsafeHolder {
    static final long MIB = 1 << 20;

    static long touched(Unsafe u, long n) {
        long p = u.allocateMemory(n);
        for (long i = 0; i < n; i += 4096) {
            u.putByte(p + i, (byte) 1);
        }
        return p;
    }

    public static void main(String[] args) throws Exception {
        Field f = Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Unsafe u = (Unsafe) f.get(null);
        u.freeMemory(touched(u, 31 * MIB));
        long below = touched(u, 16 * MIB);
        long live = touched(u, MIB);
        long top = touched(u, 30 * MIB);
        u.freeMemory(top);
        u.freeMemory(below);
        System.out.println("ready " + ProcessHandle.current().pid() + " " + live);
        System.out.flush();
        while (System.in.read() >= 0) {
            // Until the end of input.
        }
    }
}
