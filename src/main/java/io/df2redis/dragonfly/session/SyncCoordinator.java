package io.df2redis.dragonfly.session;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * The ordering rules of one epoch (one master session), without any I/O (DESIGN §3). Fed with what
 * the flows report, it says what to do next ({@link #next()}); before the controller sends {@code
 * DFLY SYNC} or {@code DFLY STARTSTABLE} it asks {@link #beginSync()} / {@link #beginStartStable()},
 * which refuse forbidden orders: two of them crash a v1.40 master.
 *
 * <ul>
 *   <li>{@code DFLY SYNC} only when every flow of the epoch is open and all are FULL, once.
 *   <li>{@code STARTSTABLE} for FULL flows only after a successful SYNC of this epoch, when every
 *       flow reached its static-data end.
 *   <li>All flows PARTIAL (master ≥ v1.31) → no SYNC, straight to STARTSTABLE.
 *   <li>A FULL/PARTIAL mix, a PARTIAL the epoch did not ask for, or a flush inside the full sync →
 *       close everything, new epoch, full sync.
 * </ul>
 *
 * <p>Thread-safe: in the Flink job it is called from the enumerator's threads.
 */
public final class SyncCoordinator {

    /** A decision with the reason for it (for logs and errors). */
    public record Decision(SyncAction action, String reason) {}

    private enum Step { NOT_SENT, IN_FLIGHT, DONE, FAILED }

    private final long epoch;
    private final int numFlows;
    private final boolean partialSupported;
    private final boolean failoverSupported;
    /** The previous master's id when the flows resume with the failover form, else null. */
    private String failoverFrom;
    private final long[] requestedLsn;
    private final SyncKind[] kinds;
    private final boolean[] staticDataEnded;
    private Step sync = Step.NOT_SENT;
    private Step startStable = Step.NOT_SENT;
    private boolean planned;
    private Decision ended;

    /**
     * @param partialSupported the master may be asked for PARTIAL ({@link
     *     MasterVersion#supportsPartialSync()})
     */
    public SyncCoordinator(long epoch, int numFlows, boolean partialSupported) {
        this(epoch, numFlows, partialSupported, false);
    }

    /**
     * @param failoverSupported the master may be asked to resume positions of the master it
     *     replicated before its promotion ({@link MasterVersion#supportsFailoverPartialSync()})
     */
    public SyncCoordinator(long epoch, int numFlows, boolean partialSupported, boolean failoverSupported) {
        this.failoverSupported = failoverSupported;
        if (numFlows <= 0 || numFlows > 1024) {
            throw new IllegalArgumentException("flow count out of range: " + numFlows);
        }
        this.epoch = epoch;
        this.numFlows = numFlows;
        this.partialSupported = partialSupported;
        this.requestedLsn = new long[numFlows];
        Arrays.fill(requestedLsn, -1);
        this.kinds = new SyncKind[numFlows];
        this.staticDataEnded = new boolean[numFlows];
    }

    public long epoch() {
        return epoch;
    }

    public int numFlows() {
        return numFlows;
    }

    /**
     * Decides which LSN each flow asks for (DESIGN §3 OpenFlows): the resume point's LSNs when the
     * master supports partial sync, is the same process (same id) and has the same flow count;
     * otherwise none (full sync). Call once, before any flow opens.
     *
     * @param resume where the previous epoch left off, or {@code null} for a first/full sync
     * @return per flow the LSN to send with {@code DFLY FLOW}, or empty
     */
    public synchronized OptionalLong[] planFlows(SessionInfo session, ResumePoint resume) {
        if (planned || anyOpened()) {
            throw new ForbiddenOrderException("epoch " + epoch + ": flows are planned once, before any flow opens");
        }
        planned = true;
        boolean sameMaster = resume != null && resume.masterId().equals(session.masterId());
        // Another master: resume anyway with the failover form when it can grant it (a promoted
        // replica of the master the positions belong to answers PARTIAL; any other master FULL).
        boolean failover = resume != null && !sameMaster && partialSupported && failoverSupported;
        boolean partial = resume != null
                && partialSupported
                && (sameMaster || failover)
                && resume.numFlows() == numFlows;
        failoverFrom = partial && failover ? resume.masterId() : null;
        OptionalLong[] plan = new OptionalLong[numFlows];
        for (int i = 0; i < numFlows; i++) {
            if (partial && resume.nextLsn(i) > 0) {
                requestedLsn[i] = resume.nextLsn(i);
                plan[i] = OptionalLong.of(requestedLsn[i]);
            } else {
                plan[i] = OptionalLong.empty();
            }
        }
        return plan;
    }

    /** The master the resumed positions belong to, when it is not this one (the failover form), else null. */
    public synchronized String failoverFrom() {
        return failoverFrom;
    }

    /** The LSN flow {@code flow} asked for, if any. */
    public synchronized OptionalLong requestedLsn(int flow) {
        checkFlow(flow);
        return requestedLsn[flow] > 0 ? OptionalLong.of(requestedLsn[flow]) : OptionalLong.empty();
    }

    public synchronized Decision onFlowOpened(int flow, SyncKind kind) {
        checkFlow(flow);
        if (ended != null) {
            return ended;
        }
        if (kinds[flow] != null) {
            return end(SyncAction.RESTART, "flow " + flow + " opened twice in epoch " + epoch);
        }
        kinds[flow] = kind;
        if (kind == SyncKind.PARTIAL && requestedLsn[flow] <= 0) {
            return end(SyncAction.RESTART_FULL, "flow " + flow + " answered PARTIAL without an LSN being asked");
        }
        return next();
    }

    /** The flow's FULLSYNC_END arrived. */
    public synchronized Decision onStaticDataEnded(int flow) {
        checkFlow(flow);
        if (ended != null) {
            return ended;
        }
        if (kinds[flow] != SyncKind.FULL || sync != Step.DONE) {
            return end(SyncAction.RESTART, "flow " + flow + " reported a static-data end outside a full sync");
        }
        staticDataEnded[flow] = true;
        return next();
    }

    /** A flow's connection or parser failed: the master has cancelled the whole session. */
    public synchronized Decision onFlowLost(int flow, String cause) {
        checkFlow(flow);
        if (ended != null) {
            return ended;
        }
        return end(SyncAction.RESTART, "flow " + flow + " lost: " + cause);
    }

    /** A flow met FLUSHALL/FLUSHDB inside its full sync: static data still to come predates it. */
    public synchronized Decision onFullSyncInvalidated(int flow, String cause) {
        checkFlow(flow);
        if (ended != null && ended.action() == SyncAction.RESTART_FULL) {
            return ended;
        }
        ended = null;
        return end(SyncAction.RESTART_FULL, "flow " + flow + ": " + cause);
    }

    /**
     * Called right before {@code DFLY SYNC} is written.
     *
     * @throws ForbiddenOrderException unless every flow is open, all are FULL, and SYNC was not sent
     */
    public synchronized void beginSync() {
        if (ended != null) {
            throw forbidden("DFLY SYNC", "the epoch has ended (" + ended.reason() + ")");
        }
        if (!allOpened()) {
            throw forbidden("DFLY SYNC", "not every flow is open (" + openedCount() + "/" + numFlows + ")");
        }
        for (int i = 0; i < numFlows; i++) {
            if (kinds[i] != SyncKind.FULL) {
                throw forbidden("DFLY SYNC", "flow " + i + " is " + kinds[i]);
            }
        }
        if (sync != Step.NOT_SENT) {
            throw forbidden("DFLY SYNC", "SYNC was already sent in this epoch");
        }
        sync = Step.IN_FLIGHT;
    }

    public synchronized void syncSucceeded() {
        if (sync != Step.IN_FLIGHT) {
            throw new IllegalStateException("epoch " + epoch + ": no DFLY SYNC in flight");
        }
        sync = Step.DONE;
    }

    public synchronized Decision syncFailed(String cause) {
        sync = Step.FAILED;
        return end(SyncAction.RESTART, "DFLY SYNC failed: " + cause);
    }

    /**
     * Called right before {@code DFLY STARTSTABLE} is written.
     *
     * @throws ForbiddenOrderException for FULL flows without a successful SYNC of this epoch (that
     *     crashes a v1.40 master), before every static-data end, for a FULL/PARTIAL mix, for PARTIAL
     *     flows on a master that does not support them, and a second time
     */
    public synchronized void beginStartStable() {
        if (ended != null) {
            throw forbidden("DFLY STARTSTABLE", "the epoch has ended (" + ended.reason() + ")");
        }
        if (!allOpened()) {
            throw forbidden("DFLY STARTSTABLE", "not every flow is open (" + openedCount() + "/" + numFlows + ")");
        }
        if (startStable != Step.NOT_SENT) {
            throw forbidden("DFLY STARTSTABLE", "STARTSTABLE was already sent in this epoch");
        }
        int full = fullCount();
        if (full == 0) {
            if (!partialSupported) {
                throw forbidden("DFLY STARTSTABLE", "PARTIAL flows on a master without partial sync support");
            }
        } else if (full != numFlows) {
            throw forbidden("DFLY STARTSTABLE", "FULL and PARTIAL flows are mixed");
        } else {
            if (sync != Step.DONE) {
                throw forbidden("DFLY STARTSTABLE", "FULL flows without a successful DFLY SYNC of this epoch");
            }
            for (int i = 0; i < numFlows; i++) {
                if (!staticDataEnded[i]) {
                    throw forbidden("DFLY STARTSTABLE", "flow " + i + " has not reached its static-data end");
                }
            }
        }
        startStable = Step.IN_FLIGHT;
    }

    public synchronized void startStableSucceeded() {
        if (startStable != Step.IN_FLIGHT) {
            throw new IllegalStateException("epoch " + epoch + ": no DFLY STARTSTABLE in flight");
        }
        startStable = Step.DONE;
    }

    public synchronized Decision startStableFailed(String cause) {
        startStable = Step.FAILED;
        return end(SyncAction.RESTART, "DFLY STARTSTABLE failed: " + cause);
    }

    /** What to do now. */
    public synchronized Decision next() {
        if (ended != null) {
            return ended;
        }
        if (!allOpened()) {
            return new Decision(SyncAction.WAIT, "flows open: " + openedCount() + "/" + numFlows);
        }
        int full = fullCount();
        if (full != 0 && full != numFlows) {
            return end(SyncAction.RESTART_FULL, "FULL/PARTIAL mix: " + (numFlows - full) + " of " + numFlows + " flows PARTIAL");
        }
        if (full == 0) {
            if (!partialSupported) {
                return end(SyncAction.RESTART_FULL, "PARTIAL flows on a master that does not support partial sync");
            }
            return startStable == Step.NOT_SENT
                    ? new Decision(SyncAction.SEND_STARTSTABLE, "every flow PARTIAL")
                    : new Decision(startStable == Step.DONE ? SyncAction.STREAMING : SyncAction.WAIT, "partial sync");
        }
        switch (sync) {
            case NOT_SENT:
                return new Decision(SyncAction.SEND_SYNC, "every flow open and FULL");
            case IN_FLIGHT:
                return new Decision(SyncAction.WAIT, "DFLY SYNC in flight");
            default:
                break;
        }
        if (startStable != Step.NOT_SENT) {
            return new Decision(startStable == Step.DONE ? SyncAction.STREAMING : SyncAction.WAIT, "stable sync");
        }
        int endedCount = 0;
        for (boolean b : staticDataEnded) {
            endedCount += b ? 1 : 0;
        }
        return endedCount == numFlows
                ? new Decision(SyncAction.SEND_STARTSTABLE, "every flow reached its static-data end")
                : new Decision(SyncAction.WAIT, "static-data ends: " + endedCount + "/" + numFlows);
    }

    public synchronized SyncKind kind(int flow) {
        checkFlow(flow);
        return kinds[flow];
    }

    /** True once every flow is open and all are FULL (the epoch is a full sync). */
    public synchronized boolean isFullSync() {
        return allOpened() && fullCount() == numFlows;
    }

    public synchronized boolean hasEnded() {
        return ended != null;
    }

    private Decision end(SyncAction action, String reason) {
        ended = new Decision(action, "epoch " + epoch + ": " + reason);
        return ended;
    }

    private ForbiddenOrderException forbidden(String command, String why) {
        return new ForbiddenOrderException("refusing to send " + command + " in epoch " + epoch + ": " + why);
    }

    private void checkFlow(int flow) {
        if (flow < 0 || flow >= numFlows) {
            throw new IllegalArgumentException("flow " + flow + " out of range 0.." + (numFlows - 1));
        }
    }

    private boolean anyOpened() {
        for (SyncKind k : kinds) {
            if (k != null) {
                return true;
            }
        }
        return false;
    }

    private boolean allOpened() {
        return openedCount() == numFlows;
    }

    private int openedCount() {
        int n = 0;
        for (SyncKind k : kinds) {
            n += k != null ? 1 : 0;
        }
        return n;
    }

    private int fullCount() {
        int n = 0;
        for (SyncKind k : kinds) {
            n += k == SyncKind.FULL ? 1 : 0;
        }
        return n;
    }
}
