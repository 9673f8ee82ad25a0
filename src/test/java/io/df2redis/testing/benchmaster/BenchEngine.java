package io.df2redis.testing.benchmaster;

import io.df2redis.translate.DragonflySharding;
import io.df2redis.dragonfly.encode.JournalEncoder;
import io.df2redis.dragonfly.encode.RdbWriter;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSim.SimFlow;
import io.df2redis.testing.dfsim.DfSim.SimSession;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark master's engine behind {@link DfSim}'s protocol side: every flow's full sync is
 * generated from {@link BenchData} while it is written (nothing of the dataset is held), then the
 * flow carries a stable journal of {@code SET}s made by {@link StableWrites}. Every flow is granted
 * FULL (a master may always do so), so a reconnecting job simply syncs again. Writes are made only
 * in stable sync; a new session's snapshot is cut at the writes made so far, under the same lock
 * that makes them, so every key's value stays computable.
 */
final class BenchEngine implements DfSim.Engine {
    private static final Logger LOG = LoggerFactory.getLogger(BenchEngine.class);
    static final String VERSION = "df-v1.40.0-benchmaster";
    /** Journal entries queued per flow before the writes wait for the flow (bounded memory). */
    private static final int FLOW_QUEUE = 256 * 1024;
    /** The master's streamer adds an LSN record after an entry when this long passed since the last. */
    private static final long LSN_RECORD_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final Object POISON = new Object();

    private final DfSim sim;
    private final BenchMasterConfig cfg;
    private final BenchData data;
    private final BenchStats stats;
    private final SecureRandom rnd = new SecureRandom();
    private final String masterId;
    private final AtomicLongArray nextLsn;
    private final Map<SimSession, Run> runs = new ConcurrentHashMap<>();
    /** Held while a write takes its LSN and is queued, and while a snapshot is cut. */
    final Object writeLock = new Object();
    private long writesDone;
    private boolean journalStarted;
    private volatile StableWrites stableWrites;
    private int sessions;

    /** A journal entry on its way to a flow. */
    private record Entry(long lsn, byte[] bytes) {}

    /** One session: its flows' writer threads. */
    final class Run {
        final SimSession session;
        final int number;
        final FlowThread[] flows;
        volatile boolean cancelled;
        long[] stableOffsets;

        Run(SimSession session, int number) {
            this.session = session;
            this.number = number;
            this.flows = new FlowThread[session.numFlows()];
        }

        /** Per flow at one moment: the master's next LSN and what the replica last ACKed (the cut before any ACK). */
        record LagSample(long[] nextLsn, long[] acked) {
            long total() {
                long t = 0;
                for (int i = 0; i < nextLsn.length; i++) {
                    t += Math.max(0, nextLsn[i] - acked[i]);
                }
                return t;
            }
        }

        LagSample lag() {
            long[] next = new long[flows.length];
            long[] acked = new long[flows.length];
            for (int i = 0; i < flows.length; i++) {
                long ack = session.flow(i).lastAck();
                acked[i] = ack >= 0 ? ack : stableOffsets[i];
                next[i] = nextLsn.get(i);
            }
            return new LagSample(next, acked);
        }

        boolean live() {
            return !cancelled;
        }
    }

    BenchEngine(DfSim sim, BenchMasterConfig cfg, BenchStats stats) {
        this.sim = sim;
        this.cfg = cfg;
        this.data = cfg.data();
        this.stats = stats;
        this.masterId = DfSim.randomHex(rnd, 40);
        this.nextLsn = new AtomicLongArray(cfg.flows());
    }

    // ------------------------------------------------------------------------------------------
    // Protocol side

    @Override
    public String masterId() {
        return masterId;
    }

    @Override
    public int numFlows() {
        return cfg.flows();
    }

    @Override
    public Map<String, String> infoServer() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("dragonfly_version", VERSION);
        m.put("redis_version", "7.4.0");
        m.put("redis_mode", "standalone");
        m.put("thread_count", Integer.toString(cfg.flows()));
        // Not in a real master's INFO: the benchmark's own progress, for scripts and the null replica.
        m.put("bench_keys", Long.toString(cfg.keys()));
        m.put("bench_fullsync_end_flows", String.valueOf(stats.get("fullsync_end_flows")));
        m.put("bench_snapshot_bytes", String.valueOf(stats.get("snapshot_bytes")));
        m.put("bench_writes", Long.toString(writes()));
        m.put("bench_done", String.valueOf(stats.get("done")));
        return m;
    }

    @Override
    public byte[] capaReply(SimSession s) {
        return null;
    }

    @Override
    public DfSim.FlowGrant grantFlow(SimSession s, int flow, OptionalLong lsn) {
        synchronized (writeLock) {
            if (!journalStarted) {
                // journal::StartInThread: LSNs start at 1 the first time a replica connects.
                journalStarted = true;
                for (int i = 0; i < cfg.flows(); i++) {
                    nextLsn.set(i, 1);
                }
            }
        }
        return new DfSim.FlowGrant(false, DfSim.randomHex(rnd, 40), -1, null);
    }

    @Override
    public void startFullSync(SimSession s) {
        long cut;
        synchronized (writeLock) {
            cut = writesDone;
        }
        Run run = new Run(s, ++sessions);
        runs.put(s, run);
        stats.put("sessions", run.number);
        stats.put("sync_ms." + run.number, System.currentTimeMillis());
        stats.putIfAbsent("sync_ms", System.currentTimeMillis());
        stats.put("writes_at_cut." + run.number, cut);
        LOG.info("session {} ({}): full sync of {} keys on {} flows, cut after {} writes", run.number, s.syncId(),
                cfg.keys(), cfg.flows(), cut);
        for (int i = 0; i < s.numFlows(); i++) {
            run.flows[i] = new FlowThread(run, s.flow(i), cut);
        }
        for (FlowThread t : run.flows) {
            t.thread.start();
        }
    }

    @Override
    public void startStable(SimSession s) {
        Run run = runs.get(s);
        if (run == null) {
            return;
        }
        synchronized (writeLock) {
            run.stableOffsets = new long[cfg.flows()];
            for (int i = 0; i < cfg.flows(); i++) {
                run.stableOffsets[i] = nextLsn.get(i);
            }
        }
        for (int i = 0; i < run.flows.length; i++) {
            run.flows[i].stableOffset.complete(run.stableOffsets[i]);
        }
        stats.put("stable_ms." + run.number, System.currentTimeMillis());
        stats.putIfAbsent("stable_ms", System.currentTimeMillis());
        LOG.info("session {}: stable sync from LSNs {}", run.number, java.util.Arrays.toString(run.stableOffsets));
        if (!cfg.phases().isEmpty() && stableWrites == null) {
            stableWrites = new StableWrites(this, run, cfg, stats);
            stableWrites.start();
        }
    }

    @Override
    public void cancelled(SimSession s) {
        Run run = runs.remove(s);
        if (run == null) {
            return;
        }
        run.cancelled = true;
        for (FlowThread t : run.flows) {
            t.queue.clear();
            t.queue.offer(POISON);
            t.stableOffset.complete(-1L);
        }
        stats.put("session_end_ms." + run.number, System.currentTimeMillis());
        stats.putIfAbsent("session_end_ms", System.currentTimeMillis());
        LOG.info("session {} ended", run.number);
    }

    @Override
    public long[] replicaOffsets() {
        long[] out = new long[cfg.flows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nextLsn.get(i);
        }
        return out;
    }

    @Override
    public void close() {
        StableWrites w = stableWrites;
        if (w != null) {
            w.stop();
        }
        for (SimSession s : List.copyOf(runs.keySet())) {
            cancelled(s);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Writes

    long writes() {
        synchronized (writeLock) {
            return writesDone;
        }
    }

    BenchData data() {
        return data;
    }

    /** Outcome of {@link #tryWrite}. */
    enum WriteResult { WRITTEN, FLOW_FULL, SESSION_ENDED }

    /**
     * Stable write number {@link #writes()}: {@code SET key value} journaled on the key's shard with
     * the shard's next LSN and queued to {@code run}'s flow. Never waits (the caller retries on
     * FLOW_FULL without holding anything, so a stalled flow cannot block the master's other locks).
     */
    WriteResult tryWrite(Run run) {
        synchronized (writeLock) {
            if (!run.live()) {
                return WriteResult.SESSION_ENDED;
            }
            long j = writesDone;
            long k = data.keyOfWrite(j);
            byte[] key = BenchData.key(k);
            int shard = DragonflySharding.DEFAULT.shard(key, cfg.flows());
            FlowThread t = run.flows[shard];
            if (t.queue.remainingCapacity() == 0) {
                return WriteResult.FLOW_FULL;
            }
            byte[] entry = JournalEncoder.selectAndCommand(0, 0, List.of(SET, key, data.value(k, data.generationOfWrite(j))));
            if (!t.queue.offer(new Entry(nextLsn.getAndIncrement(shard), entry))) {
                throw new IllegalStateException("only the stable writer fills flow queues");
            }
            writesDone = j + 1;
            return WriteResult.WRITTEN;
        }
    }

    private static final byte[] SET = {'S', 'E', 'T'};

    // ------------------------------------------------------------------------------------------
    // Flows

    /** Writes one flow: header, generated snapshot, FULLSYNC_END, the cut once told, then the journal. */
    final class FlowThread implements Runnable {
        final Run run;
        final SimFlow flow;
        final long writesAtCut;
        final Thread thread;
        final CompletableFuture<Long> stableOffset = new CompletableFuture<>();
        final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(FLOW_QUEUE);

        FlowThread(Run run, SimFlow flow, long writesAtCut) {
            this.run = run;
            this.flow = flow;
            this.writesAtCut = writesAtCut;
            this.thread = new Thread(this, "benchmaster-flow-" + flow.flowId() + "-s" + run.number);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                SnapshotStream stream = new SnapshotStream(cfg, flow.flowId(), writesAtCut, b -> flow.write(b, 0, b.length));
                stream.header(VERSION);
                flow.markHeaderWritten();
                if (!stream.body(() -> run.cancelled, flow::markFullSyncEndWritten)) {
                    return;
                }
                fullSyncEnded(stream);
                long offset = stableOffset.get();
                if (offset < 0) {
                    return;
                }
                stream.stableCut(offset, flow.token());
                flow.markStableCutWritten();
                journal();
            } catch (UncheckedIOException e) {
                // the connection closed: the session is being cancelled
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            } finally {
                flow.markHeaderWritten();
                flow.markStableCutWritten();
            }
        }

        private void fullSyncEnded(SnapshotStream stream) {
            synchronized (stats) {
                stats.add("snapshot_entries." + run.number, stream.entries());
                stats.add("snapshot_bytes." + run.number, stream.wireBytes());
                stats.add("compressed_blobs." + run.number, stream.compressedBlobs());
                stats.add("fullsync_end_flows." + run.number, 1);
                stats.put("fullsync_end_ms." + run.number, System.currentTimeMillis());
                if (run.number == 1) {
                    stats.add("snapshot_entries", stream.entries());
                    stats.add("snapshot_bytes", stream.wireBytes());
                    stats.add("compressed_blobs", stream.compressedBlobs());
                    stats.add("fullsync_end_flows", 1);
                    stats.put("fullsync_end_ms", System.currentTimeMillis());
                }
            }
        }

        /** The stable journal: entries in batches (the master's streamer writes ≥ 1500 B or when idle). */
        private void journal() throws InterruptedException {
            List<Object> batch = new ArrayList<>();
            RdbWriter out = new RdbWriter(64 * 1024);
            boolean first = true;
            long lastLsnRecord = System.nanoTime();
            while (true) {
                batch.clear();
                batch.add(queue.take());
                queue.drainTo(batch, 4096);
                out.reset();
                for (Object o : batch) {
                    if (o == POISON) {
                        return;
                    }
                    Entry e = (Entry) o;
                    out.bytes(e.bytes());
                    long now = System.nanoTime();
                    if (first || now - lastLsnRecord >= LSN_RECORD_NANOS) {
                        JournalEncoder.lsn(out, e.lsn());
                        lastLsnRecord = now;
                        first = false;
                    }
                }
                flow.write(out.buffer(), 0, out.size());
            }
        }
    }
}
