package io.df2redis.dragonfly.session;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.flow.FlowConfig;
import io.df2redis.dragonfly.flow.FlowConnection;
import io.df2redis.dragonfly.flow.FlowCounters;
import io.df2redis.dragonfly.flow.FlowLostException;
import io.df2redis.dragonfly.flow.SpillLimitExceededException;
import io.df2redis.dragonfly.stream.FlowStreamParser;
import io.df2redis.dragonfly.stream.ParserConfig;
import io.df2redis.dragonfly.stream.StreamFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replication from one master without Flink: a supervisor thread runs epochs, each a {@link
 * SessionController} with its {@link SyncCoordinator}, N {@link FlowConnection}s and one consumer
 * thread per flow feeding a {@link FlowStreamParser}. Events go to the {@link Listener} in stream
 * order per flow; global commands (FLUSHALL, FLUSHDB) once, when every flow has reached them. A lost
 * flow, a refused SYNC or a FULL/PARTIAL mix ends the epoch and a new one starts (PARTIAL from
 * where the flows were, when the master can), up to {@link Config#maxEpochs()}.
 *
 * <p>The ACK of each flow is the next LSN after the last entry the listener returned from, so an
 * ACK never covers an entry that was not applied.
 */
public final class ReplicationSession implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSession.class);

    /**
     * @param maxEpochs give up (see {@link #failure()}) after this many epochs ended without {@link #close()}
     * @param restartDelay pause between the end of an epoch and the next handshake
     */
    public record Config(SessionConfig session, FlowConfig flow, ParserConfig parser, int maxEpochs, Duration restartDelay) {
        public static Config defaults() {
            return new Config(SessionConfig.defaults(), FlowConfig.defaults(), ParserConfig.defaults(), Integer.MAX_VALUE,
                    Duration.ofMillis(500));
        }

        public Config withFlow(FlowConfig f) {
            return new Config(session, f, parser, maxEpochs, restartDelay);
        }

        public Config withSession(SessionConfig s) {
            return new Config(s, flow, parser, maxEpochs, restartDelay);
        }

        public Config withParser(ParserConfig p) {
            return new Config(session, flow, p, maxEpochs, restartDelay);
        }

        public Config withMaxEpochs(int n) {
            return new Config(session, flow, parser, n, restartDelay);
        }

        public Config withRestartDelay(Duration d) {
            return new Config(session, flow, parser, maxEpochs, d);
        }
    }

    /** Receives what the flows carry. Methods of one flow are called on that flow's consumer thread. */
    public interface Listener {
        /**
         * A new epoch's flows are open. {@code kind == FULL}: a full sync follows, and whatever earlier
         * epochs wrote must be cleared or overwritten (deletions in between are not replayed).
         */
        default void onEpochStart(long epoch, SyncKind kind, SessionInfo session) {}

        /** One event of flow {@code flow}, in stream order; global commands come to {@link #onGlobalCommand}. */
        void onEvent(int flow, FlowEvent event) throws Exception;

        /** A FLUSHALL/FLUSHDB that every flow reached: apply it once. The flows wait meanwhile. */
        void onGlobalCommand(FlowEvent.GlobalCommand command) throws Exception;

        /** STARTSTABLE succeeded: every flow is (about to be) pure journal. */
        default void onStable(long epoch) {}

        /** The epoch ended; {@code cause} says why (null after {@link #close()}). */
        default void onEpochEnd(long epoch, Throwable cause) {}
    }

    private final DragonflyEndpoint endpoint;
    private final Config config;
    private final Listener listener;
    private final Object lock = new Object();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private Thread supervisor;
    private volatile boolean closed;
    private volatile Throwable failure;
    private volatile long epoch;
    private volatile boolean stable;
    private volatile Epoch current;
    private ResumePoint resume;

    public ReplicationSession(DragonflyEndpoint endpoint, Config config, Listener listener) {
        this.endpoint = endpoint;
        this.config = config;
        this.listener = listener;
    }

    /** Starts replicating in the background; PARTIAL from {@code resume} when the master allows. */
    public void start(ResumePoint resumeFrom) {
        synchronized (lock) {
            if (supervisor != null) {
                throw new IllegalStateException("already started");
            }
            resume = resumeFrom;
            supervisor = new Thread(this::supervise, "df2redis-session-" + endpoint.host() + ":" + endpoint.port());
            supervisor.setDaemon(true);
            supervisor.start();
        }
    }

    /**
     * Where each flow is: the master id and per flow the LSN after the last applied entry; null
     * until every flow of an epoch is in stable sync.
     */
    public ResumePoint resumePoint() {
        Epoch e = current;
        if (e != null) {
            ResumePoint r = e.resumePoint();
            if (r != null) {
                return r;
            }
        }
        synchronized (lock) {
            return resume;
        }
    }

    /** Per flow the LSN after the last applied entry of the current epoch; -1 where unknown yet. */
    public long[] appliedLsn() {
        Epoch e = current;
        return e == null ? new long[0] : e.applied.clone();
    }

    public long epoch() {
        return epoch;
    }

    /** The current epoch sent STARTSTABLE successfully. */
    public boolean isStable() {
        return stable;
    }

    /** Counters of flow {@code i} of the current epoch, or null. */
    public FlowCounters flowCounters(int i) {
        Epoch e = current;
        return e == null || e.flows[i] == null ? null : e.flows[i].counters();
    }

    /** Why the session gave up, or null while it runs (or after a clean close). */
    public Throwable failure() {
        return failure;
    }

    public boolean awaitStable(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!stable) {
            if (System.nanoTime() > end || terminated.getCount() == 0) {
                return stable;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Waits until the session gave up or was closed. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops everything: the master cancels the session when its connections close. */
    @Override
    public void close() {
        closed = true;
        Epoch e = current;
        if (e != null) {
            e.signals.add(new Signal.Closed());
        }
        Thread t;
        synchronized (lock) {
            t = supervisor;
        }
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                t.join(15_000);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        terminated.countDown();
    }

    private void supervise() {
        int ended = 0;
        try {
            while (!closed) {
                long n = ++epoch;
                Throwable cause;
                boolean full;
                Epoch e = new Epoch(n);
                current = e;
                try {
                    cause = e.run();
                } catch (InterruptedException ie) {
                    cause = null;
                } finally {
                    e.shutdown();
                    stable = false;
                }
                full = e.restartFull;
                synchronized (lock) {
                    ResumePoint r = e.resumePoint();
                    resume = full ? null : r != null ? r : e.plannedResume;
                }
                listener.onEpochEnd(n, closed ? null : cause);
                if (closed) {
                    return;
                }
                LOG.warn("epoch {} ended: {}", n, cause == null ? "no cause" : cause.getMessage());
                if (isFatal(cause)) {
                    failure = cause;
                    return;
                }
                if (++ended >= config.maxEpochs()) {
                    failure = cause;
                    return;
                }
                Thread.sleep(config.restartDelay().toMillis());
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ex) {
            failure = ex;
            LOG.error("replication session failed", ex);
        } finally {
            terminated.countDown();
        }
    }

    private static boolean isFatal(Throwable t) {
        return t instanceof MasterErrorException.AuthFailed
                || t instanceof MasterErrorException.NoPermission
                || t instanceof MasterErrorException.ReplicaOfReplica
                || t instanceof NotDragonflyMasterException
                || t instanceof UnsupportedMasterException
                || t instanceof ForbiddenOrderException
                || t instanceof ListenerFailure;
    }

    /** The listener threw: the applier, not the protocol, failed; retrying would repeat it. */
    public static final class ListenerFailure extends DragonflyException {
        ListenerFailure(int flow, Throwable cause) {
            super("the listener failed on flow " + flow + ": " + cause, cause);
        }
    }

    private sealed interface Signal {
        record StaticDataEnded(int flow) implements Signal {}

        record FlowEnded(int flow, Throwable cause) implements Signal {}

        record FullSyncInvalidated(int flow, String why) implements Signal {}

        record Closed() implements Signal {}
    }

    /** One epoch: one master session and its flows. */
    private final class Epoch {
        final long n;
        final LinkedBlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
        FlowConnection[] flows = new FlowConnection[0];
        long[] applied = new long[0];
        boolean[] inStable = new boolean[0];
        Thread[] consumers = new Thread[0];
        SessionController controller;
        GlobalBarrier barrier;
        volatile boolean stopping;
        boolean restartFull;
        ResumePoint plannedResume;
        String masterId;

        Epoch(long n) {
            this.n = n;
        }

        Throwable run() throws InterruptedException {
            ResumePoint from;
            synchronized (lock) {
                from = resume;
            }
            plannedResume = from;
            controller = new SessionController(endpoint, config.session(), n);
            SessionInfo info;
            OptionalLong[] plan;
            try {
                info = controller.connect();
                masterId = info.masterId();
                plan = controller.planFlows(from);
            } catch (IOException | RuntimeException ex) {
                return ex;
            }
            int count = info.numFlows();
            flows = new FlowConnection[count];
            applied = new long[count];
            Arrays.fill(applied, -1);
            inStable = new boolean[count];
            consumers = new Thread[count];
            barrier = new GlobalBarrier(count);
            SyncCoordinator coord = controller.coordinator();
            SyncCoordinator.Decision d = null;
            for (int i = 0; i < count; i++) {
                final int flow = i;
                try {
                    flows[i] = FlowConnection.open(endpoint, config.session().connect(), config.flow(), info.masterId(),
                            info.syncId(), i, plan[i], (f, cause) -> {
                                if (cause instanceof SpillLimitExceededException) {
                                    signals.add(new Signal.FlowEnded(f, cause));
                                }
                            });
                } catch (IOException | RuntimeException ex) {
                    return ex;
                }
                d = coord.onFlowOpened(flow, flows[i].kind());
            }
            if (d.action() == SyncAction.RESTART_FULL || d.action() == SyncAction.RESTART) {
                restartFull = d.action() == SyncAction.RESTART_FULL;
                return new DragonflyException(d.reason());
            }
            SyncKind kind = coord.isFullSync() ? SyncKind.FULL : SyncKind.PARTIAL;
            if (kind == SyncKind.PARTIAL) {
                for (int i = 0; i < count; i++) {
                    applied[i] = plan[i].getAsLong();
                    inStable[i] = true;
                }
            }
            listener.onEpochStart(n, kind, info);
            for (int i = 0; i < count; i++) {
                final int flow = i;
                consumers[i] = new Thread(() -> consume(flow), "df2redis-flow-" + i + "-consumer");
                consumers[i].setDaemon(true);
                consumers[i].start();
            }
            while (true) {
                try {
                    switch (d.action()) {
                        case SEND_SYNC -> {
                            controller.sync();
                            d = coord.next();
                            continue;
                        }
                        case SEND_STARTSTABLE -> {
                            controller.startStable();
                            stable = true;
                            listener.onStable(n);
                            d = coord.next();
                            continue;
                        }
                        case RESTART, RESTART_FULL -> {
                            restartFull |= d.action() == SyncAction.RESTART_FULL;
                            return new DragonflyException(d.reason());
                        }
                        default -> { }
                    }
                } catch (IOException | RuntimeException ex) {
                    restartFull |= coord.next().action() == SyncAction.RESTART_FULL;
                    return rootCause(ex);
                }
                Signal s = signals.take();
                if (s instanceof Signal.Closed) {
                    return null;
                } else if (s instanceof Signal.StaticDataEnded sde) {
                    d = coord.onStaticDataEnded(sde.flow());
                } else if (s instanceof Signal.FullSyncInvalidated fi) {
                    d = coord.onFullSyncInvalidated(fi.flow(), fi.why());
                    restartFull = true;
                    return new DragonflyException(d.reason());
                } else if (s instanceof Signal.FlowEnded fe) {
                    coord.onFlowLost(fe.flow(), String.valueOf(fe.cause()));
                    return fe.cause();
                }
            }
        }

        /**
         * A control command failed, often because the master cancelled the session after a flow
         * broke: a flow's own error, when one follows within a second, says more.
         */
        private Throwable rootCause(Throwable controlError) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            long left;
            while ((left = end - System.nanoTime()) > 0) {
                Signal s = signals.poll(left, TimeUnit.NANOSECONDS);
                if (s instanceof Signal.FlowEnded fe && fe.cause() != null) {
                    fe.cause().addSuppressed(controlError);
                    return fe.cause();
                }
            }
            return controlError;
        }

        /** One flow's consumer: bytes → parser → listener, in order; ACKs what was applied. */
        private void consume(int flow) {
            FlowConnection fc = flows[flow];
            FlowStreamParser parser = fc.kind() == SyncKind.FULL
                    ? FlowStreamParser.fullSync(flow, fc.eofToken(), config.parser(), e -> deliver(flow, e))
                    : FlowStreamParser.partial(flow, fc.requestedLsn().getAsLong(), config.parser(), e -> deliver(flow, e));
            if (fc.kind() == SyncKind.PARTIAL) {
                fc.ackLsn(applied[flow]);
            }
            byte[] buf = new byte[64 * 1024];
            Throwable cause = null;
            try {
                while (!stopping) {
                    int r = fc.read(buf, 0, buf.length, Duration.ofMillis(100));
                    if (r < 0) {
                        return;
                    }
                    if (r > 0) {
                        parser.feed(buf, 0, r);
                        if (inStable[flow]) {
                            fc.ackLsn(applied[flow]);
                        }
                    }
                }
            } catch (FlowLostException lost) {
                cause = lost;
                try {
                    // Says precisely where the stream was cut when it stopped inside an item.
                    parser.endOfInput();
                } catch (StreamFormatException cut) {
                    cause = cut;
                } catch (RuntimeException ignored) {
                    // the parser had failed already
                }
            } catch (ListenerFailureUnchecked lf) {
                cause = lf.failure;
            } catch (StopConsuming stop) {
                return;
            } catch (IOException | RuntimeException ex) {
                cause = ex;
            }
            if (!stopping) {
                signals.add(new Signal.FlowEnded(flow, cause));
            }
        }

        private void deliver(int flow, FlowEvent e) {
            if (stopping) {
                throw new StopConsuming();
            }
            try {
                if (e instanceof FlowEvent.StaticDataEnd) {
                    listener.onEvent(flow, e);
                    signals.add(new Signal.StaticDataEnded(flow));
                } else if (e instanceof FlowEvent.StableCut cut) {
                    listener.onEvent(flow, e);
                    applied[flow] = cut.journalOffset();
                    inStable[flow] = true;
                    flows[flow].ackLsn(applied[flow]);
                } else if (e instanceof FlowEvent.GlobalCommand g) {
                    if (g.inFullSync()) {
                        signals.add(new Signal.FullSyncInvalidated(flow, "global command " + name(g.args())
                                + " inside the full sync: the static data still to come predates it"));
                        throw new StopConsuming();
                    }
                    if (!barrier.arrive(flow, g, this::isStopping)) {
                        throw new StopConsuming();
                    }
                    applied[flow] = g.lsn() + 1;
                } else if (e instanceof FlowEvent.Ping p) {
                    listener.onEvent(flow, e);
                    applied[flow] = p.lsn() + 1;
                    flows[flow].ackLsn(applied[flow]);
                    flows[flow].ackNow();
                } else {
                    listener.onEvent(flow, e);
                    if (e instanceof FlowEvent.JournalCommand j && j.lsn() >= 0) {
                        applied[flow] = j.lsn() + 1;
                    } else if (e instanceof FlowEvent.Exec x && x.lsn() >= 0) {
                        applied[flow] = x.lsn() + 1;
                    }
                }
            } catch (StopConsuming | ListenerFailureUnchecked s) {
                throw s;
            } catch (Exception ex) {
                throw new ListenerFailureUnchecked(new ListenerFailure(flow, ex));
            }
        }

        boolean isStopping() {
            return stopping;
        }

        /** Where the flows are, once every one of them is in stable sync. */
        ResumePoint resumePoint() {
            if (masterId == null || applied.length == 0) {
                return null;
            }
            long[] a = applied.clone();
            for (int i = 0; i < a.length; i++) {
                if (!inStable[i] || a[i] <= 0) {
                    return null;
                }
            }
            return new ResumePoint(masterId, a);
        }

        void shutdown() {
            stopping = true;
            if (barrier != null) {
                barrier.abort();
            }
            if (controller != null) {
                controller.close();
            }
            for (FlowConnection f : flows) {
                if (f != null) {
                    f.close();
                }
            }
            for (Thread t : consumers) {
                if (t != null && t != Thread.currentThread()) {
                    // A consumer may be blocked in the listener (a stuck applier): wake it.
                    t.interrupt();
                    try {
                        t.join(10_000);
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }

        /** FLUSHALL/FLUSHDB: every flow stops emitting (never reading) until all reached it; applied once. */
        private final class GlobalBarrier {
            private final int parties;
            private final List<Integer> arrived = new ArrayList<>();
            private long generation;
            private boolean aborted;
            private Throwable applyFailure;

            GlobalBarrier(int parties) {
                this.parties = parties;
            }

            synchronized boolean arrive(int flow, FlowEvent.GlobalCommand g, java.util.function.BooleanSupplier stop)
                    throws Exception {
                long gen = generation;
                arrived.add(flow);
                if (arrived.size() == parties) {
                    arrived.clear();
                    try {
                        listener.onGlobalCommand(g);
                    } catch (Exception ex) {
                        applyFailure = ex;
                    }
                    generation++;
                    notifyAll();
                } else {
                    while (generation == gen && !aborted && !stop.getAsBoolean()) {
                        wait(100);
                    }
                }
                if (applyFailure != null) {
                    throw new ListenerFailureUnchecked(new ListenerFailure(flow, applyFailure));
                }
                return generation != gen;
            }

            synchronized void abort() {
                aborted = true;
                notifyAll();
            }
        }
    }

    private static String name(List<byte[]> args) {
        return args.isEmpty() ? "?" : new String(args.get(0), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Unwinds a consumer out of the parser's callback when its epoch ends. */
    private static final class StopConsuming extends RuntimeException {
        StopConsuming() {
            super(null, null, false, false);
        }
    }

    private static final class ListenerFailureUnchecked extends RuntimeException {
        final ListenerFailure failure;

        ListenerFailureUnchecked(ListenerFailure failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }
}
