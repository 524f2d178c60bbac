package io.rsslab.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * The parent's heap is made small once the runs start (ParentHeap), in a JVM
 * of its own each time (so this test's JVM keeps its settings), unless the
 * user chose the heap's size or its ratios.
 */
class ParentHeapTest {

    /**
     * What a JVM reports after ParentHeap.shrink(): the ratio, the heap committed before and after, used, G1's
     * region size, and 1 if G1 is the collector.
     */
    public static void main(String[] args) {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        List<byte[]> garbage = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            garbage.add(new byte[1 << 20]); // the heap a parent's runs leave behind them
        }
        garbage.clear();
        long before = heap().getCommitted();
        ParentHeap.shrink();
        MemoryUsage after = heap();
        System.out.println(vm.getVMOption("MaxHeapFreeRatio").getValue() + " " + before + " " + after.getCommitted()
                + " " + after.getUsed() + " " + vm.getVMOption("G1HeapRegionSize").getValue() + " "
                + (vm.getVMOption("UseG1GC").getValue().equals("true") ? 1 : 0));
    }

    private static MemoryUsage heap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    }

    @Test
    void theHeapShrinksToAFewTimesWhatIsLive() throws Exception {
        long[] r = run();
        assertEquals(30, r[0], "MaxHeapFreeRatio");
        // The figures below are G1's (the collector of a machine of 2 CPUs and 2 GB or more); Serial shrinks later.
        Assumptions.assumeTrue(r[5] == 1, "the JVM chose another collector than G1");
        // Committed about used / (1 - 0.30), and G1 keeps a few regions more for its young generation (24 MB,
        // 6 regions, for 4 MB used here): without the shrink it is the initial heap, 1/64 of the machine.
        assertTrue(r[2] <= r[3] / 0.7 + 8 * r[4], "committed " + r[2] + " for " + r[3] + " used, regions of " + r[4]);
        assertTrue(r[2] < r[1], "smaller than before: " + r[1] + " -> " + r[2]);
    }

    @Test
    void aUsersOwnHeapSettingIsLeftAlone() throws Exception {
        assertEquals(70, run("-Xmx256m")[0], "the default MaxHeapFreeRatio, unchanged");
        assertEquals(50, run("-XX:MaxHeapFreeRatio=50")[0]);
    }

    private static long[] run(String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ParentHeapTest.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        String[] f = out.split(" ");
        assertEquals(6, f.length, out);
        long[] r = new long[6];
        for (int i = 0; i < 6; i++) {
            r[i] = Long.parseLong(f[i]);
        }
        return r;
    }
}
