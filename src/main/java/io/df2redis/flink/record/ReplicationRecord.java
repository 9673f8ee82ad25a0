package io.df2redis.flink.record;

import io.df2redis.dragonfly.event.FlowEvent;
import java.util.List;
import java.util.Objects;

/**
 * What the source emits and the sink applies, keyed by {@link #slot()}. Records of one flow reach
 * one writer subtask in emission order (one channel, FIFO), which is what keeps per-key order.
 *
 * <p>Kinds:
 *
 * <ul>
 *   <li>{@link Kind#DATA}: a snapshot object, an object part, or a single-slot unit of a journal
 *       command (a cross-slot RENAME/COPY comes as two units, one per slot, told apart by slot);
 *   <li>{@link Kind#GLOBAL}: one copy per writer subtask of a FLUSHALL/FLUSHDB (event is the
 *       {@link FlowEvent.GlobalCommand}); a writer applies it once it has the copies of all {@link
 *       #barrierFlows()} flows;
 *   <li>{@link Kind#EPOCH_RESET}: one copy per writer subtask at the start of every full sync: from
 *       then on records of older epochs are dropped, and the writer clears its slots first when
 *       {@link #clearTarget()} is set;
 *   <li>{@link Kind#BATCH}: a run of one flow's snapshot entries whose keys all belong to one writer
 *       subtask ({@link #batch()}, in stream order), addressed to it by {@link #slot()}: the
 *       shuffle's cost is paid once per run instead of once per key.
 * </ul>
 */
public final class ReplicationRecord {

    public enum Kind {
        DATA,
        GLOBAL,
        EPOCH_RESET,
        BATCH
    }

    private final int epoch;
    private final int flow;
    private final long seq;
    private final int slot;
    private final Kind kind;
    private final FlowEvent event;
    private final byte[] routingKey;
    private final int barrierFlows;
    private final boolean clearTarget;
    private final List<FlowEvent> batch;

    public ReplicationRecord(int epoch, int flow, long seq, int slot, Kind kind, FlowEvent event, byte[] routingKey,
            int barrierFlows, boolean clearTarget) {
        this.epoch = epoch;
        this.flow = flow;
        this.seq = seq;
        this.slot = slot;
        this.kind = Objects.requireNonNull(kind);
        this.event = event;
        this.routingKey = routingKey;
        this.barrierFlows = barrierFlows;
        this.clearTarget = clearTarget;
        this.batch = null;
        if (kind == Kind.BATCH) {
            throw new IllegalArgumentException("a BATCH record is made by ReplicationRecord.batch");
        }
        if (kind != Kind.EPOCH_RESET && event == null) {
            throw new IllegalArgumentException(kind + " record needs an event");
        }
    }

    private ReplicationRecord(int epoch, int flow, long seq, int slot, List<FlowEvent> batch) {
        this.epoch = epoch;
        this.flow = flow;
        this.seq = seq;
        this.slot = slot;
        this.kind = Kind.BATCH;
        this.event = null;
        this.routingKey = null;
        this.barrierFlows = 0;
        this.clearTarget = false;
        this.batch = Objects.requireNonNull(batch);
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("an empty BATCH record");
        }
    }

    /**
     * Snapshot entries (objects and parts) of {@code flow}, in stream order, whose keys all belong to
     * the writer subtask that {@code slot} is routed to; {@code firstSeq} is the first one's sequence.
     */
    public static ReplicationRecord batch(int epoch, int flow, long firstSeq, int slot, List<FlowEvent> entries) {
        return new ReplicationRecord(epoch, flow, firstSeq, slot, entries);
    }

    /** A snapshot object or part (its key is in the event). */
    public static ReplicationRecord data(int epoch, int flow, long seq, int slot, FlowEvent event) {
        return new ReplicationRecord(epoch, flow, seq, slot, Kind.DATA, event, null, 0, false);
    }

    /** A single-slot unit of a journal command, routed by {@code key}. */
    public static ReplicationRecord journal(int epoch, int flow, long seq, int slot, byte[] key, FlowEvent.JournalCommand unit) {
        return new ReplicationRecord(epoch, flow, seq, slot, Kind.DATA, unit, key, 0, false);
    }

    public static ReplicationRecord global(int epoch, int flow, long seq, int slot, FlowEvent.GlobalCommand command, int flows) {
        return new ReplicationRecord(epoch, flow, seq, slot, Kind.GLOBAL, command, null, flows, false);
    }

    public static ReplicationRecord epochReset(int epoch, int flow, int slot, int flows, boolean clearTarget) {
        return new ReplicationRecord(epoch, flow, 0, slot, Kind.EPOCH_RESET, null, null, flows, clearTarget);
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

    /** The entries of a {@link Kind#BATCH} record, in stream order; {@code null} for the other kinds. */
    public List<FlowEvent> batch() {
        return batch;
    }

    /** The event; {@code null} only for {@link Kind#EPOCH_RESET} and {@link Kind#BATCH}. */
    public FlowEvent event() {
        return event;
    }

    /** The key a journal unit was routed by (null for other records). */
    public byte[] routingKey() {
        return routingKey;
    }

    /** A job-wide id of this record's journal entry, stable under replay of the same epoch. */
    public String opId() {
        return epoch + ":" + flow + ":" + seq;
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
                + (event == null ? "" : ", event=" + event.getClass().getSimpleName())
                + (batch == null ? "" : ", entries=" + batch.size()) + '}';
    }
}
