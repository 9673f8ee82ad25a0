package io.df2redis.redis;

import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link RedisCommand}s into Redis or Redis Cluster, fast and in order per slot.
 *
 * <pre>{@code
 * try (RedisWriter w = RedisWriter.open(RedisTarget.parse("redis://127.0.0.1:6379"), WriterConfig.defaults())) {
 *     TargetCapabilities caps = w.capabilities();   // version, RESTORE's RDB version, modules…
 *     w.submit(RedisCommand.of(0, key, bytes("SET"), key, value));   // blocks when too much is outstanding
 *     w.flush();                                              // everything submitted is acknowledged
 * }
 * }</pre>
 *
 * <p><b>Order.</b> Commands of one slot are applied in the order they were submitted, through
 * redirections (MOVED, ASK), transient errors (TRYAGAIN, CLUSTERDOWN, LOADING, BUSY…), lost
 * connections and topology changes (see {@link SlotTable}). A command whose outcome is unknown (its
 * connection broke after it was written) is resent and counted
 * ({@link WriterMetrics#unknownOutcomeResends()}): at-least-once.
 *
 * <p><b>Failures.</b> A command Redis refuses, or that still fails after
 * {@link WriterConfig.Builder#retryTimeout}, goes to the {@link FailureHandler} as a
 * {@link CommandFailure} (key, reply, reason); the default handler fails the writer, after which
 * {@link #submit} and {@link #flush} throw {@link CommandFailedException}. Nothing is dropped
 * silently. A node that may have lost acknowledged writes is reported as a {@link PossibleLoss}.
 *
 * <p><b>Threads.</b> {@code submit}/{@code flush} may be called from any thread (normally one, the
 * sink's). Each connection has a sending and a receiving thread; one recovery thread re-routes.
 */
public final class RedisWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisWriter.class);

    private final RedisTarget target;
    private final WriterConfig config;
    private final WriterMetrics metrics = new WriterMetrics();
    private final OutstandingBudget budget;
    private final RateLimiter rateLimiter;
    private final Router router;
    private final SlotTable slots;
    private final LossTracker losses;
    private final KeyspaceCleaner cleaner;
    private final ScheduledThreadPoolExecutor recovery;
    private final AtomicReference<RedisWriteException> failure = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicBoolean suspectWatch = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<ReplicationNotConfirmedException> lostBeforeWait = new ArrayList<>();
    private final ConcurrentHashMap<String, Boolean> loggedFailureKinds = new ConcurrentHashMap<>();
    private final BitSet validDatabases = new BitSet();
    private volatile TargetCapabilities caps;
    private ControlCalls controlCalls;
    private volatile boolean closed;

    private RedisWriter(RedisTarget target, WriterConfig config, boolean cluster) {
        this.target = target;
        this.config = config;
        this.budget = new OutstandingBudget(config.maxOutstandingCommands, config.maxOutstandingBytes);
        this.rateLimiter = RateLimiter.of(config.opsPerSecond, config.bytesPerSecond);
        this.router = new Router(target, config.connectionsPerNode, cluster, metrics);
        this.recovery = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "df2redis-writer-recovery");
            t.setDaemon(true);
            return t;
        });
        this.recovery.setRemoveOnCancelPolicy(true);
        this.losses = new LossTracker(config.waits(), this::possibleLoss);
        this.slots = new SlotTable(router, metrics, budget, recovery, config, new SlotTable.Host() {
            @Override
            public void commandFailed(Pending p, CommandFailure.Reason reason, String reply, NodeAddress node) {
                RedisWriter.this.commandFailed(p, reason, reply, node);
            }

            @Override
            public void connectionLost(PipelinedConnection c, long unconfirmed, List<ControlOp> ops, String cause) {
                RedisWriter.this.connectionLost(c, unconfirmed, ops, cause);
            }

            @Override
            public boolean closed() {
                return closed;
            }
        });
        this.router.bind((node, db, index, raw, runId) -> new PipelinedConnection(node, db, index, raw, runId, slots, metrics, budget, config), losses);
        this.cleaner = new KeyspaceCleaner(router, target);
    }

    /**
     * Connects to the target, detects standalone/cluster (unless the target says), reads the
     * topology, probes the capabilities and opens the pipelined connections.
     */
    public static RedisWriter open(RedisTarget target, WriterConfig config) throws IOException {
        boolean cluster;
        try (RedisConnection seed = RedisConnection.open(target.seed(), target)) {
            cluster = switch (target.mode()) {
                case CLUSTER -> true;
                case STANDALONE -> false;
                case AUTO -> detectCluster(seed);
            };
        }
        RedisWriter w = new RedisWriter(target, config, cluster);
        try {
            w.start();
            return w;
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
    }

    /** {@link #open(RedisTarget, WriterConfig)} with default limits. */
    public static RedisWriter open(String url) throws IOException {
        return open(RedisTarget.parse(url), WriterConfig.defaults());
    }

    static boolean detectCluster(RedisConnection c) throws IOException {
        RespReply info = c.call("INFO", "cluster");
        if (!info.isError()) {
            return info.asText().contains("cluster_enabled:1");
        }
        // INFO not allowed: CLUSTER INFO fails on a standalone server.
        RespReply ci = c.call("CLUSTER", "INFO");
        if (ci instanceof RespReply.Error e && e.message().contains("cluster support disabled")) {
            return false;
        }
        if (!ci.isError()) {
            return true;
        }
        throw new IOException("cannot tell whether " + c.address() + " is a cluster (INFO and CLUSTER INFO refused: "
                + ci.describe() + "); set the mode explicitly");
    }

    private void start() throws IOException {
        router.refresh();
        NodeAddress probeNode = router.cluster() ? router.primaries().stream().findFirst()
                .orElseThrow(() -> new IOException("the cluster at " + target.seed() + " has no primary serving slots"))
                : target.seed();
        try (RedisConnection c = RedisConnection.open(probeNode, target)) {
            caps = CapabilityProbe.probe(c, router.cluster(), s -> probeNode.equals(router.owner(s)));
        }
        router.connectPrimaries();
        LOG.info("writer open on {}: {} {} ({} primaries), RESTORE accepts RDB {}{}{}", target,
                router.cluster() ? "cluster" : "standalone", caps.version(), router.primaries().size(),
                caps.restoreRdbVersion(), caps.modules().isEmpty() ? "" : ", modules " + caps.modules(),
                caps.hashFieldTtl() ? ", hash-field TTLs" : "");
    }

    /** What the target accepts (probed at open). */
    public TargetCapabilities capabilities() {
        return caps;
    }

    public boolean isCluster() {
        return router.cluster();
    }

    public WriterMetrics metrics() {
        return metrics;
    }

    /** Commands submitted and not yet acknowledged or failed. */
    public int outstanding() {
        return budget.outstanding();
    }

    /**
     * Hands a command over. Blocks while the outstanding limits (or the rate limit) are reached.
     *
     * @throws IllegalArgumentException for a database the target does not have (any db but 0 on a
     *     cluster), or a slot that is not the key's
     * @throws CommandFailedException or {@link PossibleLossException} once the writer has failed
     */
    public void submit(RedisCommand command) throws InterruptedException {
        checkUsable();
        validate(command);
        int weight = command.weight();
        if (rateLimiter != null) {
            rateLimiter.acquire(weight);
        }
        long charge = budget.chargeOf(weight);
        budget.acquire(charge);
        metrics.submitted.increment();
        slots.submit(new Pending(command, charge));
    }

    private void validate(RedisCommand c) {
        if (c.key() == null || c.args() == null || c.args().length == 0) {
            throw new IllegalArgumentException("a command needs a key and a name: " + c);
        }
        if (changesConnectionState(c.args()[0])) {
            throw new IllegalArgumentException(c.name() + " changes the connection's state (database, transaction, login…), "
                    + "which the writer manages itself: not accepted as a command (key '" + text(c.key()) + "')");
        }
        if (c.slot() != Slots.slot(c.key())) {
            throw new IllegalArgumentException("slot " + c.slot() + " is not the slot of key '" + text(c.key()) + "' (" + Slots.slot(c.key()) + ")");
        }
        int db = c.db();
        if (db == 0) {
            return;
        }
        if (router.cluster()) {
            throw new IllegalArgumentException("db " + db + " on a cluster target (a cluster has only db 0): " + c.name() + " '" + text(c.key()) + "'");
        }
        synchronized (validDatabases) {
            if (db > 0 && validDatabases.get(db)) {
                return;
            }
            int n = caps.databases();
            boolean ok;
            if (n > 0) {
                ok = db > 0 && db < n;
            } else {
                ok = db > 0 && selectable(db);
            }
            if (!ok) {
                throw new IllegalArgumentException("db " + db + " does not exist on " + target + (n > 0 ? " (" + n + " databases)" : "")
                        + ": " + c.name() + " '" + text(c.key()) + "'");
            }
            validDatabases.set(db);
        }
    }

    private boolean selectable(int db) {
        try (RedisConnection c = RedisConnection.open(target.seed(), target)) {
            return !c.call("SELECT", Integer.toString(db)).isError();
        } catch (IOException e) {
            throw new RedisWriteException("cannot check db " + db + " on " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Blocks until every command submitted before the call is acknowledged (or reported failed).
     * With {@link WriterConfig.Builder#waitForReplicas} it then sends {@code WAIT} on every
     * connection that wrote since the last confirmation.
     *
     * @throws ReplicationNotConfirmedException if WAIT could not confirm every write (the writer
     *     stays usable; the writes stay unconfirmed)
     * @throws CommandFailedException or {@link PossibleLossException} once the writer has failed
     */
    public void flush() throws InterruptedException {
        checkUsable();
        budget.awaitEmpty();
        awaitDrains();
        checkUsable();
        List<ReplicationNotConfirmedException> problems = new ArrayList<>();
        if (config.waits()) {
            waitForReplicas(problems);
        } else {
            forEachConnection(c -> {
                long n = c.unconfirmed.get();
                c.unconfirmed.addAndGet(-n);
            });
        }
        synchronized (lostBeforeWait) {
            problems.addAll(lostBeforeWait);
            lostBeforeWait.clear();
        }
        checkUsable();
        if (!problems.isEmpty()) {
            ReplicationNotConfirmedException first = problems.get(0);
            for (int i = 1; i < problems.size(); i++) {
                first.addSuppressed(problems.get(i));
            }
            throw first;
        }
    }

    /** Connections that broke hand their acknowledged counts over when drained: wait for that. */
    private void awaitDrains() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            boolean pending = false;
            for (Node n : router.nodes()) {
                for (PipelinedConnection c : n.all()) {
                    if (!c.live() && c.unconfirmed.get() > 0) {
                        pending = true;
                    }
                }
            }
            if (!pending || System.nanoTime() - deadline > 0) {
                return;
            }
            Thread.sleep(5);
        }
    }

    private void waitForReplicas(List<ReplicationNotConfirmedException> problems) throws InterruptedException {
        record Sent(PipelinedConnection conn, long confirms, ControlOp op, int replicas) {}
        List<Sent> sent = new ArrayList<>();
        long timeoutMs = config.waitTimeout.toMillis();
        forEachConnection(c -> {
            long n = c.unconfirmed.get();
            int replicas = config.waitReplicas(c.node);
            if (n > 0 && replicas == 0) {
                c.unconfirmed.addAndGet(-n); // auto, and the primary has no replica: nothing to wait for
            } else if (n > 0 && c.live()) {
                ControlOp op = ControlOp.waitFor(replicas, timeoutMs);
                if (c.enqueue(op)) {
                    metrics.waits.increment();
                    sent.add(new Sent(c, n, op, replicas));
                }
            }
        });
        long limit = timeoutMs + target.replyTimeout().toMillis();
        for (Sent s : sent) {
            RespReply r;
            try {
                r = s.op.result.get(limit, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                continue; // the connection broke: its drain reports the unconfirmed writes (lostBeforeWait)
            }
            NodeAddress node = s.conn.node.address;
            if (r instanceof RespReply.Error e) {
                s.conn.unconfirmed.addAndGet(-s.confirms);
                problems.add(new ReplicationNotConfirmedException(node, "WAIT refused (" + e.message() + "); "
                        + s.confirms + " acknowledged writes not confirmed"));
            } else if (r.asLong() < s.replicas) {
                problems.add(new ReplicationNotConfirmedException(node, "only " + r.asLong() + " of " + s.replicas
                        + " replicas acknowledged " + s.confirms + " writes within " + timeoutMs + " ms"));
            } else {
                s.conn.unconfirmed.addAndGet(-s.confirms);
            }
        }
    }

    private void forEachConnection(java.util.function.Consumer<PipelinedConnection> action) {
        for (Node n : router.nodes()) {
            n.all().forEach(action);
        }
    }

    /**
     * Flushes, then deletes every key of the given slots: on a cluster from each slot's primary
     * ({@code CLUSTER COUNTKEYSINSLOT}/{@code GETKEYSINSLOT}), on a standalone target in every
     * database ({@code SCAN} + CRC16). Do not submit meanwhile. Returns the number of keys deleted.
     */
    public long clearSlots(BitSet slotsToClear) throws IOException, InterruptedException {
        flush();
        long n = cleaner.clearSlots(slotsToClear);
        LOG.debug("cleared {} keys from {} slots", n, slotsToClear.cardinality());
        return n;
    }

    /**
     * As {@link #clearSlots(BitSet)}, in the databases {@code dbs} only (a cluster has only db 0).
     */
    public long clearSlots(java.util.Set<Integer> dbs, BitSet slotsToClear) throws IOException, InterruptedException {
        return clearSlots(dbs, slotsToClear, null);
    }

    /**
     * As {@link #clearSlots(java.util.Set, BitSet)} ({@code dbs} null: every database), keeping the
     * keys {@code keep} accepts (null: none kept).
     */
    public long clearSlots(java.util.Set<Integer> dbs, BitSet slotsToClear, java.util.function.Predicate<byte[]> keep) throws IOException, InterruptedException {
        flush();
        long n = cleaner.clearSlots(dbs, slotsToClear, keep);
        LOG.info("cleared {} keys from {} slots of dbs {}", n, slotsToClear.cardinality(), dbs);
        return n;
    }

    /** Databases holding keys on any primary (only db 0 on a cluster). */
    public java.util.SortedSet<Integer> databasesWithKeys() throws IOException {
        return cleaner.databasesWithKeys();
    }

    /** Keys per primary and database ({@code host:port/db} → count); empty for an empty target. */
    public java.util.Map<String, Long> keyCounts() throws IOException {
        return cleaner.keyCounts();
    }

    /**
     * Runs {@code commands} after everything submitted before (flushes first), one by one, and
     * returns their replies in order, error replies included (not thrown). MOVED and ASK are
     * followed and transient errors retried. For the few exchanges whose replies matter (a
     * cross-slot move's DUMP and marker); not for bulk writing.
     */
    public synchronized List<RespReply> call(List<RedisCommand> commands) throws IOException, InterruptedException {
        flush();
        if (controlCalls == null) {
            controlCalls = new ControlCalls(router, target, config);
        }
        return controlCalls.call(commands);
    }

    /** Flushes, then deletes every key whose name starts with {@code prefix} (every db, every primary); returns how many. */
    public long deleteWithPrefix(String prefix) throws IOException, InterruptedException {
        flush();
        return cleaner.deleteWithPrefix(prefix);
    }

    /**
     * {@code FUNCTION LOAD REPLACE library} on every primary (Redis ≥ 7): functions are replicated
     * and persisted with the data, so replicas promoted later have them too.
     */
    public void loadFunctions(String library) throws IOException {
        cleaner.onEveryPrimary("FUNCTION", "LOAD", "REPLACE", library);
    }

    /** {@code FUNCTION DELETE library} on every primary that has it; returns on how many it was deleted. */
    public int deleteFunctions(String library) throws IOException {
        return cleaner.onEveryPrimaryIgnoring("ERR Library not found", "FUNCTION", "DELETE", library);
    }

    /** Flushes, then {@code FLUSHALL} on every primary. Do not submit meanwhile. */
    public void flushAll() throws IOException, InterruptedException {
        flush();
        cleaner.flushAll();
        LOG.info("FLUSHALL on {}", router.primaries());
    }

    /** Flushes, then {@code FLUSHDB} of {@code db} on every primary (db 0 only on a cluster). */
    public void flushDb(int db) throws IOException, InterruptedException {
        flush();
        cleaner.flushDb(db);
        LOG.info("FLUSHDB {} on {}", db, router.primaries());
    }

    /**
     * Stops every connection. Commands not yet acknowledged are abandoned (call {@link #flush}
     * first); their number is logged.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        int left = budget.outstanding();
        budget.close();
        router.closeAll();
        recovery.shutdownNow();
        synchronized (this) {
            if (controlCalls != null) {
                controlCalls.close();
            }
        }
        if (left > 0) {
            LOG.warn("writer on {} closed with {} commands not acknowledged", target, left);
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("the writer is closed");
        }
        RedisWriteException f = failure.get();
        if (f != null) {
            throw f;
        }
    }

    private void commandFailed(Pending p, CommandFailure.Reason reason, String reply, NodeAddress node) {
        // attempts: failed deliveries, plus the one just refused
        CommandFailure f = new CommandFailure(p.command, reason, reply, node, p.attempts + (reason == CommandFailure.Reason.REFUSED ? 1 : 0));
        metrics.failure(f.label());
        if (loggedFailureKinds.putIfAbsent(f.label(), Boolean.TRUE) == null) {
            LOG.warn("first {} failure: {}", f.label(), f);
        }
        FailureHandler.Decision d;
        try {
            d = config.failureHandler.onCommandFailure(f);
        } catch (RuntimeException e) {
            LOG.error("failure handler threw on {}", f, e);
            d = FailureHandler.Decision.FAIL;
        }
        if (d != FailureHandler.Decision.CONTINUE) {
            failure.compareAndSet(null, new CommandFailedException(f));
        }
    }

    private void possibleLoss(PossibleLoss loss) {
        metrics.possibleLosses.increment();
        LOG.warn("{}", loss);
        FailureHandler.Decision d;
        try {
            d = config.failureHandler.onPossibleLoss(loss);
        } catch (RuntimeException e) {
            LOG.error("failure handler threw on {}", loss, e);
            d = FailureHandler.Decision.FAIL;
        }
        if (d != FailureHandler.Decision.CONTINUE) {
            failure.compareAndSet(null, new PossibleLossException(loss));
        }
    }

    private void connectionLost(PipelinedConnection c, long unconfirmed, List<ControlOp> ops, String cause) {
        // Without WAIT no acknowledged write is ever known to be on a replica: any of them may go with the process.
        if (config.waitReplicas(c.node) > 0 ? unconfirmed > 0 : c.acknowledgedTotal > 0) {
            losses.connectionLost(c.node, c.runId, unconfirmed, cause);
            if (suspectWatch.compareAndSet(false, true)) {
                recovery.execute(this::watchSuspects);
            }
        }
        if (unconfirmed > 0) {
            if (config.waitReplicas(c.node) > 0) {
                synchronized (lostBeforeWait) {
                    lostBeforeWait.add(new ReplicationNotConfirmedException(c.node.address,
                            "connection lost (" + cause + ") before WAIT confirmed " + unconfirmed + " acknowledged writes"));
                }
            }
        }
        PipelinedConnection.failControlOps(ops);
    }

    /**
     * Settles suspicions even when no command goes to the suspect's slots: re-reads the topology
     * (a suspect no longer primary is reported) and reconnects to suspects still listed (the
     * reconnect compares run_ids), every 250 ms while any remain.
     */
    private void watchSuspects() {
        if (closed) {
            return;
        }
        List<NodeAddress> suspects = losses.suspects();
        if (suspects.isEmpty()) {
            suspectWatch.set(false);
            if (losses.suspects().isEmpty() || !suspectWatch.compareAndSet(false, true)) {
                return;
            }
        }
        router.refreshIfOlderThan(System.nanoTime());
        losses.primaries(router.primaries());
        for (NodeAddress a : losses.suspects()) {
            if (router.primaries().contains(a)) {
                try {
                    router.connect(a, 0, 0);
                } catch (IOException e) {
                    // still unreachable: the topology will tell when its replica took over
                }
            }
        }
        recovery.schedule(this::watchSuspects, 250, TimeUnit.MILLISECONDS);
    }

    private static final byte[][] CONNECTION_STATE_COMMANDS = {
        b("SELECT"), b("MULTI"), b("EXEC"), b("DISCARD"), b("WATCH"), b("UNWATCH"), b("AUTH"), b("HELLO"),
        b("RESET"), b("QUIT"), b("ASKING"), b("READONLY"), b("READWRITE"), b("CLIENT"), b("SWAPDB")
    };

    /** SELECT, MULTI/EXEC, AUTH… would break the connection's database or the reply matching. */
    static boolean changesConnectionState(byte[] name) {
        if (name.length < 4 || name.length > 9) {
            return false;
        }
        outer:
        for (byte[] f : CONNECTION_STATE_COMMANDS) {
            if (f.length != name.length) {
                continue;
            }
            for (int i = 0; i < f.length; i++) {
                if ((name[i] & 0xDF) != f[i]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }
}
