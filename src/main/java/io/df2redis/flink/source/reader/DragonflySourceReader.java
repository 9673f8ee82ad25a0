package io.df2redis.flink.source.reader;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.flow.FlowConnection;
import io.df2redis.dragonfly.flow.FlowLostException;
import io.df2redis.dragonfly.flow.SpillLimitExceededException;
import io.df2redis.dragonfly.session.SyncKind;
import io.df2redis.dragonfly.stream.FlowStreamParser;
import io.df2redis.dragonfly.stream.ParserConfig;
import io.df2redis.dragonfly.stream.StreamFormatException;
import io.df2redis.flink.job.Df2RedisOptions;
import io.df2redis.flink.record.ReplicationRecord;
import io.df2redis.flink.source.DragonflySourceConfig;
import io.df2redis.flink.source.event.SessionEvents;
import io.df2redis.flink.source.split.FlowSplit;
import io.df2redis.flink.job.SkipReporter;
import io.df2redis.flink.job.TranslateSettings;
import io.df2redis.redis.Slots;
import io.df2redis.translate.JournalSplitter;
import io.df2redis.translate.SlotCommand;
import io.df2redis.translate.TranslateConfig;
import io.df2redis.translate.TranslationCounters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one or more flows (DESIGN §3). Each flow is drained continuously by its connection's own
 * thread into memory and spill files; this reader parses behind it on the mailbox thread and emits
 * records in stream order. It never stops reading a flow: at a global command it only stops
 * <em>emitting</em> that flow's records until the enumerator releases it.
 */
public final class DragonflySourceReader implements SourceReader<ReplicationRecord, FlowSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(DragonflySourceReader.class);
    /** Per journal entry at TRACE (never on by default): what a chaos test's failure is traced with. */
    private static final Logger TRACE = LoggerFactory.getLogger(DragonflySourceReader.class.getName() + ".trace");
    /** Records emitted per pollNext call, so the mailbox stays responsive to barriers and events. */
    private static final int EMIT_BUDGET = 4096;
    private static final int READ_CHUNK = 64 * 1024;

    private final SourceReaderContext ctx;
    private final DragonflySourceConfig config;
    private final TranslateConfig translateConfig;
    private final TranslationCounters translationCounters = new TranslationCounters();
    private final SkipReporter skips;
    private final WriterAddresses writers;
    private final ReaderMetrics metrics;
    private final Map<Integer, FlowReader> flows = new TreeMap<>();
    private final ConcurrentLinkedQueue<Runnable> completions = new ConcurrentLinkedQueue<>();
    /** Per checkpoint: epoch and the emitted next LSN of each stable flow. */
    private final TreeMap<Long, AckPoint> lsnAtCheckpoint = new TreeMap<>();

    private record AckPoint(int epoch, Map<Integer, Long> nextLsn) {}
    private final byte[] readBuffer = new byte[READ_CHUNK];
    private final ExecutorService opener;
    private CompletableFuture<Void> wakeUp = new CompletableFuture<>();
    private int epoch;
    private SessionEvents.OpenFlows openFlows;
    /** An epoch reset is due before this reader's next records (the epoch is, or turned out to be, a full sync). */
    private boolean pendingReset;
    /** The last epoch whose reset this reader emitted (one per epoch, before any of its records). */
    private int resetEmittedFor;
    private boolean finished;
    private boolean started;
    /** filter.* and map.key-prefix on snapshot entries; a connection for keys moved into the filtered set. */
    private final io.df2redis.translate.SnapshotFilter snapshotFilter;
    private final MasterReads masterReads;
    private final byte[] takeoverKey;

    public DragonflySourceReader(SourceReaderContext ctx, DragonflySourceConfig config) {
        this.ctx = ctx;
        this.config = config;
        this.translateConfig = TranslateSettings.translateConfig(config.settings());
        this.skips = new SkipReporter("reader " + ctx.getIndexOfSubtask());
        this.snapshotFilter = new io.df2redis.translate.SnapshotFilter(translateConfig.filter(), translationCounters);
        this.masterReads = new MasterReads(config.endpoint(), config.connectConfig());
        this.takeoverKey = io.df2redis.translate.TakeoverRequest.key(translateConfig.internalKeyPrefix());
        this.writers = new WriterAddresses(config.writerParallelism(), config.maxParallelism());
        this.metrics = new ReaderMetrics(ctx.metricGroup(), translationCounters);
        this.opener = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "df2redis-flow-opener-" + ctx.getIndexOfSubtask());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Flink adds restored splits before it registers the reader with the enumerator, and the
     * enumerator only takes reports from registered readers: report from here, after registration.
     */
    @Override
    public void start() {
        started = true;
        if (!flows.isEmpty()) {
            reportPositions();
        }
    }

    @Override
    public void addSplits(List<FlowSplit> splits) {
        for (FlowSplit s : splits) {
            FlowReader f = new FlowReader(s);
            f.splitter = new JournalSplitter(translateConfig, s.flow(), config.numFlows(), translationCounters, skips, masterReads);
            f.batches = new SnapshotBatches(writers);
            flows.put(s.flow(), f);
            epoch = Math.max(epoch, s.epoch());
            metrics.register(flows.get(s.flow()));
        }
        LOG.info("reader {} owns flows {} (epoch {})", ctx.getIndexOfSubtask(), flows.keySet(), epoch);
        if (started) {
            reportPositions();
        }
    }

    @Override
    public void notifyNoMoreSplits() {}

    private void reportPositions() {
        List<SessionEvents.FlowPosition> list = new ArrayList<>();
        for (FlowReader f : flows.values()) {
            list.add(f.position());
        }
        ctx.sendSourceEventToCoordinator(new SessionEvents.FlowsReported(epoch, list));
    }

    // ------------------------------------------------------------------ enumerator events

    @Override
    public void handleSourceEvents(SourceEvent sourceEvent) {
        if (!(sourceEvent instanceof SessionEvents.Event event)) {
            return;
        }
        if (event instanceof SessionEvents.OpenFlows o) {
            if (o.epoch() <= epoch && openFlows != null && openFlows.epoch() >= o.epoch()) {
                return;
            }
            startEpoch(o);
        } else if (event instanceof SessionEvents.CloseEpoch c) {
            if (c.epoch() < epoch) {
                return;
            }
            LOG.info("reader {}: closing epoch {} ({})", ctx.getIndexOfSubtask(), c.epoch(), c.reason());
            for (FlowReader f : flows.values()) {
                // The epoch may close because another flow saw the session end that this flow's full
                // spill caused: that must fail the job here, not vanish into a new epoch.
                if (f.connection != null && f.connection.failure() instanceof SpillLimitExceededException full) {
                    throw cannotGoOn(f, spillLimitReached(full));
                }
                f.closeConnection();
            }
            epoch = Math.max(epoch, c.epoch());
            openFlows = null;
            reportPositions();
        } else if (event instanceof SessionEvents.ResumeAfterGlobal r) {
            if (r.epoch() != epoch) {
                return;
            }
            for (FlowReader f : flows.values()) {
                if (f.state == FlowReader.State.HELD && f.held != null && f.held.txid() == r.txid()) {
                    f.releaseHeld = true;
                }
            }
            wake();
        } else if (event instanceof SessionEvents.FinishSnapshot fin) {
            if (fin.epoch() != epoch) {
                return;
            }
            for (FlowReader f : flows.values()) {
                f.closeConnection();
                f.state = FlowReader.State.DONE;
                f.phase = FlowSplit.Phase.DONE;
            }
            finished = true;
            LOG.info("reader {}: the source's data is complete (epoch {}), ending input", ctx.getIndexOfSubtask(), fin.epoch());
            wake();
        }
    }

    private void startEpoch(SessionEvents.OpenFlows o) {
        epoch = o.epoch();
        openFlows = o;
        masterReads.master(config.endpoint().withAddress(o.masterHost(), o.masterPort()));
        pendingReset = o.resetWriters();
        for (FlowReader f : flows.values()) {
            f.closeConnection();
            f.epoch = o.epoch();
            f.masterId = o.masterId();
            Long lsn = o.resumeLsn().get(f.flow);
            f.state = FlowReader.State.OPENING;
            OptionalLong ask = lsn == null ? OptionalLong.empty() : OptionalLong.of(lsn);
            int e = o.epoch();
            opener.execute(() -> open(e, f, o, ask));
        }
        wake();
    }

    /** Runs on the opener thread: the blocking connect + DFLY FLOW. */
    private void open(int e, FlowReader f, SessionEvents.OpenFlows o, OptionalLong lsn) {
        try {
            FlowConnection c = FlowConnection.open(config.endpoint().withAddress(o.masterHost(), o.masterPort()),
                    config.connectConfig(), config.flowConfig(), o.masterId(), o.syncId(), f.flow, lsn, o.lastMasterId(),
                    o.lastMasterId() == null ? null : o.lsnVector(), (flow, cause) -> wake());
            completions.add(() -> onOpened(e, f, c));
        } catch (Exception ex) {
            completions.add(() -> onOpenFailed(e, f, ex));
        }
        wake();
    }

    private void onOpened(int e, FlowReader f, FlowConnection c) {
        if (e != epoch || f.state != FlowReader.State.OPENING) {
            c.close();
            return;
        }
        f.connection = c;
        ParserConfig pc = ParserConfig.defaults().withMaxHeldValueBytes(config.maxValueBytes());
        if (c.kind() == SyncKind.FULL) {
            if (resetEmittedFor < e && !pendingReset) {
                // Asked to resume, answered FULL: the snapshot to come lacks what was deleted on the
                // master meanwhile, so the writers must reset before this flow's first record.
                LOG.info("flow {}: the master answered FULL to the resume request (epoch {}): writers reset first", f.flow, e);
                pendingReset = true;
            }
            f.phase = FlowSplit.Phase.FULL_SYNC;
            f.nextLsn = -1;
            f.lastGlobalTxid = -1; // a new master's txids may start low again
            f.parser = FlowStreamParser.fullSync(f.flow, c.eofToken(), pc, f.pending::addLast);
        } else {
            f.phase = FlowSplit.Phase.STABLE;
            f.nextLsn = c.requestedLsn().orElseThrow();
            f.parser = FlowStreamParser.partial(f.flow, f.nextLsn, pc, f.pending::addLast);
        }
        f.seq = 0;
        f.resetProgress();
        f.state = FlowReader.State.STREAMING;
        ctx.sendSourceEventToCoordinator(new SessionEvents.FlowOpened(e, f.flow, c.kind() == SyncKind.PARTIAL));
    }

    private void onOpenFailed(int e, FlowReader f, Exception ex) {
        if (e != epoch || f.state != FlowReader.State.OPENING) {
            return;
        }
        f.state = FlowReader.State.FAILED;
        LOG.warn("flow {}: DFLY FLOW failed in epoch {}: {}", f.flow, e, ex.toString());
        ctx.sendSourceEventToCoordinator(new SessionEvents.FlowFailed(e, f.flow, "open failed: " + ex, false));
    }

    // ------------------------------------------------------------------ the main loop

    @Override
    public InputStatus pollNext(ReaderOutput<ReplicationRecord> output) throws Exception {
        Runnable r;
        while ((r = completions.poll()) != null) {
            r.run();
        }
        if (finished) {
            return InputStatus.END_OF_INPUT;
        }
        if (pendingReset && openFlows != null && !flows.isEmpty()) {
            pendingReset = false;
            resetEmittedFor = epoch;
            int first = flows.keySet().iterator().next();
            for (int w = 0; w < writers.count(); w++) {
                output.collect(ReplicationRecord.epochReset(epoch, first, writers.slotOf(w), config.numFlows(), openFlows.clearTarget()));
            }
        }
        reportProgressEvery(PROGRESS_INTERVAL_NANOS);
        int budget = EMIT_BUDGET;
        boolean progress = false;
        for (FlowReader f : flows.values()) {
            int used = pump(f, output, budget);
            f.batches.flush(f, output); // nothing gathered outlives a poll: a checkpoint may follow
            progress |= used > 0;
            budget -= used;
            if (budget <= 0) {
                return InputStatus.MORE_AVAILABLE;
            }
        }
        return progress ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
    }

    /** {@code SET <internal prefix>cutover:takeover <token> …}: the key {@code --mode cutover --cutover.takeover} writes. */
    private boolean isTakeoverRequest(FlowEvent.JournalCommand c) {
        List<byte[]> a = c.args();
        return a.size() >= 3 && a.get(0).length == 3 && new String(a.get(0), java.nio.charset.StandardCharsets.US_ASCII).equalsIgnoreCase("SET")
                && java.util.Arrays.equals(a.get(1), takeoverKey);
    }

    /** How often flows' progress goes to the enumerator while data flows (its log line is every 10 s). */
    private static final long PROGRESS_INTERVAL_NANOS = 5_000_000_000L;
    /** In stable sync, how long the reader lets journal bytes gather after the first arrived before it wakes. */
    private static final long STABLE_COALESCE_NANOS = 1_000_000L;
    private long progressSentNanos = System.nanoTime();
    private CompletableFuture<Void> progressTick;

    private void reportProgressEvery(long intervalNanos) {
        long now = System.nanoTime();
        if (now - progressSentNanos < intervalNanos) {
            return;
        }
        progressSentNanos = now;
        for (FlowReader f : flows.values()) {
            if (f.state == FlowReader.State.STREAMING || f.state == FlowReader.State.HELD || f.state == FlowReader.State.DRAINING) {
                ctx.sendSourceEventToCoordinator(new SessionEvents.FlowProgress(f.epoch, f.flow, f.phase, f.snapshotKeys,
                        f.bytesParsed, f.journalCommands, f.connection == null ? 0 : f.connection.counters().spillBytesOnDisk(),
                        f.state == FlowReader.State.HELD));
            }
        }
    }

    /** Emits what the flow has parsed, parsing more when it runs dry. Returns the work done. */
    private int pump(FlowReader f, ReaderOutput<ReplicationRecord> out, int budget) throws Exception {
        int work = 0;
        if (f.state == FlowReader.State.HELD) {
            if (!f.releaseHeld) {
                return 0;
            }
            releaseGlobal(f, out);
            work++;
        }
        while (work < budget && (f.state == FlowReader.State.STREAMING || f.state == FlowReader.State.DRAINING)) {
            FlowEvent e = f.pending.pollFirst();
            if (e != null) {
                emit(f, e, out);
                work++;
                continue;
            }
            int n;
            try {
                n = f.connection.poll(readBuffer, 0, readBuffer.length);
            } catch (SpillLimitExceededException full) {
                throw cannotGoOn(f, spillLimitReached(full));
            } catch (FlowLostException lost) {
                flowFailed(f, lost.getMessage(), false);
                return work + 1;
            }
            if (n <= 0) {
                return work;
            }
            metrics.bytes(f, n);
            f.bytesParsed += n;
            try {
                f.parser.feed(readBuffer, 0, n);
            } catch (StreamFormatException bad) {
                // Bytes this parser cannot read (a corrupt stream, a type or opcode it does not know):
                // the same bytes would come again after a restart, and during a full sync each restart
                // would clear the target and sync up to the same place. Fail the job, without restarts,
                // with the parser's message (flow, offset, key); resume from the retained checkpoint.
                throw cannotGoOn(f, new IllegalStateException(
                        "flow " + f.flow + " (epoch " + f.epoch + "): " + bad.getMessage(), bad));
            }
            work++;
        }
        return work;
    }

    private void emit(FlowReader f, FlowEvent e, ReaderOutput<ReplicationRecord> out) {
        if (f.state == FlowReader.State.DRAINING) {
            return; // snapshot mode: the stable journal is not wanted
        }
        if (e instanceof FlowEvent.SnapshotObject o0) {
            FlowEvent.SnapshotObject o = snapshotFilter.admit(o0);
            if (o == null) {
                return;
            }
            f.batches.add(f, f.seq++, o, out);
            metrics.entry(f);
            f.snapshotKeys++;
            return;
        }
        // Anything else of this flow goes out after what was gathered before it.
        f.batches.flush(f, out);
        if (e instanceof FlowEvent.ObjectPart p0) {
            FlowEvent.ObjectPart p = snapshotFilter.admit(p0);
            if (p == null) {
                return;
            }
            out.collect(ReplicationRecord.data(f.epoch, f.flow, f.seq++, Slots.slot(p.key()), p));
            metrics.entry(f);
            if (p.index() == 0) {
                f.snapshotKeys++;
            }
        } else if (e instanceof FlowEvent.JournalCommand c) {
            if (isTakeoverRequest(c)) {
                // The cut-over's request, not data: the enumerator takes over; the key is not copied.
                ctx.sendSourceEventToCoordinator(new SessionEvents.TakeoverRequested(f.epoch, f.flow,
                        new String(c.args().get(2), java.nio.charset.StandardCharsets.UTF_8)));
                advance(f, c.lsn());
                return;
            }
            long seq = c.lsn() >= 0 ? c.lsn() : f.seq++;
            if (TRACE.isTraceEnabled()) {
                TRACE.trace("flow {} epoch {}: LSN {} emitted: {} {}", f.flow, f.epoch, c.lsn(), name(c.args()),
                        c.args().size() > 1 ? new String(c.args().get(1), java.nio.charset.StandardCharsets.UTF_8) : "");
            }
            // Stray writes are dropped and multi-slot commands cut per slot, before the shuffle.
            for (SlotCommand unit : f.splitter.split(c)) {
                FlowEvent.JournalCommand piece = unit.args() == c.args() && unit.db() == c.db()
                        ? c : new FlowEvent.JournalCommand(unit.db(), c.txid(), c.lsn(), c.opcode(), unit.args());
                out.collect(ReplicationRecord.journal(f.epoch, f.flow, seq, unit.slot(), unit.key(), piece));
            }
            advance(f, c.lsn());
            metrics.journal(f);
            f.journalCommands++;
        } else if (e instanceof FlowEvent.GlobalCommand g) {
            if (g.inFullSync()) {
                flowFailed(f, "global command " + name(g.args()) + " inside the full sync: the static data still to come predates it", true);
                return;
            }
            f.state = FlowReader.State.HELD;
            f.held = g;
            f.releaseHeld = false;
            ctx.sendSourceEventToCoordinator(new SessionEvents.GlobalCommandReached(f.epoch, f.flow, g.txid(), g.lsn()));
        } else if (e instanceof FlowEvent.Ping p) {
            advance(f, p.lsn());
            if (f.connection != null) {
                f.connection.ackNow();
            }
        } else if (e instanceof FlowEvent.Exec x) {
            advance(f, x.lsn());
        } else if (e instanceof FlowEvent.StaticDataEnd) {
            ctx.sendSourceEventToCoordinator(new SessionEvents.StaticDataEnded(f.epoch, f.flow));
        } else if (e instanceof FlowEvent.StableCut c) {
            f.phase = FlowSplit.Phase.STABLE;
            f.nextLsn = c.journalOffset();
            reportProgressEvery(0); // the snapshot's final counts reach the enumerator before the cut
            ctx.sendSourceEventToCoordinator(new SessionEvents.StableCutReached(f.epoch, f.flow, c.journalOffset()));
            if (config.mode() == Df2RedisOptions.Mode.SNAPSHOT) {
                f.state = FlowReader.State.DRAINING;
                f.pending.clear();
            }
        }
        // AuxField: nothing to apply.
    }

    private void releaseGlobal(FlowReader f, ReaderOutput<ReplicationRecord> out) {
        FlowEvent.GlobalCommand g = f.held;
        for (int w = 0; w < writers.count(); w++) {
            out.collect(ReplicationRecord.global(f.epoch, f.flow, g.lsn(), writers.slotOf(w), g, config.numFlows()));
        }
        advance(f, g.lsn());
        f.lastGlobalTxid = g.txid();
        f.held = null;
        f.releaseHeld = false;
        f.state = FlowReader.State.STREAMING;
    }

    private static void advance(FlowReader f, long lsn) {
        if (lsn >= 0) {
            f.nextLsn = lsn + 1;
        }
    }

    /**
     * Not a network accident: a restart or a new session would spill just as much (and a full resync
     * would clear the target each time). The job fails without restarts, naming the setting; the
     * retained checkpoint lets the operator resume once it is raised.
     */
    private static IllegalStateException spillLimitReached(SpillLimitExceededException full) {
        return new IllegalStateException(full.getMessage()
                + "; raise flow.spill.max-bytes (or give flow.spill.dir more room, or the target more"
                + " throughput) and resume from the last retained checkpoint (flink run -s)", full);
    }

    /**
     * An error a restart would meet again: tells the enumerator (which fails the job as well, see
     * {@link SessionEvents.CannotGoOn}) and returns the exception that fails this task without restarts.
     */
    private SuppressRestartsException cannotGoOn(FlowReader f, IllegalStateException error) {
        LOG.error("flow {} (epoch {}): the job ends, a restart would meet this again: {}", f.flow, f.epoch, error.getMessage());
        ctx.sendSourceEventToCoordinator(new SessionEvents.CannotGoOn(f.epoch, f.flow, error.getMessage()));
        return new SuppressRestartsException(error);
    }

    private void flowFailed(FlowReader f, String cause, boolean needsFullSync) {
        if (f.state == FlowReader.State.FAILED) {
            return;
        }
        f.state = FlowReader.State.FAILED;
        if (f.connection != null) {
            f.connection.close();
        }
        f.pending.clear();
        LOG.warn("flow {} failed in epoch {}: {}", f.flow, f.epoch, cause);
        ctx.sendSourceEventToCoordinator(new SessionEvents.FlowFailed(f.epoch, f.flow, cause, needsFullSync));
    }

    private static String name(List<byte[]> args) {
        return args.isEmpty() ? "?" : new String(args.get(0), java.nio.charset.StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ availability

    @Override
    public CompletableFuture<Void> isAvailable() {
        synchronized (this) {
            if (wakeUp.isDone()) {
                wakeUp = new CompletableFuture<>();
            }
        }
        if (!completions.isEmpty() || finished) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> sources = new ArrayList<>();
        for (FlowReader f : flows.values()) {
            if (f.connection != null && (f.state == FlowReader.State.STREAMING || f.state == FlowReader.State.DRAINING)) {
                if (!f.pending.isEmpty()) {
                    return CompletableFuture.completedFuture(null);
                }
                CompletableFuture<Void> a = f.connection.available();
                if (f.phase == FlowSplit.Phase.STABLE && !a.isDone()) {
                    // A trickle of journal bytes would wake the task for every packet; wait a moment after
                    // the first for more (the writer batches as well, and the shuffle's buffers wait longer).
                    a = a.thenCompose(x -> CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(STABLE_COALESCE_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS, Runnable::run)));
                }
                sources.add(a);
            }
            if (f.state == FlowReader.State.HELD && f.releaseHeld) {
                return CompletableFuture.completedFuture(null);
            }
        }
        CompletableFuture<Void> w;
        synchronized (this) {
            w = wakeUp;
            if (progressTick == null || progressTick.isDone()) {
                // Idle (e.g. held at a global command) the reader still reports its flows' progress.
                progressTick = CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(PROGRESS_INTERVAL_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS));
            }
            sources.add(progressTick);
        }
        sources.add(w);
        return CompletableFuture.anyOf(sources.toArray(new CompletableFuture[0])).thenApply(x -> null);
    }

    private void wake() {
        CompletableFuture<Void> w;
        synchronized (this) {
            w = wakeUp;
        }
        w.complete(null);
    }

    // ------------------------------------------------------------------ checkpoints and ACKs

    @Override
    public List<FlowSplit> snapshotState(long checkpointId) {
        List<FlowSplit> splits = new ArrayList<>();
        Map<Integer, Long> stable = new HashMap<>();
        for (FlowReader f : flows.values()) {
            splits.add(f.toSplit());
            if (f.phase == FlowSplit.Phase.STABLE && f.nextLsn > 0) {
                stable.put(f.flow, f.nextLsn);
            }
        }
        lsnAtCheckpoint.put(checkpointId, new AckPoint(epoch, stable));
        return splits;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        Map.Entry<Long, AckPoint> done = lsnAtCheckpoint.floorEntry(checkpointId);
        if (done == null) {
            return;
        }
        lsnAtCheckpoint.headMap(checkpointId, true).clear();
        for (Map.Entry<Integer, Long> e : done.getValue().nextLsn().entrySet()) {
            FlowReader f = flows.get(e.getKey());
            // A position from an older epoch is still a valid LSN of the same master when the new
            // epoch resumed, but never ACK ahead of what the flow's current session emitted.
            if (f != null && f.connection != null && f.phase == FlowSplit.Phase.STABLE && e.getValue() <= f.nextLsn) {
                // Everything before this checkpoint's barrier is in Redis: the master may count it.
                f.connection.ackLsn(e.getValue());
                ctx.sendSourceEventToCoordinator(new SessionEvents.FlowAcked(f.epoch, f.flow, e.getValue()));
            }
        }
    }

    @Override
    public void close() {
        for (FlowReader f : flows.values()) {
            f.closeConnection();
        }
        masterReads.close();
        opener.shutdownNow();
    }
}
