package io.df2redis.flink.source.enumerator;

import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * Metrics of the session controller (DESIGN §7): epoch, kind of sync, sessions lost, and per flow
 * the master's next LSN ({@code DFLY REPLICAOFFSET}), the ACKed LSN and the lag between them (entries, and the age of the oldest unacknowledged write).
 */
final class EnumeratorMetrics {
    private final AtomicLongArray masterOffset;
    private final AtomicLongArray acked;
    private final AtomicLongArray journalOffset;
    /** Per flow: since when (ms) a write has been unacknowledged; 0 none, -1 unknown. */
    private final AtomicLongArray unackedSince;
    private final Counter sessionsLost;
    private volatile long epoch;
    private volatile long fullSync;
    private volatile long masterKeys = -1;

    EnumeratorMetrics(MetricGroup group, int flows) {
        masterOffset = new AtomicLongArray(flows);
        acked = new AtomicLongArray(flows);
        journalOffset = new AtomicLongArray(flows);
        unackedSince = new AtomicLongArray(flows);
        MetricGroup g = group.addGroup("dragonfly");
        g.gauge("epoch", (Gauge<Long>) () -> epoch);
        g.gauge("fullSync", (Gauge<Long>) () -> fullSync);
        // Snapshot progress = Σ readers' dragonfly.flow.<i>.snapshotEntries / this.
        g.gauge("masterKeysAtFullSync", (Gauge<Long>) () -> masterKeys);
        sessionsLost = g.counter("sessionsLost");
        for (int f = 0; f < flows; f++) {
            final int flow = f;
            MetricGroup fg = g.addGroup("flow", Integer.toString(f));
            fg.gauge("masterNextLsn", (Gauge<Long>) () -> masterOffset.get(flow));
            fg.gauge("ackedLsn", (Gauge<Long>) () -> acked.get(flow));
            fg.gauge("journalOffset", (Gauge<Long>) () -> journalOffset.get(flow));
            fg.gauge("lagEntries", (Gauge<Long>) () -> {
                long a = acked.get(flow);
                long m = masterOffset.get(flow);
                return a <= 0 || m <= 0 ? -1L : Math.max(0, m - a);
            });
            // Age of the oldest write the master has not had acknowledged (to its 5 s offset polls).
            fg.gauge("lagMs", (Gauge<Long>) () -> {
                long since = unackedSince.get(flow);
                return since <= 0 ? since : Math.max(0, System.currentTimeMillis() - since);
            });
        }
    }

    void unacknowledgedSince(int flow, long sinceMs) {
        if (flow >= 0 && flow < unackedSince.length()) {
            unackedSince.set(flow, sinceMs);
        }
    }

    void epochStarted(int id, boolean full) {
        epoch = id;
        fullSync = full ? 1 : 0;
    }

    void masterKeys(long keys) {
        masterKeys = keys;
    }

    void sessionFailed() {
        sessionsLost.inc();
    }

    void stableCut(int flow, long offset) {
        journalOffset.set(flow, offset);
    }

    void masterOffsets(long[] offsets) {
        for (int f = 0; f < offsets.length && f < masterOffset.length(); f++) {
            masterOffset.set(f, offsets[f]);
        }
    }

    void acked(int flow, long lsn) {
        if (flow >= 0 && flow < acked.length()) {
            acked.set(flow, lsn);
        }
    }

    /** Lag of a flow in journal entries, -1 when unknown. */
    long lag(int flow) {
        long a = acked.get(flow);
        long m = masterOffset.get(flow);
        return a <= 0 || m <= 0 ? -1 : Math.max(0, m - a);
    }
}
