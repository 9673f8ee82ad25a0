package io.df2redis.flink.source.reader;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.flink.record.ReplicationRecord;
import io.df2redis.redis.Slots;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.ReaderOutput;

/**
 * One flow's snapshot objects gathered per writer subtask and emitted as {@link
 * ReplicationRecord.Kind#BATCH} records: the shuffle (serialization, key selection, channel,
 * deserialization) is paid once per run of entries instead of once per key. A key's entries keep
 * their order: one flow is one channel to each writer, and the reader flushes a writer's batch
 * before anything else of the flow goes out ({@link #flush}), and at the end of every poll, so a
 * checkpoint barrier never finds entries held here.
 */
final class SnapshotBatches {
    /** Entries per batch record. */
    static final int MAX_ENTRIES = 256;
    /** Key and value bytes per batch record (about a network buffer's worth, eight times over). */
    static final long MAX_BYTES = 256 * 1024;

    private final WriterAddresses writers;
    private final List<FlowEvent>[] entries;
    private final long[] bytes;
    private final long[] firstSeq;
    private int pending;

    @SuppressWarnings("unchecked")
    SnapshotBatches(WriterAddresses writers) {
        this.writers = writers;
        this.entries = new List[writers.count()];
        this.bytes = new long[writers.count()];
        this.firstSeq = new long[writers.count()];
    }

    /** Adds a snapshot object of sequence {@code seq}; emits its writer's batch once full. */
    void add(FlowReader f, long seq, FlowEvent.SnapshotObject o, ReaderOutput<ReplicationRecord> out) {
        int w = writers.writerOf(Slots.slot(o.key()));
        List<FlowEvent> l = entries[w];
        if (l == null) {
            l = new ArrayList<>(MAX_ENTRIES);
            entries[w] = l;
            firstSeq[w] = seq;
            pending++;
        }
        l.add(o);
        bytes[w] += o.key().length + o.value().encoded().length;
        if (l.size() >= MAX_ENTRIES || bytes[w] >= MAX_BYTES) {
            emit(f, w, out);
        }
    }

    /** Emits every non-empty batch (before any other record of the flow, and at the end of a poll). */
    void flush(FlowReader f, ReaderOutput<ReplicationRecord> out) {
        for (int w = 0; pending > 0 && w < entries.length; w++) {
            if (entries[w] != null) {
                emit(f, w, out);
            }
        }
    }

    /** Forgets what was gathered (the epoch's connection closed: those entries come again). */
    void clear() {
        java.util.Arrays.fill(entries, null);
        java.util.Arrays.fill(bytes, 0);
        pending = 0;
    }

    private void emit(FlowReader f, int w, ReaderOutput<ReplicationRecord> out) {
        out.collect(ReplicationRecord.batch(f.epoch, f.flow, firstSeq[w], writers.slotOf(w), entries[w]));
        entries[w] = null;
        bytes[w] = 0;
        pending--;
    }
}
