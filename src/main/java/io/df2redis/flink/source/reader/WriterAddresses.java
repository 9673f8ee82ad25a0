package io.df2redis.flink.source.reader;

import io.df2redis.redis.Slots;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * For each writer subtask, a slot that {@code keyBy(slot)} routes to it: copies of a global
 * command or an epoch reset are addressed to every writer this way. Needs the sink's parallelism
 * and the job's pinned max parallelism.
 */
final class WriterAddresses {
    private final int[] slotOfWriter;
    private final short[] writerOfSlot = new short[Slots.COUNT];

    WriterAddresses(int writers, int maxParallelism) {
        slotOfWriter = new int[writers];
        java.util.Arrays.fill(slotOfWriter, -1);
        int found = 0;
        for (int slot = 0; slot < Slots.COUNT; slot++) {
            int w = KeyGroupRangeAssignment.assignKeyToParallelOperator(slot, maxParallelism, writers);
            writerOfSlot[slot] = (short) w;
            if (slotOfWriter[w] < 0) {
                slotOfWriter[w] = slot;
                found++;
            }
        }
        if (found < writers) {
            throw new IllegalArgumentException("with max parallelism " + maxParallelism + ", some of the " + writers
                    + " writer subtasks receive no slot at all; lower the sink parallelism");
        }
    }

    int count() {
        return slotOfWriter.length;
    }

    int slotOf(int writer) {
        return slotOfWriter[writer];
    }

    /** The writer subtask {@code keyBy(slot)} routes {@code slot} to. */
    int writerOf(int slot) {
        return writerOfSlot[slot];
    }
}
