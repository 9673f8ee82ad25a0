package io.df2redis.flink.job;

import io.df2redis.translate.SkipListener;
import io.df2redis.translate.SkipReport;
import java.io.Serializable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports every key the translation left out or changed on purpose. Each report is one log line
 * (that is the per-key report the operator asked for), capped per minute so that a dataset full of
 * one unsupported type does not drown the log; the counters (metrics) count every one. Called from
 * the translation and from the writer's threads.
 */
public final class SkipReporter implements SkipListener, Serializable {
    private static final Logger LOG = LoggerFactory.getLogger(SkipReporter.class);
    private static final int LINES_PER_MINUTE = 100;

    private final String where;
    private transient long windowStart;
    private transient int linesInWindow;
    private transient long suppressed;

    public SkipReporter(String where) {
        this.where = where;
    }

    @Override
    public synchronized void onSkip(SkipReport report) {
        long now = System.currentTimeMillis();
        if (now - windowStart >= 60_000) {
            if (suppressed > 0) {
                LOG.warn("{}: {} more keys skipped or changed in the last minute (see the translate metrics)", where, suppressed);
            }
            windowStart = now;
            linesInWindow = 0;
            suppressed = 0;
        }
        if (linesInWindow++ < LINES_PER_MINUTE) {
            LOG.warn("{}: {}", where, report);
        } else {
            suppressed++;
        }
    }
}
