package io.df2redis.flink.job;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * The embedded runner's in-process metric reporter: keeps the {@code translate.*} counters of every
 * reader and writer (read when a task ends, and at the end for those still registered), so that
 * {@code --mode snapshot} can close with one summary line of what was written and what was left
 * out, by reason. Only in the embedded runner (same JVM); a cluster has its logs and its reporters.
 */
public final class SummaryReporter implements MetricReporter {
    private static final Map<String, Gauge<?>> LIVE = new ConcurrentHashMap<>();
    private static final Map<String, Long> ENDED = new ConcurrentHashMap<>();

    /** Registered in the embedded cluster's configuration under this name. */
    public static final String NAME = "df2redis_summary";

    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(java.util.Properties properties) {
            return new SummaryReporter();
        }
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String id = group.getMetricIdentifier(name);
        if (metric instanceof Gauge<?> g && id.contains(".translate.")) {
            LIVE.put(id, g);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        String id = group.getMetricIdentifier(name);
        Gauge<?> g = LIVE.remove(id);
        if (g != null && g.getValue() instanceof Number n && n.longValue() != 0) {
            ENDED.merge(name, n.longValue(), Long::sum);
        }
    }

    /** Every {@code translate.*} counter summed over the job's tasks, non-zero ones only, by name. */
    public static Map<String, Long> totals() {
        Map<String, Long> out = new TreeMap<>(ENDED);
        for (Map.Entry<String, Gauge<?>> e : LIVE.entrySet()) {
            if (e.getValue().getValue() instanceof Number n && n.longValue() != 0) {
                String name = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
                out.merge(name, n.longValue(), Long::sum);
            }
        }
        return out;
    }

    /** Forgets what was counted (a test runs several jobs in one JVM). */
    public static void reset() {
        LIVE.clear();
        ENDED.clear();
    }
}
