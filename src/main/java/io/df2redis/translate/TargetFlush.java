package io.df2redis.translate;

import java.util.List;
import java.util.Set;

/**
 * What a global command (FLUSHALL, FLUSHDB, DFLYCLUSTER FLUSHSLOTS) becomes on the target, once the
 * Flink layer has seen it on every flow. Each sink instance carries it out for the slots it owns
 * ({@link TargetIo#flush}): the keys of those slots cleared in the given dbs (FLUSHALL / FLUSHDB on
 * every master only when one instance owns every slot).
 *
 * @param all everything on the target ({@code FLUSHALL})
 * @param dbs target dbs to flush when not {@code all}
 * @param slotRanges inclusive [first, last] slot ranges to clear in {@code dbs}; empty = whole dbs
 * @param async whether the source flushed with ASYNC
 */
public record TargetFlush(boolean all, Set<Integer> dbs, List<int[]> slotRanges, boolean async) {

    public static final TargetFlush NOTHING = new TargetFlush(false, Set.of(), List.of(), false);

    public boolean isNothing() {
        return !all && dbs.isEmpty();
    }

    @Override
    public String toString() {
        if (isNothing()) {
            return "nothing";
        }
        StringBuilder sb = new StringBuilder(all ? "FLUSHALL" : "FLUSHDB " + dbs);
        for (int[] r : slotRanges) {
            sb.append(" slots ").append(r[0]).append('-').append(r[1]);
        }
        return sb.append(async ? " ASYNC" : "").toString();
    }
}
