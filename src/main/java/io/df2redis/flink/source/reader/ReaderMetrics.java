package io.df2redis.flink.source.reader;

import io.df2redis.dragonfly.flow.FlowCounters;
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
    private final Map<Integer, FlowReader> current = new java.util.concurrent.ConcurrentHashMap<>();

    ReaderMetrics(MetricGroup group, TranslationCounters translation) {
        this.group = group.addGroup("dragonfly");
        MetricGroup t = group.addGroup("translate");
        for (Outcome o : Outcome.values()) {
            t.gauge(o.name().toLowerCase(java.util.Locale.ROOT), (Gauge<Long>) () -> translation.get(o));
        }
    }

    /** Registers flow {@code f.flow}'s metrics the first time; hands {@code f} its counters every time. */
    void register(FlowReader f) {
        boolean known = bytes.containsKey(f.flow);
        if (!known) {
            MetricGroup g = group.addGroup("flow", Integer.toString(f.flow));
            bytes.put(f.flow, g.counter("bytesParsed"));
            entries.put(f.flow, g.counter("snapshotEntries"));
            journal.put(f.flow, g.counter("journalCommands"));
            gauges(g, f.flow);
        }
        current.put(f.flow, f);
        // Kept on the flow: a map lookup per entry showed in the source task's profile.
        f.bytesMetric = bytes.get(f.flow);
        f.entriesMetric = entries.get(f.flow);
        f.journalMetric = journal.get(f.flow);
    }

    /** The gauges read the flow's current reader (a flow assigned again gets a new one). */
    private void gauges(MetricGroup g, int flow) {
        g.gauge("phase", (Gauge<Integer>) () -> current.get(flow).phase == null ? -1 : current.get(flow).phase.ordinal());
        g.gauge("epoch", (Gauge<Integer>) () -> current.get(flow).epoch);
        g.gauge("nextLsn", (Gauge<Long>) () -> current.get(flow).nextLsn);
        g.gauge("held", (Gauge<Integer>) () -> current.get(flow).state == FlowReader.State.HELD ? 1 : 0);
        g.gauge("bytesReceived", (Gauge<Long>) () -> connectionCounter(flow, FlowCounters::bytesReceived));
        g.gauge("bufferBytes", (Gauge<Long>) () -> connectionCounter(flow, FlowCounters::memoryBytes));
        g.gauge("spillBytes", (Gauge<Long>) () -> connectionCounter(flow, FlowCounters::spillBytesOnDisk));
        g.gauge("spillLimitHits", (Gauge<Long>) () -> connectionCounter(flow, FlowCounters::spillLimitHits));
        g.gauge("stable", (Gauge<Integer>) () -> current.get(flow).phase == FlowSplit.Phase.STABLE ? 1 : 0);
    }

    private long connectionCounter(int flow, java.util.function.ToLongFunction<FlowCounters> counter) {
        FlowReader f = current.get(flow);
        return f.connection == null ? 0L : counter.applyAsLong(f.connection.counters());
    }

    void bytes(FlowReader f, int n) {
        f.bytesMetric.inc(n);
    }

    void entry(FlowReader f) {
        f.entriesMetric.inc();
    }

    void journal(FlowReader f) {
        f.journalMetric.inc();
    }
}
