package io.df2redis.redis;

import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each slot's commands in submission order, whatever happens to connections and routes.
 *
 * <p>A slot is bound to one connection at a time. When one of its commands must be resent (MOVED,
 * ASK, a transient error, a lost connection), the slot is <em>held</em>: that command, every later
 * command of the slot still in flight or queued, and every new submission for it are <em>parked</em>.
 * Once nothing of the slot is left on any connection (outstanding == parked), the parked commands
 * are released in submission order onto the slot's current route (re-read if needed, after a
 * back-off for transient errors); ASKed commands go to the importing node with ASKING.
 *
 * <p>After a transient error or a lost connection, later commands of the slot that Redis had already
 * applied are parked too and sent again after the failed one (a replayed suffix: the last write
 * to each key stays last). After ASK they are not: the migrating node answers ASK for every
 * command on a key it no longer holds, so commands on other keys it applied keep their order.
 */
final class SlotTable {
    private static final Logger LOG = LoggerFactory.getLogger(SlotTable.class);
    static final int DONE_OK = 0;
    static final int DONE_FAILED = 1;
    static final int RESENDING = 2;

    /** Replay the slot's later successes on the same connection (not after ASK). */
    private static final int REPLAY = 1;
    /** Re-read the topology before releasing. */
    private static final int REFRESH = 2;
    /** Back off before releasing. */
    private static final int BACKOFF = 4;

    private static final PipelinedConnection[] NO_CONNECTIONS = new PipelinedConnection[0];
    private static final long[] NO_POSITIONS = new long[0];
    /** A node (null: the slot's owner) and a database. */
    private record Route(NodeAddress address, int db) {}

    private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<SlotState> OUTSTANDING =
            java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(SlotState.class, "outstanding");
    private static final Comparator<Pending> BY_SEQ = Comparator.comparingLong(p -> p.seq);

    /** What the table needs from the writer around it. */
    interface Host {
        /** Reports a command that will not be applied (outside any lock). */
        void commandFailed(Pending p, CommandFailure.Reason reason, String reply, NodeAddress node);

        /** A connection died holding writes acknowledged since the last confirmation. */
        void connectionLost(PipelinedConnection c, long unconfirmed, List<ControlOp> pendingOps, String cause);

        boolean closed();
    }

    private final SlotState[] states = new SlotState[Slots.COUNT];
    private final Router router;
    private final WriterMetrics metrics;
    private final OutstandingBudget budget;
    private final ScheduledExecutorService recovery;
    private final long retryTimeoutNanos;
    private final long backoffBaseNanos;
    private final long backoffMaxNanos;
    private final Host host;
    private final AtomicBoolean refreshRequested = new AtomicBoolean();

    SlotTable(Router router, WriterMetrics metrics, OutstandingBudget budget, ScheduledExecutorService recovery,
            WriterConfig config, Host host) {
        this.router = router;
        this.metrics = metrics;
        this.budget = budget;
        this.recovery = recovery;
        this.retryTimeoutNanos = config.retryTimeout.toNanos();
        this.backoffBaseNanos = Math.max(1, config.backoffBase.toNanos());
        this.backoffMaxNanos = config.backoffMax.toNanos();
        this.host = host;
        for (int s = 0; s < states.length; s++) {
            states[s] = new SlotState(s);
        }
    }

    static final class SlotState {
        final int slot;
        /**
         * Per database, the connection new commands of this slot go to while it is not held; db 0's in a
         * field of its own (one object less to fetch per command: most targets use db 0 only).
         */
        private PipelinedConnection db0;
        private PipelinedConnection[] byDb = NO_CONNECTIONS;
        /**
         * Submitted, not yet acknowledged or failed (parked ones included). Changed under the lock,
         * except by the receiving threads' acknowledgements while the slot is not held (see onReply).
         */
        volatile int outstanding;
        long nextSeq;
        /** Non-null while held. */
        ArrayList<Pending> parked;
        int flags;
        boolean releaseScheduled;
        /** A topology read that started before this time is too old for this slot's next release. */
        long refreshAfterNanos;
        /** Release rounds in this hold that could not reach a node. */
        int releaseFailures;
        /**
         * Replay marks of this hold: a success of the slot on {@code replayOn[i]} written after
         * position {@code replayAfter[i]} of its stream was applied after an earlier command failed.
         */
        PipelinedConnection[] replayOn = NO_CONNECTIONS;
        long[] replayAfter = NO_POSITIONS;
        /** Mirrors parked != null for the sending threads, which check it without the lock. */
        volatile boolean held;
        /** {@link Router#routesVersion()} before the bindings were looked up; -1: look them up again. */
        long routesVersion = -1;

        void markReplay(Pending failed) {
            if (failed.sentOn == null) {
                return;
            }
            for (int i = 0; i < replayOn.length; i++) {
                if (replayOn[i] == failed.sentOn) {
                    replayAfter[i] = Math.min(replayAfter[i], failed.sendSeq);
                    return;
                }
            }
            replayOn = java.util.Arrays.copyOf(replayOn, replayOn.length + 1);
            replayAfter = java.util.Arrays.copyOf(replayAfter, replayAfter.length + 1);
            replayOn[replayOn.length - 1] = failed.sentOn;
            replayAfter[replayAfter.length - 1] = failed.sendSeq;
        }

        boolean mustReplay(Pending succeeded) {
            for (int i = 0; i < replayOn.length; i++) {
                if (replayOn[i] == succeeded.sentOn && succeeded.sendSeq > replayAfter[i]) {
                    return true;
                }
            }
            return false;
        }

        SlotState(int slot) {
            this.slot = slot;
        }

        PipelinedConnection binding(int db) {
            if (db == 0) {
                return db0;
            }
            return db < byDb.length ? byDb[db] : null;
        }

        void bind(int db, PipelinedConnection c) {
            if (db == 0) {
                db0 = c;
                return;
            }
            if (db >= byDb.length) {
                byDb = java.util.Arrays.copyOf(byDb, db + 1);
            }
            byDb[db] = c;
        }

        void clearBindings() {
            db0 = null;
            if (byDb.length > 0) {
                java.util.Arrays.fill(byDb, null);
            }
        }
    }

    ScheduledExecutorService recovery() {
        return recovery;
    }

    /** Caller thread, after the budget was acquired: queue the command on the slot's connection. */
    void submit(Pending p) {
        SlotState s = states[p.slot()];
        synchronized (s) {
            p.seq = s.nextSeq++;
            OUTSTANDING.incrementAndGet(s);
            if (s.parked != null) {
                s.parked.add(p);
                p.firstFailureNanos = System.nanoTime();
                return;
            }
            int db = p.command.db();
            if (s.outstanding == 1) {
                // Nothing of this slot is anywhere: free to follow the current route, if it changed since the
                // slot's connections were looked up (a lookup per key costs more than the rest of a submit).
                long version = router.routesVersion();
                if (s.routesVersion != version) {
                    s.clearBindings();
                    s.routesVersion = version;
                }
            }
            PipelinedConnection c = s.binding(db);
            if (c == null) {
                c = router.ownerConnectionIfLive(p.slot(), db);
                s.bind(db, c);
            }
            if (c == null || !c.enqueue(p)) {
                p.lastError = "no open connection to " + router.owner(p.slot());
                p.lastErrorWasConnection = true;
                parkLocked(s, p, router.cluster() ? REFRESH : 0);
            }
        }
    }

    boolean isHeld(int slot) {
        return states[slot].held;
    }

    /**
     * Sending thread, which saw the command's slot held: parks it, unless the hold ended meanwhile
     * (a release that queued this very command), in which case it must be sent. Returns whether it
     * was parked.
     */
    boolean divert(Pending p) {
        SlotState s = states[p.slot()];
        synchronized (s) {
            if (s.parked == null) {
                return false;
            }
            parkLocked(s, p, 0);
            return true;
        }
    }

    /**
     * Receiving thread: the reply to {@code p}, which stood at {@code position} in {@code c}'s
     * stream. Returns DONE_OK, DONE_FAILED or RESENDING.
     */
    int onReply(PipelinedConnection c, Pending p, RespReply r, long position) {
        SlotState s = states[p.slot()];
        if (r instanceof RespReply.Error e) {
            p.sentOn = c;
            p.sendSeq = position;
            ReplyKind kind = ReplyKind.of(e);
            if (kind == ReplyKind.REFUSED) {
                synchronized (s) {
                    OUTSTANDING.decrementAndGet(s);
                    maybeScheduleRelease(s);
                }
                host.commandFailed(p, CommandFailure.Reason.REFUSED, e.message(), c.node.address);
                return DONE_FAILED;
            }
            p.attempts++;
            metrics.resends.increment();
            int flags;
            switch (kind) {
                case MOVED -> {
                    metrics.moved.increment();
                    router.noteMoved(p.slot(), ReplyKind.redirectTarget(e, c.node.address));
                    requestRefresh(); // other slots probably moved too (failover, resharding)
                    p.askTarget = null;
                    flags = REPLAY;
                }
                case ASK -> {
                    metrics.ask.increment();
                    NodeAddress target = ReplyKind.redirectTarget(e, c.node.address);
                    synchronized (s) {
                        p.askTarget = target;
                        p.lastError = e.message();
                        p.lastErrorWasConnection = false;
                        p.lastNode = c.node.address;
                        if (s.parked == null) {
                            // The migrating node answers ASK for every command on a key it no longer has, and
                            // this reader sees them in order: resending each at once, in that order, to the
                            // importing node keeps the key's order without holding the rest of the slot.
                            PipelinedConnection t = router.connectionIfLive(target, p.slot(), p.command.db());
                            p.asking = true;
                            if (t != null && t.enqueue(p)) {
                                return RESENDING;
                            }
                        }
                        parkLocked(s, p, 0);
                    }
                    return RESENDING;
                }
                case TRANSIENT -> {
                    metrics.transientError(e.code());
                    flags = REPLAY | BACKOFF;
                }
                default -> {
                    metrics.transientError(e.code());
                    flags = REPLAY | BACKOFF | (router.cluster() ? REFRESH : 0);
                }
            }
            synchronized (s) {
                p.lastError = e.message();
                p.lastErrorWasConnection = false;
                p.lastNode = c.node.address;
                parkLocked(s, p, flags);
            }
            return RESENDING;
        }
        if (!s.held) {
            // The common case, without the lock. A replay mark for this connection could only come from an
            // earlier reply on it, handled by this same thread, so "not held" is certain for that purpose.
            // A hold starting concurrently sets held before reading outstanding, and this thread decrements
            // before reading held again: one of the two sees the other, so no release is missed.
            OUTSTANDING.decrementAndGet(s);
            if (s.held) {
                synchronized (s) {
                    maybeScheduleRelease(s);
                }
            }
            return DONE_OK;
        }
        synchronized (s) {
            p.sentOn = c;
            p.sendSeq = position;
            if (s.parked != null && s.mustReplay(p)) {
                // Applied after an earlier command of its slot failed: send it again after that one.
                metrics.replayedAfterEarlierFailure.increment();
                metrics.resends.increment();
                parkLocked(s, p, 0);
                return RESENDING;
            }
            OUTSTANDING.decrementAndGet(s);
            maybeScheduleRelease(s);
        }
        return DONE_OK;
    }

    /** Recovery thread: a dead connection's commands come back. */
    void connectionLost(PipelinedConnection c, List<Pending> unknown, List<Pending> unsent, List<ControlOp> ops, String cause) {
        if (host.closed()) {
            PipelinedConnection.failControlOps(ops);
            return;
        }
        long unconfirmed = c.unconfirmed.getAndSet(0);
        LOG.warn("connection {} lost ({}): {} commands written without a reply will be resent (outcome unknown), {} not yet sent, {} acknowledged since the last confirmation",
                c, cause, unknown.size(), unsent.size(), unconfirmed);
        host.connectionLost(c, unconfirmed, ops, cause);
        int refresh = router.cluster() ? REFRESH : 0;
        for (Pending p : unknown) {
            metrics.unknownOutcomeResends.increment();
            metrics.resends.increment();
            p.attempts++;
            park(p, REPLAY | refresh, "connection to " + c.node.address + " lost: " + cause);
        }
        for (Pending p : unsent) {
            park(p, refresh, "connection to " + c.node.address + " lost: " + cause);
        }
    }

    /** Re-reads the topology soon, on the recovery thread; requests made meanwhile are merged. */
    private void requestRefresh() {
        if (refreshRequested.compareAndSet(false, true)) {
            long asked = System.nanoTime();
            try {
                recovery.execute(() -> {
                    refreshRequested.set(false);
                    router.refreshIfOlderThan(asked);
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the writer closed meanwhile
            }
        }
    }

    private void park(Pending p, int flags, String why) {
        SlotState s = states[p.slot()];
        synchronized (s) {
            p.lastError = why;
            p.lastErrorWasConnection = true;
            parkLocked(s, p, flags);
        }
    }

    private void parkLocked(SlotState s, Pending p, int flags) {
        long now = System.nanoTime();
        if (s.parked == null) {
            s.parked = new ArrayList<>();
            s.held = true;
            s.refreshAfterNanos = now;
            s.releaseFailures = 0;
        }
        s.parked.add(p);
        s.flags |= flags;
        if ((flags & REPLAY) != 0) {
            s.markReplay(p);
        }
        if (p.firstFailureNanos == 0) {
            p.firstFailureNanos = now;
        }
        maybeScheduleRelease(s);
    }

    private void maybeScheduleRelease(SlotState s) {
        if (s.parked != null && !s.releaseScheduled && s.outstanding == s.parked.size() && !host.closed()) {
            s.releaseScheduled = true;
            long delay = releaseDelay(s);
            try {
                recovery.schedule(() -> release(s), delay, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the writer closed meanwhile
            }
        }
    }

    private long releaseDelay(SlotState s) {
        int attempts = 0;
        for (Pending p : s.parked) {
            attempts = Math.max(attempts, p.attempts);
        }
        int rounds;
        if ((s.flags & BACKOFF) != 0) {
            rounds = Math.max(attempts - 1, s.releaseFailures);
        } else if (s.releaseFailures > 0 || attempts > 4) {
            // Redirections go at once; only a command that keeps bouncing, or a node that cannot be reached, waits.
            rounds = Math.max(attempts - 4, s.releaseFailures);
        } else {
            return 0;
        }
        return Math.min(backoffMaxNanos, backoffBaseNanos << Math.min(rounds, 30));
    }

    /** Recovery thread: put a held slot's commands back on the wire, in order. */
    private void release(SlotState s) {
        if (host.closed()) {
            return;
        }
        int flags;
        long heldSince;
        // Where the parked commands go: (ASK target or null for the slot's owner, database).
        java.util.Set<Route> routes = new java.util.LinkedHashSet<>();
        synchronized (s) {
            flags = s.flags;
            heldSince = s.refreshAfterNanos;
            for (Pending p : s.parked) {
                routes.add(new Route(p.askTarget, p.command.db()));
            }
        }
        if ((flags & REFRESH) != 0 || s.releaseFailures > 0) {
            router.refreshIfOlderThan(heldSince);
        }
        NodeAddress owner = router.owner(s.slot);
        Map<Route, PipelinedConnection> conns = new HashMap<>(4);
        String unreachable = owner == null ? "slot " + s.slot + " is not served by any primary" : null;
        for (Route r : routes) {
            NodeAddress a = r.address == null ? owner : r.address;
            if (a == null) {
                continue;
            }
            try {
                conns.put(new Route(a, r.db), router.connect(a, s.slot, r.db));
            } catch (IOException e) {
                unreachable = e.getMessage();
            }
        }
        List<Pending> failedNow = new ArrayList<>();
        synchronized (s) {
            s.releaseScheduled = false;
            ArrayList<Pending> parked = s.parked;
            parked.sort(BY_SEQ);
            ArrayList<Pending> keep = new ArrayList<>();
            long now = System.nanoTime();
            boolean blocked = false;
            s.clearBindings();
            s.routesVersion = -1; // bound below to where the release went, which the next idle submit checks again
            // Everything sent before this release has answered (outstanding == parked): replay marks are spent.
            s.replayOn = NO_CONNECTIONS;
            s.replayAfter = NO_POSITIONS;
            // After a transient error (LOADING, BUSY, CLUSTERDOWN…) the node would refuse the whole backlog
            // again: send only the oldest command as a probe; the rest follows once it got through.
            boolean probe = (s.flags & BACKOFF) != 0;
            s.flags &= ~BACKOFF;
            int sent = 0;
            for (Pending p : parked) {
                if (!blocked) {
                    if (now - p.firstFailureNanos > retryTimeoutNanos) {
                        if (failedNow.isEmpty()) {
                            LOG.warn("slot {} gives up after the retry timeout: {} outstanding, {} parked, flags {}, {} release failures, last error {}",
                                    s.slot, s.outstanding, parked.size(), s.flags, s.releaseFailures, p.lastError);
                        }
                        failedNow.add(p);
                        OUTSTANDING.decrementAndGet(s);
                        continue;
                    }
                    int db = p.command.db();
                    NodeAddress to = p.askTarget != null && !p.askTarget.equals(owner) ? p.askTarget : owner;
                    PipelinedConnection c = to == null ? null : conns.get(new Route(to, db));
                    if (c != null && !(probe && sent > 0)) {
                        p.asking = to != owner;
                        p.probe = probe; // sent although its slot stays held
                        if (c.enqueue(p)) {
                            sent++;
                            p.askTarget = null;
                            if (!p.asking) {
                                s.bind(db, c);
                            }
                            continue;
                        }
                    }
                    if (probe && sent > 0) {
                        blocked = true; // the probe is out: the rest waits for its answer
                        keep.add(p);
                        continue;
                    }
                    // Everything behind this one waits too, or it would overtake it.
                    blocked = true;
                    if (unreachable != null) {
                        p.lastError = unreachable;
                        p.lastErrorWasConnection = true;
                    }
                }
                keep.add(p);
            }
            if (keep.isEmpty()) {
                s.parked = null;
                s.held = false;
                s.flags = 0;
                s.releaseFailures = 0;
            } else if (probe && sent > 0) {
                s.parked = keep; // released in full when the probe is answered (or backed off again if refused)
            } else {
                s.parked = keep;
                s.releaseFailures++;
                s.refreshAfterNanos = System.nanoTime();
                if (router.cluster()) {
                    s.flags |= REFRESH;
                }
                maybeScheduleRelease(s);
            }
        }
        for (Pending p : failedNow) {
            budget.release(1, p.charge);
            host.commandFailed(p,
                    p.lastErrorWasConnection ? CommandFailure.Reason.UNREACHABLE : CommandFailure.Reason.RETRIES_EXHAUSTED,
                    p.lastError, p.lastNode != null ? p.lastNode : owner);
        }
    }
}
