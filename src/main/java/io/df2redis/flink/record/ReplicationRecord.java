package io.df2redis.flink.record;

import io.df2redis.dragonfly.event.FlowEvent;
import java.util.Objects;

/**
 * What the source emits and the sink applies, keyed by {@link #slot()}. Records of one flow reach
 * one writer subtask in emission order (one channel, FIFO), which is what keeps per-key order.
 *
 * <p>Kinds:
 *
 * <ul>
 *   <li>{@link Kind#DATA}: a snapshot object, an object part or a single-slot journal command;
 *   <li>{@link Kind#RENAME_SOURCE} / {@link Kind#RENAME_DEST}: the two halves of a journaled
 *       RENAME/RENAMENX whose keys are in different Redis slots, one routed to each slot;
 *   <li>{@link Kind#GLOBAL}: one copy per writer subtask of a FLUSHALL/FLUSHDB (event is the
 *       {@link FlowEvent.GlobalCommand}); a writer applies it once it has the copies of all {@link
 *       #barrierFlows()} flows;
 *   <li>{@link Kind#EPOCH_RESET}: one copy per writer subtask at the start of a full resync: from
 *       then on records of older epochs are dropped, and the writer clears its slots first when
 *       {@link #clearTarget()} is set.
 * </ul>
 */
public final class ReplicationRecord {

    public enum Kind {
        DATA,
        RENAME_SOURCE,
        RENAME_DEST,
        GLOBAL,
        EPOCH_RESET
    }

    private final int epoch;
    private final int flow;
    private final long seq;
    private final int slot;
    private final Kind kind;
    private final FlowEvent event;
    private final int barrierFlows;
    private final boolean clearTarget;

    public ReplicationRecord(
            int epoch, int flow, long seq, int slot, Kind kind, FlowEvent event, int barrierFlows, boolean clearTarget) {
        this.epoch = epoch;
        this.flow = flow;
        this.seq = seq;
        this.slot = slot;
        this.kind = Objects.requireNonNull(kind);
        this.event = event;
        this.barrierFlows = barrierFlows;
        this.clearTarget = clearTarget;
        if (kind != Kind.EPOCH_RESET && event == null) {
            throw new IllegalArgumentException(kind + " record needs an event");
        }
    }

    public static ReplicationRecord data(int epoch, int flow, long seq, int slot, FlowEvent event) {
        return new ReplicationRecord(epoch, flow, seq, slot, Kind.DATA, event, 0, false);
    }

    public static ReplicationRecord renameHalf(int epoch, int flow, long seq, int slot, boolean sourceSide, FlowEvent.JournalCommand rename) {
        return new ReplicationRecord(epoch, flow, seq, slot, sourceSide ? Kind.RENAME_SOURCE : Kind.RENAME_DEST, rename, 0, false);
    }

    public static ReplicationRecord global(int epoch, int flow, long seq, int slot, FlowEvent.GlobalCommand command, int flows) {
        return new ReplicationRecord(epoch, flow, seq, slot, Kind.GLOBAL, command, flows, false);
    }

    public static ReplicationRecord epochReset(int epoch, int flow, int slot, int flows, boolean clearTarget) {
        return new ReplicationRecord(epoch, flow, 0, slot, Kind.EPOCH_RESET, null, flows, clearTarget);
    }

    public int epoch() {
        return epoch;
    }

    public int flow() {
        return flow;
    }

    /** LSN for stable journal commands; a per-flow running counter otherwise. */
    public long seq() {
        return seq;
    }

    public int slot() {
        return slot;
    }

    public Kind kind() {
        return kind;
    }

    /** The event; {@code null} only for {@link Kind#EPOCH_RESET}. */
    public FlowEvent event() {
        return event;
    }

    public int barrierFlows() {
        return barrierFlows;
    }

    public boolean clearTarget() {
        return clearTarget;
    }

    @Override
    public String toString() {
        return "ReplicationRecord{epoch=" + epoch + ", flow=" + flow + ", seq=" + seq + ", slot=" + slot + ", kind=" + kind
                + (event == null ? "" : ", event=" + event.getClass().getSimpleName()) + '}';
    }
}
