package io.rsslab.results;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.rsslab.data.CsvColumn;

/**
 * The columns of pins.csv: per replay and moment (peak: the walk at the largest kept memory; before_exit; end),
 * the call sites whose live blocks hold resident free memory below them that the heap's top cannot shrink past,
 * largest first: the stack's id in the trace, its innermost frame, the blocks and their bytes, the memory they
 * pin, how many of them are the highest block of their heap, and the whole stack (innermost first, " < ").
 */
public enum PinColumn implements CsvColumn {
    RUN_ID, VARIANT, REPEAT, MOMENT, RANK, STACK_ID, CALL_SITE, BLOCKS, BLOCK_BYTES, PINNED_KB, NEAREST_TOP, STACK;

    private static final Set<PinColumn> NUMBERS = EnumSet.of(REPEAT, RANK, STACK_ID, BLOCKS, BLOCK_BYTES, PINNED_KB,
            NEAREST_TOP);

    @Override
    public boolean number() {
        return NUMBERS.contains(this);
    }

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
