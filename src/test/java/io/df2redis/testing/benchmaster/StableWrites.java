package io.df2redis.testing.benchmaster;

import io.df2redis.testing.benchmaster.BenchEngine.Run;
import io.df2redis.testing.benchmaster.BenchEngine.WriteResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client writes on the master during stable sync: each phase a constant rate of {@code SET}s (paced
 * every 0.2 ms against the phase's clock), while a sampler records the replication lag = master's
 * next LSN − the LSN the replica ACKed, summed over flows. Per phase: achieved rate, and median and
 * max lag over the phase after its warm-up (and, with a probe of the target, how many writes were
 * not yet visible there). After the last phase: how long until the lag is 0.
 */
final class StableWrites {
    private static final Logger LOG = LoggerFactory.getLogger(StableWrites.class);
    private static final long CATCH_UP_LIMIT_MS = 180_000;
    /** The probe looks this many writes back at most. */
    private static final long PROBE_WINDOW = 5_000_000;

    private final BenchEngine engine;
    private final Run run;
    private final BenchMasterConfig cfg;
    private final BenchStats stats;
    private final Thread writer;
    private final Thread sampler;
    private volatile boolean stopped;
    private volatile int phase = -1;
    /** Samples of the current phase after its warm-up: total lag over flows. */
    private final List<Long> samples = new ArrayList<>();
    /** The same moments: writes not yet visible in the target (with a probe). */
    private final List<Long> invisible = new ArrayList<>();
    private final Path csv;

    StableWrites(BenchEngine engine, Run run, BenchMasterConfig cfg, BenchStats stats) {
        this.engine = engine;
        this.run = run;
        this.cfg = cfg;
        this.stats = stats;
        this.csv = cfg.statsFile() == null ? null : cfg.statsFile().resolveSibling(cfg.statsFile().getFileName() + ".lag.csv");
        this.writer = new Thread(this::writeLoop, "benchmaster-stable-writes");
        this.sampler = new Thread(this::sampleLoop, "benchmaster-lag-sampler");
        writer.setDaemon(true);
        sampler.setDaemon(true);
    }

    void start() {
        writer.start();
        sampler.start();
    }

    void stop() {
        stopped = true;
        writer.interrupt();
        sampler.interrupt();
    }

    private void writeLoop() {
        try {
            Thread.sleep(cfg.stableDelay().toMillis());
            for (int p = 0; p < cfg.phases().size() && !stopped; p++) {
                if (!runPhase(p)) {
                    LOG.warn("stable writes stopped: session {} ended during phase {}", run.number, p + 1);
                    stats.put("aborted", "session ended in phase " + (p + 1));
                    return;
                }
            }
            phase = cfg.phases().size();
            long end = System.currentTimeMillis();
            stats.put("writes_total", engine.writes());
            // Catch-up: how long until every write is ACKed.
            while (!stopped && run.live() && run.lag().total() > 0) {
                if (System.currentTimeMillis() - end > CATCH_UP_LIMIT_MS) {
                    stats.put("catchup_ms", "not within " + CATCH_UP_LIMIT_MS + " ms, lag " + run.lag().total());
                    stats.put("done", 1);
                    return;
                }
                Thread.sleep(20);
            }
            stats.put("catchup_ms", System.currentTimeMillis() - end);
            stats.put("done", 1);
            LOG.info("stable writes done: {} writes, caught up {} ms after the last", engine.writes(), stats.get("catchup_ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One phase at its rate; false if the session ended. */
    private boolean runPhase(int p) throws InterruptedException {
        BenchMasterConfig.Phase ph = cfg.phases().get(p);
        String key = "phase." + (p + 1) + ".";
        long start = System.nanoTime();
        long durationNanos = ph.duration().toNanos();
        long done = 0;
        long waits = 0;
        synchronized (samples) {
            samples.clear();
            invisible.clear();
            phase = p;
        }
        stats.put(key + "rate", ph.ratePerSecond());
        stats.put(key + "start_ms", System.currentTimeMillis());
        LOG.info("phase {}: {} SET/s for {} s", p + 1, ph.ratePerSecond(), ph.duration().toSeconds());
        while (!stopped) {
            long elapsed = System.nanoTime() - start;
            if (elapsed >= durationNanos) {
                break;
            }
            long target = (long) (ph.ratePerSecond() * (elapsed / 1e9));
            while (done < target) {
                WriteResult r = engine.tryWrite(run);
                if (r == WriteResult.SESSION_ENDED) {
                    return false;
                }
                if (r == WriteResult.FLOW_FULL) {
                    waits++;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    break;
                }
                done++;
            }
            LockSupport.parkNanos(200_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> s;
        List<Long> inv;
        synchronized (samples) {
            s = new ArrayList<>(samples);
            inv = new ArrayList<>(invisible);
            phase = -1;
        }
        stats.put(key + "end_ms", System.currentTimeMillis());
        stats.put(key + "writes", done);
        stats.put(key + "achieved_rate", Math.round(done / seconds));
        stats.put(key + "flow_full_waits", waits);
        stats.put(key + "samples", s.size());
        if (!s.isEmpty()) {
            long[] a = s.stream().mapToLong(Long::longValue).sorted().toArray();
            long median = a[a.length / 2];
            long max = a[a.length - 1];
            stats.put(key + "lag_median", median);
            stats.put(key + "lag_max", max);
            stats.put(key + "lag_median_ms", Math.round(median * 1000.0 / ph.ratePerSecond()));
            stats.put(key + "lag_max_ms", Math.round(max * 1000.0 / ph.ratePerSecond()));
            LOG.info("phase {}: {} writes at {}/s, lag median {} max {} entries", p + 1, done, Math.round(done / seconds), median, max);
        }
        if (!inv.isEmpty()) {
            long[] a = inv.stream().mapToLong(Long::longValue).sorted().toArray();
            stats.put(key + "visible_lag_median_ms", Math.round(a[a.length / 2] * 1000.0 / ph.ratePerSecond()));
            stats.put(key + "visible_lag_p99_ms", Math.round(a[(int) Math.min(a.length - 1, Math.ceil(a.length * 0.99) - 1)] * 1000.0
                    / ph.ratePerSecond()));
            stats.put(key + "visible_lag_max_ms", Math.round(a[a.length - 1] * 1000.0 / ph.ratePerSecond()));
        }
        return run.live();
    }

    private void sampleLoop() {
        long t0 = System.nanoTime();
        try (PrintWriter out = csv == null ? null
                : new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8));
                VisibilityProbe probe = cfg.probeTarget() == null ? null : new VisibilityProbe(cfg.probeTarget(), engine.data())) {
            if (out != null) {
                out.println("elapsed_ms,phase,writes,offsets,acks_or_cut,lag_total,invisible_writes");
            }
            long warmupNanos = cfg.lagWarmup().toNanos();
            long phaseStart = 0;
            int lastPhase = -2;
            while (!stopped && run.live()) {
                long now = System.nanoTime();
                Run.LagSample lag = run.lag();
                long total = lag.total();
                long writes = engine.writes();
                int p = phase;
                long notVisible = probe == null ? -1 : probe.invisibleWrites(writes, PROBE_WINDOW);
                if (p != lastPhase) {
                    phaseStart = now;
                    lastPhase = p;
                }
                synchronized (samples) {
                    if (p >= 0 && p < cfg.phases().size() && p == phase && now - phaseStart >= warmupNanos) {
                        samples.add(total);
                        if (notVisible >= 0) {
                            invisible.add(notVisible);
                        }
                    }
                }
                if (out != null) {
                    out.printf("%d,%d,%d,%s,%s,%d,%d%n", (now - t0) / 1_000_000, p + 1, writes,
                            join(lag.nextLsn()), join(lag.acked()), total, notVisible);
                    out.flush();
                }
                Thread.sleep(cfg.sampleEvery().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + csv, e);
        }
    }

    private static String join(long[] a) {
        return String.join(" ", Arrays.stream(a).mapToObj(Long::toString).toList());
    }
}
