package io.df2redis.flink.sink;

import io.df2redis.redis.WriterMetrics;
import io.df2redis.translate.Outcome;
import io.df2redis.translate.SlotApplier;
import io.df2redis.translate.TranslationCounters;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/** Writer metrics (DESIGN §7): commands, batches, retries, MOVED/ASK, failures, skips, held work. */
final class SinkMetrics {
    private final Counter dropped;

    SinkMetrics(MetricGroup group, WriterMetrics w, TranslationCounters t, WriterBarriers barriers, SlotApplier applier,
            AtomicLong refusedSkipped, AtomicLong replayDuplicates) {
        MetricGroup r = group.addGroup("redis");
        r.gauge("commandsSubmitted", (Gauge<Long>) w::submitted);
        r.gauge("commandsAcknowledged", (Gauge<Long>) w::acknowledged);
        r.gauge("batches", (Gauge<Long>) w::batches);
        r.gauge("bytesSent", (Gauge<Long>) w::bytesSent);
        r.gauge("resends", (Gauge<Long>) w::resends);
        r.gauge("moved", (Gauge<Long>) w::moved);
        r.gauge("ask", (Gauge<Long>) w::ask);
        r.gauge("transientErrors", (Gauge<Long>) w::transientErrors);
        r.gauge("unknownOutcomeResends", (Gauge<Long>) w::unknownOutcomeResends);
        r.gauge("topologyRefreshes", (Gauge<Long>) w::topologyRefreshes);
        r.gauge("connectionsLost", (Gauge<Long>) w::connectionsLost);
        r.gauge("possibleLosses", (Gauge<Long>) w::possibleLosses);
        r.gauge("failed", (Gauge<Long>) w::failed);
        r.gauge("refusedSkipped", (Gauge<Long>) refusedSkipped::get);
        r.gauge("replayedDuplicates", (Gauge<Long>) replayDuplicates::get);
        MetricGroup tg = group.addGroup("translate");
        for (Outcome o : Outcome.values()) {
            tg.gauge(o.name().toLowerCase(Locale.ROOT), (Gauge<Long>) () -> t.get(o));
        }
        MetricGroup b = group.addGroup("barrier");
        b.gauge("heldRecords", (Gauge<Integer>) barriers::heldCount);
        b.gauge("globalPending", (Gauge<Integer>) () -> barriers.globalPending() ? 1 : 0);
        b.gauge("parkedSlots", (Gauge<Integer>) applier::parkedSlots);
        b.gauge("parkedBytes", (Gauge<Long>) applier::heldBytes);
        dropped = b.counter("olderEpochRecordsDropped");
    }

    void dropped() {
        dropped.inc();
    }

    long droppedCount() {
        return dropped.getCount();
    }
}
