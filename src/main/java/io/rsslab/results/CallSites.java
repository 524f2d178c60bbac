package io.rsslab.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import io.rsslab.data.CsvRow;
import io.rsslab.fork.ReplayOutput;
import io.rsslab.trace.Symbolizer;

/**
 * A replay's pins and threshold raises grouped by the stack of the call that made the block (or the free), each
 * stack named through the trace's stack table and the symbolizer: the rows of pins.csv and threshold-raises.csv.
 */
public final class CallSites {

    /** The moments walked, in the order shown. */
    public static final List<String> MOMENTS = List.of("peak", "before_exit", "end");

    private final List<long[]> stacks;
    private final Symbolizer symbols;

    public CallSites(List<long[]> stacks, Symbolizer symbols) {
        this.stacks = stacks;
        this.symbols = symbols;
    }

    /** Innermost first, " < " between frames; "" for stack 0 (unknown) or one the table does not hold. */
    public String stack(long id) {
        if (id < 1 || id > stacks.size()) {
            return "";
        }
        StringJoiner j = new StringJoiner(" < ");
        for (long pc : stacks.get((int) id - 1)) {
            j.add(symbols.name(pc));
        }
        return j.toString();
    }

    /** The innermost frame: the function that called malloc (or free); "(no stack recorded)" for stack 0. */
    public String site(long id) {
        if (id < 1 || id > stacks.size()) {
            return "(no stack recorded)";
        }
        return symbols.name(stacks.get((int) id - 1)[0]);
    }

    private void resolve(Set<Long> ids) {
        List<Long> pcs = new ArrayList<>();
        for (long id : ids) {
            if (id >= 1 && id <= stacks.size()) {
                for (long pc : stacks.get((int) id - 1)) {
                    pcs.add(pc);
                }
            }
        }
        symbols.resolve(pcs);
    }

    /** pins.csv's rows of one replay: per moment walked, the stacks by the memory their blocks pin. */
    public List<CsvRow<PinColumn>> pins(ReplayOutput out, String runId, String variant, int repeat) {
        Set<Long> ids = new LinkedHashSet<>();
        out.pins().forEach(p -> ids.add(p.stack()));
        resolve(ids);
        List<CsvRow<PinColumn>> rows = new ArrayList<>();
        for (String moment : MOMENTS) {
            Map<Long, long[]> byStack = new LinkedHashMap<>(); // blocks, bytes, pinned, nearest top
            for (ReplayOutput.Pin p : out.pinsAt(moment)) {
                long[] g = byStack.computeIfAbsent(p.stack(), k -> new long[4]);
                g[0]++;
                g[1] += p.size();
                g[2] += p.pinned();
                g[3] += p.nearestTop() ? 1 : 0;
            }
            List<Map.Entry<Long, long[]>> ranked = new ArrayList<>(byStack.entrySet());
            ranked.sort((a, b) -> Long.compare(b.getValue()[2], a.getValue()[2]));
            int rank = 0;
            for (Map.Entry<Long, long[]> e : ranked) {
                long[] g = e.getValue();
                rows.add(ReplayFolder.PINS.row().set(PinColumn.RUN_ID, runId).set(PinColumn.VARIANT, variant)
                        .set(PinColumn.REPEAT, repeat).set(PinColumn.MOMENT, moment).set(PinColumn.RANK, ++rank)
                        .set(PinColumn.STACK_ID, e.getKey()).set(PinColumn.CALL_SITE, site(e.getKey()))
                        .set(PinColumn.BLOCKS, g[0]).set(PinColumn.BLOCK_BYTES, g[1])
                        .set(PinColumn.PINNED_KB, g[2] / 1024).set(PinColumn.NEAREST_TOP, g[3])
                        .set(PinColumn.STACK, stack(e.getKey())));
            }
        }
        return rows;
    }

    /** threshold-raises.csv's rows of one replay, in the order the raises happened. */
    public List<CsvRow<RaiseColumn>> raises(ReplayOutput out, String runId, String variant, int repeat) {
        Set<Long> ids = new LinkedHashSet<>();
        out.raises().forEach(r -> ids.add(r.stack()));
        resolve(ids);
        List<CsvRow<RaiseColumn>> rows = new ArrayList<>();
        for (ReplayOutput.Raise r : out.raises()) {
            rows.add(ReplayFolder.RAISES.row().set(RaiseColumn.RUN_ID, runId).set(RaiseColumn.VARIANT, variant)
                    .set(RaiseColumn.REPEAT, repeat).set(RaiseColumn.RECORD, r.record())
                    .set(RaiseColumn.RAISED_TO_KB, r.raisedTo() / 1024).set(RaiseColumn.STACK_ID, r.stack())
                    .set(RaiseColumn.CALL_SITE, site(r.stack())).set(RaiseColumn.STACK, stack(r.stack())));
        }
        return rows;
    }
}
