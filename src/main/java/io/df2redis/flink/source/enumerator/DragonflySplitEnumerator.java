package io.df2redis.flink.source.enumerator;

import io.df2redis.dragonfly.session.ResumePoint;
import io.df2redis.dragonfly.session.SessionController;
import io.df2redis.dragonfly.session.SessionInfo;
import io.df2redis.dragonfly.session.SyncAction;
import io.df2redis.dragonfly.session.SyncCoordinator;
import io.df2redis.dragonfly.session.SyncKind;
import io.df2redis.flink.job.Df2RedisOptions;
import io.df2redis.flink.source.DragonflySourceConfig;
import io.df2redis.flink.source.event.SessionEvents;
import io.df2redis.flink.source.event.SessionEvents.FlowPosition;
import io.df2redis.flink.source.split.FlowSplit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session controller of the job (DESIGN §3): holds the master's main connection, runs the
 * handshake of every epoch, sends {@code DFLY SYNC} and {@code DFLY STARTSTABLE} when the flows
 * (owned by the readers) say it is time, and starts a new epoch whenever a flow is lost. All
 * blocking I/O runs in {@code callAsync}; the state below is touched only by the coordinator thread.
 */
public final class DragonflySplitEnumerator implements SplitEnumerator<FlowSplit, EnumeratorState>,
        org.apache.flink.api.connector.source.SupportsHandleExecutionAttemptSourceEvent {
    private static final Logger LOG = LoggerFactory.getLogger(DragonflySplitEnumerator.class);

    private final SplitEnumeratorContext<FlowSplit> ctx;
    private final DragonflySourceConfig config;
    private final int numFlows;
    private final Set<Integer> unassigned;
    private final EnumeratorMetrics metrics;
    private final ProgressLog progress;
    static final long PROGRESS_INTERVAL_MS = 10_000;

    /** Last epoch started. */
    private int epoch;
    /** A full sync has been started in this job before (a later one is a resync, in the logs). */
    private boolean fullSyncStarted;
    /** Latest position of every flow, as its reader reported it. */
    private final Map<Integer, FlowPosition> positions = new HashMap<>();
    /**
     * Flows whose position was reported since the last epoch closed: the next epoch waits for all
     * of them. A reader restarted by a regional failover may register only after the epoch closed
     * (it is not among the readers the close waits for), and its flow's older position (NEW, in a
     * first epoch) must not plan a full sync meanwhile.
     */
    private final Set<Integer> reportedSinceClose = new HashSet<>();
    /** Per reader: reports older than this epoch predate the last CloseEpoch and are ignored. */
    private final Map<Integer, Integer> minReportEpoch = new HashMap<>();
    /** Readers whose positions the next epoch still waits for (after a close, or a (re)start). */
    private final Set<Integer> awaitingReport = new HashSet<>();
    /** The last epoch's main connection is still being closed. */
    private boolean closingSession;
    /** The running epoch, or null between epochs. */
    private Epoch current;
    /** Waiting for readers to report positions before the next epoch. */
    private boolean epochPending = true;
    private boolean forceFullSync;
    private int consecutiveFailures;
    private boolean finished;
    /** The positions the epoch being opened was planned from. */
    private Map<Integer, FlowPosition> positionsAtPlan = Map.of();
    /** A DFLY TAKEOVER runs: no new session is opened meanwhile (the master stops or refuses). */
    private boolean takeoverRunning;

    /** One epoch's session and what its flows reported. */
    private static final class Epoch {
        final int id;
        final SessionController controller;
        final SessionInfo info;
        final boolean fullSync;
        final Set<Integer> pendingStaticEnds = new HashSet<>();
        final Set<Integer> stableCuts = new HashSet<>();
        final Map<Long, Set<Integer>> globals = new HashMap<>();
        /**
         * The flows' positions this epoch was planned from: whether a flow is past a global command
         * is judged on them, never on a report that arrives during the epoch.
         */
        Map<Integer, FlowPosition> startPositions = Map.of();
        boolean syncDone;
        /** A flow asked to resume was answered FULL (logged once). */
        boolean answeredFull;
        /** Set on the coordinator thread, read by queued I/O: a closed epoch sends nothing more. */
        volatile boolean closing;

        Epoch(int id, SessionController controller, SessionInfo info, boolean fullSync) {
            this.id = id;
            this.controller = controller;
            this.info = info;
            this.fullSync = fullSync;
        }

        SyncCoordinator coordinator() {
            return controller.coordinator();
        }
    }

    public DragonflySplitEnumerator(
            SplitEnumeratorContext<FlowSplit> ctx, DragonflySourceConfig config, EnumeratorState restored) {
        this.ctx = ctx;
        this.config = config;
        this.numFlows = config.numFlows();
        if (restored != null) {
            if (restored.numFlows() != 0 && restored.numFlows() != numFlows) {
                throw new SuppressRestartsException(new IllegalStateException("the savepoint was taken with " + restored.numFlows()
                        + " flows but the job is built for " + numFlows + " (the master's shard count changed?)"));
            }
            this.epoch = restored.epoch();
            this.fullSyncStarted = restored.targetPrepared();
            this.unassigned = new TreeSet<>(restored.unassignedFlows());
        } else {
            this.unassigned = new TreeSet<>();
            for (int f = 0; f < numFlows; f++) {
                unassigned.add(f);
            }
        }
        this.metrics = new EnumeratorMetrics(ctx.metricGroup(), numFlows);
        this.progress = new ProgressLog(numFlows);
    }

    @Override
    public void start() {
        LOG.info("Dragonfly source for {}: {} flows, mode {}, last epoch {}", config.endpoint(), numFlows, config.mode(), epoch);
        ctx.callAsync(this::readOffsets, this::onOffsets, 5_000, 5_000);
        ctx.callAsync(() -> null, (nothing, err) -> logProgress(), PROGRESS_INTERVAL_MS, PROGRESS_INTERVAL_MS);
    }

    /**
     * The cut-over asked for a takeover: issue {@code DFLY TAKEOVER} on the session's main connection;
     * the master waits for this job's ACKs (at its next checkpoints) up to {@code
     * cutover.catch-up-timeout}, then hands over and shuts down, and the job ends.
     */
    private void onTakeoverRequested(Epoch e, SessionEvents.TakeoverRequested t) {
        if (takeoverRunning) {
            return;
        }
        if (e.fullSync && e.stableCuts.size() < numFlows) {
            LOG.warn("epoch {}: the cut-over asked for DFLY TAKEOVER (request {}) before every flow reached stable sync;"
                    + " ignored, run the cut-over again", e.id, t.token());
            return;
        }
        takeoverRunning = true;
        java.time.Duration timeout = config.settings().get(Df2RedisOptions.CUTOVER_CATCH_UP_TIMEOUT);
        LOG.info("epoch {}: the cut-over asked for DFLY TAKEOVER (request {}); the master waits up to {} s for this job's ACKs",
                e.id, t.token(), timeout.toSeconds());
        ctx.callAsync(() -> {
            e.controller.takeover(timeout);
            return null;
        }, (ok, err) -> onTakeoverDone(e, err));
    }

    private void onTakeoverDone(Epoch e, Throwable err) {
        takeoverRunning = false;
        if (err != null) {
            LOG.warn("epoch {}: DFLY TAKEOVER failed ({}); replication goes on", e.id, err.getMessage());
            maybeStartEpoch();
            return;
        }
        LOG.info("epoch {}: the master handed over to this job and shut down: everything it wrote is in the target; the job ends",
                e.id);
        finished = true;
        broadcast(new SessionEvents.FinishSnapshot(e.id));
        if (current == e) {
            current = null;
        }
    }

    /** One line every 10 s while an epoch runs (nothing per record). */
    private void logProgress() {
        if (current == null || current.closing || finished) {
            return;
        }
        String line = progress.line(System.currentTimeMillis());
        if (line != null) {
            // A global command some flows wait at (held until every flow reached it) is worth seeing.
            StringBuilder waiting = new StringBuilder();
            for (Map.Entry<Long, Set<Integer>> g : new java.util.TreeMap<>(current.globals).entrySet()) {
                waiting.append("; global command txid ").append(g.getKey()).append(" reached by flows ")
                        .append(new java.util.TreeSet<>(g.getValue())).append(", waiting for the others");
            }
            LOG.info(line + waiting);
        }
    }

    // ------------------------------------------------------------------ splits

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed when readers register; nothing is pulled.
    }

    @Override
    public void addSplitsBack(List<FlowSplit> splits, int subtaskId) {
        for (FlowSplit s : splits) {
            unassigned.add(s.flow());
            positions.put(s.flow(), new FlowPosition(s.flow(), s.phase(), s.nextLsn(), s.masterId(), s.lastGlobalTxid()));
        }
        // The subtask's attempt failed: what it reported before (its live positions, ahead of the
        // checkpoint it restarts from) must not plan the next epoch; wait for the new attempt's report.
        int parallelism = ctx.currentParallelism();
        reportedSinceClose.removeIf(f -> f % parallelism == subtaskId && !splits.stream().anyMatch(s -> s.flow() == f));
        if (subtaskId < numFlows) {
            awaitingReport.add(subtaskId);
        }
        LOG.info("flows {} came back from failed reader {}", splits.stream().map(FlowSplit::flow).toList(), subtaskId);
    }

    @Override
    public void addReader(int subtaskId) {
        if (current != null && !current.closing) {
            // A reader came back (task failover): its flows are gone, and with them the session.
            closeEpoch("reader " + subtaskId + " (re)registered during epoch " + current.id, false);
        }
        // A (re)started reader reports the positions it restored, whatever their epoch.
        minReportEpoch.put(subtaskId, 0);
        if (subtaskId < numFlows) {
            awaitingReport.add(subtaskId); // readers past the flow count own no flow and never report
        }
        assignSplits(subtaskId);
    }

    private void assignSplits(int subtaskId) {
        int parallelism = ctx.currentParallelism();
        List<FlowSplit> mine = new ArrayList<>();
        for (int flow : new ArrayList<>(unassigned)) {
            if (flow % parallelism == subtaskId) {
                FlowPosition p = positions.get(flow);
                mine.add(p == null ? FlowSplit.fresh(flow)
                        : new FlowSplit(flow, epoch, p.phase(), p.nextLsn(), p.masterId(), p.lastGlobalTxid()));
                unassigned.remove(flow);
            }
        }
        if (!mine.isEmpty()) {
            ctx.assignSplits(new SplitsAssignment<>(Map.of(subtaskId, mine)));
            LOG.info("flows {} assigned to reader {}", mine.stream().map(FlowSplit::flow).toList(), subtaskId);
        }
    }

    // ------------------------------------------------------------------ events from readers

    /**
     * Events of a reader attempt that has failed are dropped: queued before the failure, they can
     * reach the coordinator after the restarted reader registered and reported its restored
     * positions, and a live position of the dead attempt (e.g. past a global command the restored
     * flow will meet again) would release a barrier too early, leaving the flow held for ever.
     */
    @Override
    public void handleSourceEvent(int subtaskId, int attemptNumber, SourceEvent sourceEvent) {
        Map<Integer, org.apache.flink.api.connector.source.ReaderInfo> attempts = ctx.registeredReadersOfAttempts().get(subtaskId);
        if (attempts == null || !attempts.containsKey(attemptNumber)) {
            LOG.info("ignored {} from reader {} attempt {}: that attempt is gone", sourceEvent.getClass().getSimpleName(), subtaskId,
                    attemptNumber);
            return;
        }
        handleSourceEvent(subtaskId, sourceEvent);
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
        if (!(sourceEvent instanceof SessionEvents.Event event)) {
            LOG.warn("unknown source event {} from reader {}", sourceEvent, subtaskId);
            return;
        }
        if (event instanceof SessionEvents.FlowsReported r) {
            onFlowsReported(subtaskId, r);
            return;
        }
        if (event instanceof SessionEvents.FlowAcked a) {
            metrics.acked(a.flow(), a.ackedLsn());
            progress.acked(a.flow(), a.ackedLsn());
            metrics.unacknowledgedSince(a.flow(), progress.unacknowledgedSinceMs(a.flow()));
            return;
        }
        if (event instanceof SessionEvents.FlowProgress p) {
            progress.progress(p);
            return;
        }
        if (event instanceof SessionEvents.CannotGoOn fatal) {
            // Whatever epoch it came from: the job must end, not restart into the same error.
            throw new SuppressRestartsException(new IllegalStateException("reader " + subtaskId + ", flow " + fatal.flow()
                    + " (epoch " + fatal.epoch() + "): " + fatal.cause()));
        }
        if (current == null || event.epoch() != current.id || current.closing) {
            return; // an older epoch's news
        }
        if (event instanceof SessionEvents.TakeoverRequested t) {
            onTakeoverRequested(current, t);
            return;
        }
        if (event instanceof SessionEvents.FlowOpened o) {
            if (!o.partial() && !current.fullSync && !current.answeredFull) {
                // The resume was refused (the master's backlog no longer holds the LSN, or it restarted):
                // the reader resets its writers before the flow's records; a full resync follows.
                current.answeredFull = true;
                fullSyncStarted = true;
                LOG.warn("epoch {}: the master answered FULL to the resume of flow {} (its backlog no longer holds the"
                        + " LSN): full resync, writers {} first", current.id, o.flow(),
                        config.targetPolicy() != Df2RedisOptions.TargetPolicy.OVERWRITE ? "clear the target" : "keep the target (overwrite)");
            }
            act(current, current.coordinator().onFlowOpened(o.flow(), o.partial() ? SyncKind.PARTIAL : SyncKind.FULL));
        } else if (event instanceof SessionEvents.StaticDataEnded s) {
            if (!current.syncDone) {
                // The flow can finish its static data before DFLY SYNC's +OK has been read here.
                current.pendingStaticEnds.add(s.flow());
            } else {
                act(current, current.coordinator().onStaticDataEnded(s.flow()));
            }
        } else if (event instanceof SessionEvents.StableCutReached c) {
            current.stableCuts.add(c.flow());
            metrics.stableCut(c.flow(), c.journalOffset());
            if (current.stableCuts.size() == numFlows) {
                onAllStable(current);
            }
        } else if (event instanceof SessionEvents.GlobalCommandReached g) {
            Set<Integer> at = current.globals.computeIfAbsent(g.txid(), t -> new HashSet<>());
            at.add(g.flow());
            if (everyFlowAtOrPast(current, g.txid(), at)) {
                current.globals.remove(g.txid());
                LOG.info("epoch {}: every flow reached global command txid {}; releasing", current.id, g.txid());
                broadcast(new SessionEvents.ResumeAfterGlobal(current.id, g.txid()));
            }
        } else if (event instanceof SessionEvents.FlowFailed f) {
            LOG.warn("epoch {}: flow {} failed: {}", current.id, f.flow(), f.cause());
            if (f.needsFullSync()) {
                current.coordinator().onFullSyncInvalidated(f.flow(), f.cause());
            } else {
                current.coordinator().onFlowLost(f.flow(), f.cause());
            }
            closeEpoch("flow " + f.flow() + ": " + f.cause(), f.needsFullSync());
        }
    }

    /**
     * Every flow reached global command {@code txid} in this epoch, or had emitted past it before the
     * epoch began (its reader released it, then the job restored from a checkpoint taken between
     * that release and another flow's): such a flow will not meet the command again, and the
     * writers already have its copy, so the flows held at it must not wait for it.
     */
    private boolean everyFlowAtOrPast(Epoch e, long txid, Set<Integer> at) {
        for (int f = 0; f < numFlows; f++) {
            if (at.contains(f)) {
                continue;
            }
            FlowPosition p = e.startPositions.get(f);
            if (p == null || p.lastGlobalTxid() < txid || !e.info.masterId().equals(p.masterId())) {
                return false;
            }
        }
        return true;
    }

    private void onFlowsReported(int subtaskId, SessionEvents.FlowsReported r) {
        if (r.epoch() < minReportEpoch.getOrDefault(subtaskId, 0)) {
            return; // sent before the reader closed the last epoch: stale positions
        }
        for (FlowPosition p : r.flows()) {
            positions.put(p.flow(), p);
            reportedSinceClose.add(p.flow());
        }
        LOG.info("reader {} reports (epoch {}): {}", subtaskId, r.epoch(), r.flows().stream()
                .map(p -> "flow " + p.flow() + " " + p.phase() + " at LSN " + p.nextLsn() + (p.lastGlobalTxid() >= 0
                        ? ", past global txid " + p.lastGlobalTxid() : "")).toList());
        awaitingReport.remove(subtaskId);
        maybeStartEpoch();
    }

    private void maybeStartEpoch() {
        if (!epochPending || current != null || finished || takeoverRunning || closingSession || !awaitingReport.isEmpty()) {
            return;
        }
        for (int f = 0; f < numFlows; f++) {
            if (!reportedSinceClose.contains(f)) {
                return;
            }
        }
        epochPending = false;
        int next = ++epoch;
        positionsAtPlan = Map.copyOf(positions);
        ResumePoint resume = forceFullSync ? null : resumePoint();
        long backoffMs = consecutiveFailures == 0 ? 0 : Math.min(30_000, 500L << Math.min(consecutiveFailures - 1, 6));
        ctx.callAsync(() -> openSession(next, resume, backoffMs), (opened, error) -> onSessionOpened(next, opened, error));
    }

    /** Every flow stable on the same master: the previous session's LSNs may give PARTIAL. */
    private ResumePoint resumePoint() {
        String master = null;
        long[] lsn = new long[numFlows];
        for (int f = 0; f < numFlows; f++) {
            FlowPosition p = positions.get(f);
            if (p.phase() != FlowSplit.Phase.STABLE || p.nextLsn() <= 0 || p.masterId() == null) {
                if (p.phase() != FlowSplit.Phase.NEW) {
                    LOG.info("epoch {}: a full sync: flow {} has no stable position to resume from ({})", epoch, f, p.phase());
                }
                return null;
            }
            if (master != null && !master.equals(p.masterId())) {
                LOG.info("epoch {}: a full sync: the flows' positions belong to different masters", epoch);
                return null;
            }
            master = p.masterId();
            lsn[f] = p.nextLsn();
        }
        return new ResumePoint(master, lsn);
    }

    /** Keys on the master when a full sync starts ({@code INFO keyspace}), for the progress metric. */
    private long countMasterKeys(io.df2redis.dragonfly.session.DragonflyEndpoint master) {
        try (io.df2redis.dragonfly.session.MasterConnection c =
                io.df2redis.dragonfly.session.MasterConnection.open(master, config.connectConfig(), "keyspace")) {
            long keys = 0;
            for (String line : c.call("INFO", "KEYSPACE").asText().split("\r?\n")) {
                int at = line.indexOf("keys=");
                if (line.startsWith("db") && at > 0) {
                    int end = line.indexOf(',', at);
                    keys += Long.parseLong(line.substring(at + 5, end < 0 ? line.length() : end));
                }
            }
            return keys;
        } catch (Exception e) {
            LOG.info("could not read the master's key count for the progress metric: {}", e.toString());
            return -1;
        }
    }

    /** The master id of the positions a session was planned from, when it differs from the session's; else null. */
    private String resume(OpenedSession opened) {
        String m = null;
        for (FlowPosition p : positions.values()) {
            if (p.masterId() != null && p.phase() == FlowSplit.Phase.STABLE) {
                m = p.masterId();
            }
        }
        return m != null && !m.equals(opened.info().masterId()) ? m : null;
    }

    /** Result of the blocking part of an epoch start. */
    private record OpenedSession(SessionController controller, SessionInfo info, OptionalLong[] plan, long masterKeys,
            io.df2redis.dragonfly.session.DragonflyEndpoint master, String failoverFrom) {}

    private OpenedSession openSession(int id, ResumePoint resume, long backoffMs) throws Exception {
        if (backoffMs > 0) {
            Thread.sleep(backoffMs);
        }
        // With several addresses (the master and its replicas), the one that is the master now.
        io.df2redis.dragonfly.session.DragonflyEndpoint master = io.df2redis.dragonfly.session.MasterLocator.find(
                config.endpoints(), config.connectConfig(), config.failoverWait());
        SessionController controller = new SessionController(master, config.sessionConfig(), id);
        try {
            SessionInfo info = controller.connect();
            if (info.numFlows() != numFlows) {
                throw new IllegalStateException("the master now has " + info.numFlows() + " shards but the job was built for "
                        + numFlows + " flows; start the job again without its savepoint (with --source.flows "
                        + info.numFlows() + " or no override)");
            }
            OptionalLong[] plan = controller.planFlows(resume);
            long keys = -1;
            if (plan.length > 0 && plan[0].isEmpty()) {
                keys = countMasterKeys(master);
                metrics.masterKeys(keys);
            }
            return new OpenedSession(controller, info, plan, keys, master, controller.failoverFrom());
        } catch (Exception e) {
            controller.close();
            throw e;
        }
    }

    private void onSessionOpened(int id, OpenedSession opened, Throwable error) {
        if (error != null) {
            if (error instanceof IllegalStateException) {
                // A job that cannot go on (the master's shard count changed): fail it, naming why,
                // without restarts, which would meet the same master.
                throw new SuppressRestartsException(error);
            }
            consecutiveFailures++;
            metrics.sessionFailed();
            LOG.warn("epoch {}: could not open a session on {} (attempt {}): {}", id, config.endpoints(), consecutiveFailures,
                    error.toString());
            epochPending = true;
            maybeStartEpoch();
            return;
        }
        boolean fullSync = opened.plan()[0].isEmpty();
        Map<Integer, Long> resumeLsn = new HashMap<>();
        for (int f = 0; f < numFlows; f++) {
            if (opened.plan()[f].isPresent()) {
                resumeLsn.put(f, opened.plan()[f].getAsLong());
            }
        }
        // Every full sync resets the writers, the job's first included: main() checked or flushed the
        // target at submission, but a job that fails before its first completed checkpoint starts
        // here again with no state, over what its first attempt wrote (keys deleted on the master
        // meanwhile would stay). Clearing an empty target costs one INFO per writer.
        boolean clear = config.targetPolicy() != Df2RedisOptions.TargetPolicy.OVERWRITE;
        boolean resync = fullSync && fullSyncStarted;
        if (fullSync) {
            fullSyncStarted = true;
        }
        forceFullSync = false;
        current = new Epoch(id, opened.controller(), opened.info(), fullSync);
        current.startPositions = positionsAtPlan;
        metrics.epochStarted(id, fullSync);
        progress.epochStarted(id, fullSync, System.currentTimeMillis());
        if (opened.masterKeys() >= 0) {
            progress.masterKeys(opened.masterKeys());
        }
        if (opened.failoverFrom() != null) {
            LOG.info("epoch {}: the master changed: {} (id {}) now, the positions are of master {}; resuming every flow with"
                    + " the failover form (a replica promoted from it grants PARTIAL; any other master answers FULL and the"
                    + " writers reset)", id, opened.master(), opened.info().masterId(), opened.failoverFrom());
        } else if (fullSync && resume(opened) != null) {
            LOG.info("epoch {}: full sync on {}: the positions are of master {}, this one is {}{}", id, opened.master(),
                    resume(opened), opened.info().masterId(), opened.controller().failoverSupported() ? ""
                            : " (a resume from another master needs Dragonfly v1.31 or later)");
        }
        LOG.info("epoch {}: session {} opened, {}{}", id, opened.info().syncId(),
                fullSync ? (resync ? "full resync" : "full sync") : "partial sync",
                fullSync ? (clear ? ", writers clear the target first" : ", writers keep the target (overwrite)")
                        : " (resuming every flow; a flow answered FULL resets the writers)");
        broadcast(new SessionEvents.OpenFlows(id, opened.info().masterId(), opened.info().syncId(), numFlows, resumeLsn,
                clear, opened.master().host(), opened.master().port(), opened.failoverFrom()));
    }

    private void act(Epoch e, SyncCoordinator.Decision d) {
        if (e != current || e.closing) {
            return;
        }
        SyncAction a = d.action();
        switch (a) {
            case SEND_SYNC:
                ctx.callAsync(() -> {
                    if (!e.closing) {
                        e.controller.sync();
                    }
                    return null;
                }, (ok, err) -> onSyncDone(e, err));
                break;
            case SEND_STARTSTABLE:
                ctx.callAsync(() -> {
                    if (!e.closing) {
                        e.controller.startStable();
                    }
                    return null;
                }, (ok, err) -> onStartStableDone(e, err));
                break;
            case RESTART:
            case RESTART_FULL:
                closeEpoch(d.reason(), a == SyncAction.RESTART_FULL);
                break;
            default:
                break; // WAIT, STREAMING
        }
    }

    private void onSyncDone(Epoch e, Throwable err) {
        if (e != current || e.closing) {
            return;
        }
        if (err != null) {
            closeEpoch("DFLY SYNC failed: " + err, false);
            return;
        }
        e.syncDone = true;
        SyncCoordinator.Decision d = e.coordinator().next();
        for (int flow : e.pendingStaticEnds) {
            d = e.coordinator().onStaticDataEnded(flow);
        }
        e.pendingStaticEnds.clear();
        act(e, d);
    }

    private void onStartStableDone(Epoch e, Throwable err) {
        if (e != current || e.closing) {
            return;
        }
        if (err != null) {
            closeEpoch("DFLY STARTSTABLE failed: " + err, false);
            return;
        }
        consecutiveFailures = 0;
        broadcast(new SessionEvents.StableStarted(e.id));
    }

    private void onAllStable(Epoch e) {
        LOG.info("epoch {}: every flow passed the stable cut", e.id);
        if (config.mode() == Df2RedisOptions.Mode.SNAPSHOT) {
            LOG.info(progress.snapshotSummary(System.currentTimeMillis()));
            finished = true;
            broadcast(new SessionEvents.FinishSnapshot(e.id));
            // The readers hold what they need; closing main ends the session on the master.
            current = null;
            ctx.callAsync(() -> {
                e.controller.close();
                return null;
            }, (ok, err) -> { });
        }
    }

    /** Ends the current epoch: readers close their flows and report positions; then a new epoch. */
    private void closeEpoch(String reason, boolean needsFullSync) {
        Epoch e = current;
        if (e == null || e.closing) {
            return;
        }
        e.closing = true;
        forceFullSync |= needsFullSync;
        consecutiveFailures++;
        metrics.sessionFailed();
        LOG.warn("epoch {} ends: {}; next epoch: {}", e.id, reason, forceFullSync ? "full sync" : "resume if the master allows");
        current = null;
        reportedSinceClose.clear();
        // Every reader reports its positions again once it has closed the epoch's flows; reports
        // sent before it did are ignored (they may lag behind what it emitted since).
        for (int reader : ctx.registeredReaders().keySet()) {
            minReportEpoch.put(reader, e.id);
            if (reader < numFlows) {
                awaitingReport.add(reader);
            }
        }
        broadcast(new SessionEvents.CloseEpoch(e.id, reason));
        closingSession = true;
        ctx.callAsync(() -> {
            e.controller.close();
            return null;
        }, (ok, err) -> {
            closingSession = false;
            epochPending = true;
            maybeStartEpoch();
        });
    }

    private void broadcast(SessionEvents.Event event) {
        for (int reader : ctx.registeredReaders().keySet()) {
            ctx.sendEventToSourceReader(reader, event);
        }
    }

    // ------------------------------------------------------------------ lag

    private long[] readOffsets() throws Exception {
        Epoch e = current;
        if (e == null || e.closing || !e.controller.isOpen()) {
            return null;
        }
        return e.controller.replicaOffsets();
    }

    private void onOffsets(long[] offsets, Throwable err) {
        if (offsets != null) {
            metrics.masterOffsets(offsets);
            progress.masterOffsets(offsets, System.currentTimeMillis());
            for (int f = 0; f < numFlows; f++) {
                metrics.unacknowledgedSince(f, progress.unacknowledgedSinceMs(f));
            }
        }
    }

    // ------------------------------------------------------------------ checkpoints

    @Override
    public EnumeratorState snapshotState(long checkpointId) {
        return new EnumeratorState(epoch, numFlows, fullSyncStarted, unassigned);
    }

    @Override
    public void close() {
        Epoch e = current;
        current = null;
        if (e != null) {
            e.controller.close();
        }
    }
}
