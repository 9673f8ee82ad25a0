package io.df2redis.flink.source.reader;

import io.df2redis.flink.source.split.FlowSplit;
import io.df2redis.translate.Outcome;
import io.df2redis.translate.TranslationCounters;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/** Per-flow reader metrics (DESIGN §7): phase, bytes, entries, buffer and spill fill. */
final class ReaderMetrics {
    private final MetricGroup group;
    private final Map<Integer, Counter> bytes = new HashMap<>();
    private final Map<Integer, Counter> entries = new HashMap<>();
    private final Map<Integer, Counter> journal = new HashMap<>();

    ReaderMetrics(MetricGroup group, TranslationCounters translation) {
        this.group = group.addGroup("dragonfly");
        MetricGroup t = group.addGroup("translate");
        for (Outcome o : Outcome.values()) {
            t.gauge(o.name().toLowerCase(java.util.Locale.ROOT), (Gauge<Long>) () -> translation.get(o));
        }
    }

    void register(FlowReader f) {
        if (bytes.containsKey(f.flow)) {
            return;
        }
        MetricGroup g = group.addGroup("flow", Integer.toString(f.flow));
        bytes.put(f.flow, g.counter("bytesParsed"));
        entries.put(f.flow, g.counter("snapshotEntries"));
        journal.put(f.flow, g.counter("journalCommands"));
        g.gauge("phase", (Gauge<Integer>) () -> f.phase == null ? -1 : f.phase.ordinal());
        g.gauge("epoch", (Gauge<Integer>) () -> f.epoch);
        g.gauge("nextLsn", (Gauge<Long>) () -> f.nextLsn);
        g.gauge("held", (Gauge<Integer>) () -> f.state == FlowReader.State.HELD ? 1 : 0);
        g.gauge("bytesReceived", (Gauge<Long>) () -> f.connection == null ? 0L : f.connection.counters().bytesReceived());
        g.gauge("bufferBytes", (Gauge<Long>) () -> f.connection == null ? 0L : f.connection.counters().memoryBytes());
        g.gauge("spillBytes", (Gauge<Long>) () -> f.connection == null ? 0L : f.connection.counters().spillBytesOnDisk());
        g.gauge("spillLimitHits", (Gauge<Long>) () -> f.connection == null ? 0L : f.connection.counters().spillLimitHits());
        g.gauge("stable", (Gauge<Integer>) () -> f.phase == FlowSplit.Phase.STABLE ? 1 : 0);
    }

    void bytes(FlowReader f, int n) {
        bytes.get(f.flow).inc(n);
    }

    void entry(FlowReader f) {
        entries.get(f.flow).inc();
    }

    void journal(FlowReader f) {
        journal.get(f.flow).inc();
    }
}
