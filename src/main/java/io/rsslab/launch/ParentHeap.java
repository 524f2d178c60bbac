package io.rsslab.launch;

import java.lang.management.ManagementFactory;
import java.util.List;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

/**
 * The parent's own heap, made small once the runs start. The parent keeps
 * little (it streams each run to its files: about 9 MB live after a
 * collection), but `java -jar` on a large machine starts G1 with an initial
 * heap of 1/64 of its memory (384 MB on 24 GiB) and every page its young
 * generation passes through stays resident: 133 MB at 300 runs and 200 MB at
 * 1,000 in docs/performance.md. Free ratios of 10-30% (both flags are
 * manageable: settable in a running JVM) and one full collection shrink the
 * committed heap to about three times what is live (24-28 MB measured), and
 * G1 keeps it there while the parent's allocation rate stays low.
 *
 * A user's own choice wins: nothing is changed when the heap's size or
 * either ratio was set on the command line or in JDK_JAVA_OPTIONS.
 */
public final class ParentHeap {

    private static final List<String> USER_CHOICES = List.of("MaxHeapSize", "InitialHeapSize", "MinHeapFreeRatio",
            "MaxHeapFreeRatio");

    private ParentHeap() {
    }

    /** Shrinks the heap on a daemon thread, so the first child does not wait for it. */
    public static void shrinkInBackground() {
        Thread t = new Thread(ParentHeap::shrink, "rsslab-parent-heap");
        t.setDaemon(true);
        t.start();
    }

    public static void shrink() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            for (String flag : USER_CHOICES) {
                VMOption.Origin origin = vm.getVMOption(flag).getOrigin();
                if (origin != VMOption.Origin.DEFAULT && origin != VMOption.Origin.ERGONOMIC) {
                    return;
                }
            }
            // MinHeapFreeRatio first: it may never exceed MaxHeapFreeRatio.
            vm.setVMOption("MinHeapFreeRatio", "10");
            vm.setVMOption("MaxHeapFreeRatio", "30");
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException e) {
            return; // a JVM without these flags: its heap is left as it is
        }
        System.gc();
    }
}
