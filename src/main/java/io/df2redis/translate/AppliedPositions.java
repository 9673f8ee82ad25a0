package io.df2redis.translate;

import io.df2redis.redis.Slots;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The writer's copy of its slots' watermarks (see {@link Watermarks}): per target db, slot and flow
 * the LSN of the last journal entry applied. Loaded from the target when a writer restores, raised
 * as entries arrive; it decides what the script cannot: whether a cross-slot move's half or a
 * global flush was applied before the restore. Single-threaded (the sink's mailbox thread).
 */
public final class AppliedPositions {
    /** db → slot → per-flow LSN (index = flow; -1 = none). */
    private final Map<Integer, long[][]> byDb = new HashMap<>();
    /** Per flow, the LSN of the last global command (FLUSHALL…) this writer applied. */
    private final Map<Integer, Long> globals = new HashMap<>();
    private final int homeSlot;

    /**
     * @param homeSlot a slot the writer owns, whose watermark hash in db 0 also holds the positions
     *     of the global commands it applied (fields {@code g<flow>})
     */
    public AppliedPositions(int homeSlot) {
        this.homeSlot = homeSlot;
    }

    public int homeSlot() {
        return homeSlot;
    }

    /**
     * Whether entry {@code lsn} of {@code flow}, of {@code slot} in {@code db}, was applied: at or
     * below its slot's watermark, or before a global command applied since (which was applied only
     * once everything before it was, and may have wiped the slot's watermark).
     */
    public boolean applied(int db, int slot, int flow, long lsn) {
        return get(db, slot, flow) >= lsn || lsn < globals.getOrDefault(flow, -1L);
    }

    /** Whether the global command at these LSNs (flow → LSN) was applied (recorded after its clear). */
    public boolean globalApplied(Map<Integer, Long> lsnByFlow) {
        for (Map.Entry<Integer, Long> e : lsnByFlow.entrySet()) {
            if (globals.getOrDefault(e.getKey(), -1L) >= e.getValue()) {
                return true;
            }
        }
        return false;
    }

    public void globalDone(Map<Integer, Long> lsnByFlow) {
        lsnByFlow.forEach((f, lsn) -> globals.merge(f, lsn, Math::max));
    }

    /**
     * Takes the fields of a watermark hash as read from the target ({@code HGETALL}: flow → LSN,
     * and in the home slot's hash {@code g<flow>} → LSN of a global command).
     */
    public void load(int db, int slot, List<byte[]> hgetall) {
        for (int i = 0; i + 1 < hgetall.size(); i += 2) {
            String field = new String(hgetall.get(i), StandardCharsets.US_ASCII);
            String value = new String(hgetall.get(i + 1), StandardCharsets.US_ASCII);
            try {
                if (field.startsWith("g")) {
                    globals.merge(Integer.parseInt(field.substring(1)), Long.parseLong(value), Math::max);
                } else {
                    advance(db, slot, Integer.parseInt(field), Long.parseLong(value));
                }
            } catch (NumberFormatException e) {
                throw new IllegalStateException("watermark of slot " + slot + " in db " + db + " holds a field that is not"
                        + " flow → LSN: " + field + " → " + value, e);
            }
        }
    }

    /** The LSN of {@code flow} applied to {@code slot} of {@code db}, or -1. */
    public long get(int db, int slot, int flow) {
        long[][] slots = byDb.get(db);
        if (slots == null || slots[slot] == null || flow >= slots[slot].length) {
            return -1;
        }
        return slots[slot][flow];
    }

    /** Raises the position (never lowers it). */
    public void advance(int db, int slot, int flow, long lsn) {
        long[][] slots = byDb.computeIfAbsent(db, d -> new long[Slots.COUNT][]);
        long[] flows = slots[slot];
        if (flows == null || flow >= flows.length) {
            long[] grown = new long[Math.max(flow + 1, flows == null ? 4 : flows.length * 2)];
            java.util.Arrays.fill(grown, -1);
            if (flows != null) {
                System.arraycopy(flows, 0, grown, 0, flows.length);
            }
            slots[slot] = grown;
            flows = grown;
        }
        if (lsn > flows[flow]) {
            flows[flow] = lsn;
        }
    }

    /**
     * Whether some slot of the given dbs ({@code null} = all) holds a position of a flow above that
     * flow's LSN in {@code lsnByFlow}: a write that came after those LSNs was applied.
     */
    public boolean anyAbove(Set<Integer> dbs, IntPredicate slots, Map<Integer, Long> lsnByFlow) {
        for (Map.Entry<Integer, long[][]> e : byDb.entrySet()) {
            if (dbs != null && !dbs.contains(e.getKey())) {
                continue;
            }
            long[][] bySlot = e.getValue();
            for (int slot = 0; slot < bySlot.length; slot++) {
                long[] flows = bySlot[slot];
                if (flows == null || !slots.test(slot)) {
                    continue;
                }
                for (Map.Entry<Integer, Long> f : lsnByFlow.entrySet()) {
                    if (f.getKey() < flows.length && flows[f.getKey()] > f.getValue()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Forgets the positions of the given dbs ({@code null} = all) and slots: they were cleared. */
    public void clear(Set<Integer> dbs, IntPredicate slots) {
        for (Map.Entry<Integer, long[][]> e : byDb.entrySet()) {
            if (dbs == null || dbs.contains(e.getKey())) {
                long[][] bySlot = e.getValue();
                for (int slot = 0; slot < bySlot.length; slot++) {
                    if (slots.test(slot)) {
                        bySlot[slot] = null;
                    }
                }
            }
        }
    }

    /** Forgets everything (a full-sync reset). */
    public void clear() {
        byDb.clear();
        globals.clear();
    }

    public boolean isEmpty() {
        return byDb.isEmpty();
    }
}
