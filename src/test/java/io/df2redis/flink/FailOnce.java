package io.df2redis.flink;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.flink.record.ReplicationRecord;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A failing-once operator chained to the source (so the reader's task fails): it throws once, the
 * first time it has seen n records of the kind it waits for (a batch counts as its entries), then
 * passes everything. State is
 * static because the MiniCluster runs in the test's JVM and the operator is recreated on restart.
 */
final class FailOnce implements MapFunction<ReplicationRecord, ReplicationRecord> {
    enum When {
        /** A snapshot entry: the flows are in the full sync. */
        FULL_SYNC,
        /** A journal command with an LSN: the flows are in stable sync. */
        STABLE,
        /** Any record after {@link #signal} was called for this name. */
        SIGNALLED
    }

    static final ConcurrentHashMap<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();
    static final ConcurrentHashMap<String, Boolean> FAILED = new ConcurrentHashMap<>();
    static final ConcurrentHashMap<String, Boolean> SIGNALLED = new ConcurrentHashMap<>();

    private final String name;
    private final When when;
    private final int after;

    FailOnce(String name, When when, int after) {
        this.name = name;
        this.when = when;
        this.after = after;
        SEEN.put(name, new AtomicInteger());
        FAILED.remove(name);
        SIGNALLED.remove(name);
    }

    static void signal(String name) {
        SIGNALLED.put(name, true);
    }

    static boolean failed(String name) {
        return FAILED.containsKey(name);
    }

    @Override
    public ReplicationRecord map(ReplicationRecord r) {
        // A batch of snapshot entries counts as its entries.
        int n = switch (when) {
            case FULL_SYNC -> r.kind() == ReplicationRecord.Kind.BATCH ? r.batch().size()
                    : r.event() instanceof FlowEvent.SnapshotObject || r.event() instanceof FlowEvent.ObjectPart ? 1 : 0;
            case STABLE -> r.event() instanceof FlowEvent.JournalCommand c && c.lsn() >= 0 ? 1 : 0;
            case SIGNALLED -> SIGNALLED.containsKey(name) ? 1 : 0;
        };
        if (n > 0 && !FAILED.containsKey(name) && SEEN.get(name).addAndGet(n) >= after) {
            FAILED.put(name, true);
            throw new IllegalStateException("failing once on purpose (" + name + ") at " + r);
        }
        return r;
    }
}
