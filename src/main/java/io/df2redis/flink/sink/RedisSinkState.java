package io.df2redis.flink.sink;

import io.df2redis.flink.record.ReplicationRecord;
import java.util.List;

/**
 * What a writer subtask holds across a checkpoint: the epoch of the last reset, the records held
 * behind a global command ({@link WriterBarriers}), and the translation's parked slots
 * ({@code SlotApplier} state, opaque bytes).
 *
 * @param subtask index of the writer subtask that took it
 * @param parallelism writer parallelism when it was taken: held records belong to slots, and slots
 *     to subtasks, so held state cannot move to a different parallelism
 */
public record RedisSinkState(int subtask, int parallelism, int resetEpoch, List<ReplicationRecord> barrierRecords,
        byte[] applierState) {

    public boolean holdsRecords() {
        return !barrierRecords.isEmpty() || applierState.length > 0;
    }
}
