package io.df2redis.redis;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link RedisWriter}, cumulative since it opened. Plain getters, safe to read from
 * any thread (for a metrics reporter); no Flink types.
 */
public final class WriterMetrics {
    final LongAdder submitted = new LongAdder();
    final LongAdder acknowledged = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder resends = new LongAdder();
    final LongAdder moved = new LongAdder();
    final LongAdder ask = new LongAdder();
    final LongAdder transientErrors = new LongAdder();
    final LongAdder unknownOutcomeResends = new LongAdder();
    final LongAdder replayedAfterEarlierFailure = new LongAdder();
    final LongAdder topologyRefreshes = new LongAdder();
    final LongAdder connectionsLost = new LongAdder();
    final LongAdder waits = new LongAdder();
    final LongAdder possibleLosses = new LongAdder();
    final LongAdder failed = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> failuresByReason = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> transientByCode = new ConcurrentHashMap<>();

    /** Commands handed to {@link RedisWriter#submit}. */
    public long submitted() {
        return submitted.sum();
    }

    /** Commands Redis applied (a non-error reply). */
    public long acknowledged() {
        return acknowledged.sum();
    }

    /** Pipelined batches written (one socket write each). */
    public long batches() {
        return batches.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    /** Commands sent again for any reason (redirection, transient error, lost connection…). */
    public long resends() {
        return resends.sum();
    }

    /** {@code -MOVED} replies. */
    public long moved() {
        return moved.sum();
    }

    /** {@code -ASK} replies. */
    public long ask() {
        return ask.sum();
    }

    /** TRYAGAIN, CLUSTERDOWN, LOADING, BUSY, MASTERDOWN, READONLY, NOREPLICAS replies. */
    public long transientErrors() {
        return transientErrors.sum();
    }

    /**
     * Commands resent because the connection was lost after they were written and before their
     * reply: they may now be applied twice.
     */
    public long unknownOutcomeResends() {
        return unknownOutcomeResends.sum();
    }

    /**
     * Commands Redis had applied but that were resent anyway, because an earlier command of the
     * same slot failed transiently after they were pipelined: resending them after it restores the
     * per-key order (a replayed suffix, as after an at-least-once restart).
     */
    public long replayedAfterEarlierFailure() {
        return replayedAfterEarlierFailure.sum();
    }

    public long topologyRefreshes() {
        return topologyRefreshes.sum();
    }

    public long connectionsLost() {
        return connectionsLost.sum();
    }

    /** {@code WAIT} commands sent by flushes. */
    public long waits() {
        return waits.sum();
    }

    /** {@link PossibleLoss} reports. */
    public long possibleLosses() {
        return possibleLosses.sum();
    }

    /** Commands reported to the {@link FailureHandler} (not applied, not retried). */
    public long failed() {
        return failed.sum();
    }

    /** Failed commands by {@link CommandFailure#label()} (e.g. {@code REFUSED:WRONGTYPE}). */
    public Map<String, Long> failuresByReason() {
        return snapshot(failuresByReason);
    }

    /** Transient error replies by code (TRYAGAIN, CLUSTERDOWN, LOADING…). */
    public Map<String, Long> transientErrorsByCode() {
        return snapshot(transientByCode);
    }

    /** Every counter by name, for reporters. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new TreeMap<>();
        m.put("submitted", submitted());
        m.put("acknowledged", acknowledged());
        m.put("batches", batches());
        m.put("bytesSent", bytesSent());
        m.put("resends", resends());
        m.put("moved", moved());
        m.put("ask", ask());
        m.put("transientErrors", transientErrors());
        m.put("unknownOutcomeResends", unknownOutcomeResends());
        m.put("replayedAfterEarlierFailure", replayedAfterEarlierFailure());
        m.put("topologyRefreshes", topologyRefreshes());
        m.put("connectionsLost", connectionsLost());
        m.put("waits", waits());
        m.put("possibleLosses", possibleLosses());
        m.put("failed", failed());
        failuresByReason().forEach((k, v) -> m.put("failed." + k, v));
        return m;
    }

    void failure(String label) {
        failed.increment();
        failuresByReason.computeIfAbsent(label, k -> new LongAdder()).increment();
    }

    void transientError(String code) {
        transientErrors.increment();
        transientByCode.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    private static Map<String, Long> snapshot(ConcurrentHashMap<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
