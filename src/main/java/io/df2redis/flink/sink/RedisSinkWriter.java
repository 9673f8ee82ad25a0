package io.df2redis.flink.sink;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.flink.job.Df2RedisOptions;
import io.df2redis.flink.job.InvalidSettingException;
import io.df2redis.flink.job.SkipReporter;
import io.df2redis.flink.job.TargetMarker;
import io.df2redis.flink.job.TranslateSettings;
import io.df2redis.flink.job.WriterSettings;
import io.df2redis.flink.record.ReplicationRecord;
import io.df2redis.redis.CommandFailedException;
import io.df2redis.redis.CommandFailure;
import io.df2redis.redis.FailureHandler;
import io.df2redis.redis.RedisCommand;
import io.df2redis.redis.RedisWriter;
import io.df2redis.redis.Slots;
import io.df2redis.redis.TargetCapabilities;
import io.df2redis.resp.RespReply;
import io.df2redis.translate.AppliedPositions;
import io.df2redis.translate.CrossSlotMove;
import io.df2redis.translate.SlotApplier;
import io.df2redis.translate.Watermarks;
import io.df2redis.translate.SkipReport;
import io.df2redis.translate.SlotCommand;
import io.df2redis.translate.TargetFlush;
import io.df2redis.translate.TargetIo;
import io.df2redis.translate.TargetProfile;
import io.df2redis.translate.TranslateConfig;
import io.df2redis.translate.TranslationCounters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer subtask: barrier ({@link WriterBarriers}) → translation ({@link SlotApplier}) →
 * pipelined Redis writer ({@link RedisWriter}). Runs on the task's mailbox thread; never waits on
 * another writer subtask (parked slots are polled from a timer).
 */
final class RedisSinkWriter implements StatefulSinkWriter<ReplicationRecord, RedisSinkState>, WriterBarriers.Actions {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSinkWriter.class);
    private static final long POLL_INTERVAL_MS = 50;

    private final RedisSink.Config config;
    private final int subtask;
    private final BitSet ownedSlots;
    /** The application-mode marker's job id when this writer owns the marker's slot, else null. */
    private final String targetMarkerJobId;
    private final RedisWriter redis;
    private final TargetProfile profile;
    private final TranslationCounters counters = new TranslationCounters();
    private final SlotApplier applier;
    private final WriterBarriers barriers;
    private final ProcessingTimeService timers;
    private final SinkMetrics metrics;
    private final AtomicLong refusedSkipped = new AtomicLong();
    private final AtomicLong replayDuplicates = new AtomicLong();
    private final boolean exactlyOnce;
    private final Watermarks watermarks;
    /** Staging and marker keys of cross-slot moves, kept when a global command clears this writer's slots. */
    private final String internalKeyPrefix;
    private final io.df2redis.translate.FilterConfig filter;
    private volatile boolean closed;

    RedisSinkWriter(WriterInitContext ctx, RedisSink.Config config, Collection<RedisSinkState> restored) throws IOException {
        this.config = config;
        this.subtask = ctx.getTaskInfo().getIndexOfThisSubtask();
        checkRuntimeParallelism(ctx.getTaskInfo().getNumberOfParallelSubtasks(), ctx.getTaskInfo().getMaxNumberOfParallelSubtasks(),
                config);
        this.ownedSlots = ownedSlots(subtask, config.parallelism(), config.maxParallelism());
        this.targetMarkerJobId = config.settings().isSet(Df2RedisOptions.TARGET_PREPARED_FOR_JOB) && ownedSlots.get(TargetMarker.SLOT)
                ? config.settings().get(Df2RedisOptions.TARGET_PREPARED_FOR_JOB) : null;
        this.timers = ctx.getProcessingTimeService();
        String where = "writer " + subtask;
        SkipReporter skips = new SkipReporter(where);
        this.redis = RedisWriter.open(WriterSettings.target(config.settings()),
                WriterSettings.writerConfig(config.settings(), failureHandler(where, skips)));
        try {
            TargetCapabilities caps = redis.capabilities();
            this.profile = WriterSettings.profile(caps);
            TranslateConfig tc;
            try {
                tc = TranslateSettings.translateConfig(config.settings()).validate(profile);
            } catch (InvalidSettingException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(e.getMessage().split("[=:]", 2)[0].trim(), e.getMessage());
            }
            this.exactlyOnce = config.settings().get(Df2RedisOptions.SINK_DELIVERY_GUARANTEE) == Df2RedisOptions.DeliveryGuarantee.EXACTLY_ONCE;
            this.watermarks = new Watermarks(tc.internalKeyPrefix(), exactlyOnce && loadFunctions());
            this.internalKeyPrefix = tc.internalKeyPrefix();
            this.filter = tc.filter();
            AppliedPositions positions = null;
            if (exactlyOnce) {
                // A restore replays what followed the checkpoint: the target's watermarks say what of it is there.
                positions = restored.isEmpty() ? new AppliedPositions(ownedSlots.nextSetBit(0)) : loadPositions();
            }
            this.applier = new SlotApplier(tc, profile, System::currentTimeMillis, counters, skips, new Io(), positions, watermarks);
            this.barriers = restore(restored);
            this.metrics = new SinkMetrics(ctx.metricGroup(), redis.metrics(), counters, barriers, applier, refusedSkipped,
                    replayDuplicates);
        } catch (IOException | RuntimeException e) {
            redis.close();
            throw e;
        }
        LOG.info("writer {}/{}: {} slots, target {} (Redis {}, RDB {} for RESTORE{})", subtask, config.parallelism(),
                ownedSlots.cardinality(), WriterSettings.describe(config.settings()), profile.version()[0] + "." + profile.version()[1],
                profile.rdbVersion(), profile.cluster() ? ", cluster" : "");
        schedulePoll();
    }

    private WriterBarriers restore(Collection<RedisSinkState> restored) throws IOException {
        int epoch = 0;
        List<ReplicationRecord> held = new ArrayList<>();
        for (RedisSinkState s : restored) {
            if (s.holdsRecords() && s.parallelism() != config.parallelism()) {
                throw new IOException("writer state of subtask " + s.subtask() + " of " + s.parallelism()
                        + " holds records of its slots (a global command or a cross-slot move was in progress);"
                        + " it cannot be restored at parallelism " + config.parallelism()
                        + ". Restore at parallelism " + s.parallelism() + ", or take the savepoint again once nothing is held.");
            }
            epoch = Math.max(epoch, s.resetEpoch());
            held.addAll(s.barrierRecords());
            if (s.applierState().length > 0) {
                applier.restoreState(s.applierState());
            }
        }
        try {
            return WriterBarriers.restore(epoch, held, this);
        } catch (Exception e) {
            throw new IOException("restoring the writer barrier failed", e);
        }
    }

    /**
     * Replies that mean "this was applied already": after a failure the records since the last
     * checkpoint are replayed (at-least-once), and Redis refuses to add a stream entry or group a
     * second time. The state is at or past what the command would make, so it is counted and passed.
     */
    static boolean isReplayDuplicate(CommandFailure f) {
        if (f.reason() != CommandFailure.Reason.REFUSED || f.reply() == null) {
            return false;
        }
        String r = f.reply();
        return r.startsWith("BUSYGROUP")
                || (r.startsWith("ERR The ID specified in XADD is equal or smaller than the target stream top item"))
                || (r.startsWith("ERR The ID specified in XSETID is smaller than"));
    }

    private FailureHandler failureHandler(String where, SkipReporter skips) {
        boolean failOnRefused = config.settings().get(Df2RedisOptions.WRITER_ON_REFUSED) == Df2RedisOptions.OnRefused.FAIL;
        return f -> {
            if (isReplayDuplicate(f)) {
                if (replayDuplicates.getAndIncrement() == 0) {
                    LOG.info("{}: db {} key {}: {} answered '{}': already applied before a restart (counted as a replayed duplicate)",
                            where, f.command().db(), f.keyText(), f.command().name(), f.reply());
                }
                return FailureHandler.Decision.CONTINUE;
            }
            if (failOnRefused) {
                return FailureHandler.Decision.FAIL;
            }
            reportSkipped(skips, f);
            return FailureHandler.Decision.CONTINUE;
        };
    }

    /** writer.on-refused=skip: reported per key (rate-limited log line) and counted. */
    private void reportSkipped(SkipReporter skips, CommandFailure f) {
        refusedSkipped.incrementAndGet();
        skips.onSkip(new SkipReport(f.command().db(), f.key(), f.command().name(), null,
                (f.reason() == CommandFailure.Reason.REFUSED ? "refused by " : f.reason() + " at ") + f.node() + ": "
                        + f.reply() + " (writer.on-refused=skip)"));
    }

    // ------------------------------------------------------------------ input

    @Override
    public void write(ReplicationRecord record, Context context) throws IOException, InterruptedException {
        try {
            barriers.offer(record, this);
        } catch (RuntimeException e) {
            throw endIfRefused(e);
        } catch (IOException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** Error codes a Redis may answer with for a while and then not (memory, role, persistence). */
    private static final Set<String> PASSING_REFUSALS = Set.of("OOM", "READONLY", "NOREPLICAS", "MISCONF", "MASTERDOWN");

    /**
     * A command Redis refused (writer.on-refused=fail) would be refused again after a restart, which
     * in a full sync would also clear the target and sync up to the same key: such a failure ends
     * the job without restarts. Refusals that can pass (OOM until maxmemory is raised, READONLY
     * during a failover…) keep the restart strategy.
     */
    private RuntimeException endIfRefused(RuntimeException e) {
        CommandFailure f = ExceptionUtils.findThrowable(e, CommandFailedException.class).map(CommandFailedException::failure)
                .orElse(null);
        if (f == null || f.reason() != CommandFailure.Reason.REFUSED || PASSING_REFUSALS.contains(f.code())
                || (f.reply() != null && f.reply().contains("Function not found"))) {
            // The last: a primary that lost the exactly-once library (a new node, a restart without
            // persistence); the restarted writers load it again.
            return e;
        }
        LOG.error("writer {}: the job ends, a restart would send the same command: {}", subtask, f);
        return new SuppressRestartsException(new IllegalStateException("Redis refused " + f
                + "; writer.on-refused=fail ends the job. Set writer.on-refused=skip to report such keys"
                + " and go on (or fix the target), then resume from the last retained checkpoint", e));
    }

    @Override
    public void apply(ReplicationRecord record) {
        if (record.kind() == ReplicationRecord.Kind.BATCH) {
            for (FlowEvent e : record.batch()) {
                if (!(e instanceof FlowEvent.SnapshotObject o)) {
                    throw new IllegalStateException("writer " + subtask + ": a batch of flow " + record.flow() + " holds " + e);
                }
                applier.snapshot(o);
            }
            return;
        }
        FlowEvent e = record.event();
        if (e instanceof FlowEvent.SnapshotObject o) {
            applier.snapshot(o);
        } else if (e instanceof FlowEvent.ObjectPart p) {
            applier.part(p);
        } else if (e instanceof FlowEvent.JournalCommand c) {
            SlotCommand unit = new SlotCommand(c.db(), record.slot(), record.routingKey(), c.args());
            if (c.lsn() >= 0) {
                applier.journal(unit, record.flow(), c.lsn(), SlotApplier.opId(barriers.resetEpoch(), record.flow(), c.lsn()));
            } else {
                applier.journal(unit, record.opId());
            }
        } else {
            throw new IllegalStateException("writer " + subtask + ": unexpected record " + record);
        }
    }

    @Override
    public void applyGlobal(FlowEvent.GlobalCommand command, Map<Integer, Long> lsnByFlow) {
        applier.global(command, lsnByFlow);
    }

    @Override
    public void resetEpoch(int epoch, boolean clearTarget) throws Exception {
        redis.flush();
        applier.reset();
        if (clearTarget) {
            // Moves of the new epoch another writer already staged in these slots stay.
            long n = redis.clearSlots(null, ownedSlots, keptByClear(CrossSlotMove.moveKeyOfEpoch(internalKeyPrefix, epoch)));
            keepTargetMarker();
            LOG.info("writer {}: full sync (epoch {}): cleared {} keys of its {} slots", subtask, epoch, n, ownedSlots.cardinality());
        } else {
            long n = exactlyOnce ? dropWatermarks() : 0;
            LOG.info("writer {}: full sync (epoch {}): target kept (overwrite){}", subtask, epoch,
                    exactlyOnce ? ", " + n + " watermark keys of its slots deleted" : "");
        }
    }

    /**
     * Loads the exactly-once function library on every primary (Redis ≥ 7; the writers of a job load
     * the same text, REPLACE makes that harmless). Without it (an older Redis, or an ACL without
     * FUNCTION) units run as EVAL of the wrapping script, which costs Redis about twice as much.
     */
    private boolean loadFunctions() {
        if (profile.version()[0] < 7) {
            LOG.info("writer {}: exactly-once units run as EVAL (Redis {}.{} has no functions)", subtask, profile.version()[0],
                    profile.version()[1]);
            return false;
        }
        try {
            redis.loadFunctions(Watermarks.library());
            return true;
        } catch (IOException e) {
            LOG.warn("writer {}: exactly-once units run as EVAL, loading the function library failed: {}", subtask, e.getMessage());
            return false;
        }
    }

    /**
     * Reads the watermarks of this writer's slots: what a restore replays at or below them was
     * applied before the failure. One HGETALL per slot and database holding keys, before any record.
     */
    private AppliedPositions loadPositions() throws IOException {
        AppliedPositions positions = new AppliedPositions(ownedSlots.nextSetBit(0));
        long started = System.nanoTime();
        int found = 0;
        try {
            for (int db : redis.databasesWithKeys()) { // a standalone target's watermarks may be in any
                List<RedisCommand> reads = new ArrayList<>();
                List<Integer> slots = new ArrayList<>();
                for (int slot = ownedSlots.nextSetBit(0); slot >= 0; slot = ownedSlots.nextSetBit(slot + 1)) {
                    byte[] key = watermarks.key(slot);
                    reads.add(new RedisCommand(db, slot, key, new byte[][] {"HGETALL".getBytes(StandardCharsets.US_ASCII), key}));
                    slots.add(slot);
                }
                List<RespReply> replies = redis.call(reads);
                for (int i = 0; i < replies.size(); i++) {
                    RespReply r = replies.get(i);
                    if (r instanceof RespReply.Error err) {
                        throw new IOException("reading watermark " + new String(reads.get(i).key(), StandardCharsets.UTF_8)
                                + " in db " + db + " failed: " + err.message());
                    }
                    if (r instanceof RespReply.Array a && !a.elements().isEmpty()) {
                        List<byte[]> fields = new ArrayList<>(a.elements().size());
                        for (RespReply f : a.elements()) {
                            fields.add(((RespReply.Bulk) f).bytes());
                        }
                        positions.load(db, slots.get(i), fields);
                        found++;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the watermarks", e);
        }
        LOG.info("writer {}: exactly-once: read the watermarks of {} slots ({} hold one) in {} ms", subtask,
                ownedSlots.cardinality(), found, (System.nanoTime() - started) / 1_000_000);
        return positions;
    }

    /** Deletes this writer's watermark keys in every database (a full sync that keeps the target). */
    private long dropWatermarks() throws IOException, InterruptedException {
        long n = 0;
        for (int db : redis.databasesWithKeys()) { // a standalone target's watermarks may be in any
            for (int slot = ownedSlots.nextSetBit(0); slot >= 0; slot = ownedSlots.nextSetBit(slot + 1)) {
                byte[] key = watermarks.key(slot);
                redis.submit(new RedisCommand(db, slot, key, new byte[][] {"DEL".getBytes(StandardCharsets.US_ASCII), key}));
                n++;
            }
        }
        redis.flush();
        return n;
    }

    /**
     * Slots belong to writer subtasks by Flink's key-group assignment, which the readers also use
     * to address one copy of a global command to each writer: the runtime must run the sink with the
     * parallelism and max parallelism the job was built for (not so under the adaptive scheduler's
     * rescaling or a parallelism override). A restart would meet the same: no restarts.
     */
    static void checkRuntimeParallelism(int parallelism, int maxParallelism, RedisSink.Config config) {
        if (parallelism != config.parallelism() || maxParallelism != config.maxParallelism()) {
            throw new SuppressRestartsException(new IllegalStateException("the Redis sink runs with parallelism " + parallelism
                    + " and max parallelism " + maxParallelism + " but the job was built for " + config.parallelism() + " and "
                    + config.maxParallelism() + " (sink.parallelism; the job pins max parallelism): the slots each writer owns"
                    + " and the copies of FLUSHALL sent to each would not match. Run without parallelism overrides or"
                    + " rescaling (adaptive scheduler), or set sink.parallelism instead"));
        }
    }

    @Override
    public void dropped(ReplicationRecord record) {
        metrics.dropped();
    }

    // ------------------------------------------------------------------ checkpoints

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        try {
            flushAll(endOfInput);
        } catch (RuntimeException e) {
            throw endIfRefused(e);
        }
    }

    private void flushAll(boolean endOfInput) throws IOException, InterruptedException {
        applier.poll();
        if (endOfInput) {
            // The last records may wait on a cross-slot move's other half: finish them before the end.
            while (!applier.idle()) {
                redis.flush();
                applier.poll();
                if (!applier.idle()) {
                    Thread.sleep(POLL_INTERVAL_MS);
                }
            }
        }
        redis.flush();
    }

    @Override
    public List<RedisSinkState> snapshotState(long checkpointId) {
        return List.of(new RedisSinkState(subtask, config.parallelism(), barriers.resetEpoch(), barriers.stateForCheckpoint(),
                applier.idle() ? new byte[0] : applier.snapshotState(checkpointId)));
    }

    private void schedulePoll() {
        if (closed) {
            return;
        }
        timers.registerTimer(timers.getCurrentProcessingTime() + POLL_INTERVAL_MS, ts -> {
            if (!closed) {
                applier.poll();
                schedulePoll();
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        LOG.info("writer {} closing: {} commands submitted, {} acknowledged, {} older-epoch records dropped, {} held behind a"
                        + " global command{}, {} slots parked{}, translation {}", subtask, redis.metrics().submitted(),
                redis.metrics().acknowledged(), metrics.droppedCount(), barriers.heldCount(),
                barriers.globalPending() ? " (pending: " + barriers.describePending() + ")" : "", applier.parkedSlots(),
                applier.idle() ? "" : " (" + applier.describeParked() + ")", counters);
        redis.close();
    }

    // ------------------------------------------------------------------ the target, for the translation

    /** The translation's view of the writer. */
    private final class Io implements TargetIo {
        @Override
        public void submit(RedisCommand command) {
            try {
                redis.submit(command);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing to Redis", e);
            }
        }

        @Override
        public List<RespReply> call(List<RedisCommand> commands) {
            try {
                return redis.call(commands);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing to Redis", e);
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        @Override
        public void flush(TargetFlush flush) {
            try {
                if (config.parallelism() == 1 && flush.slotRanges().isEmpty() && !filter.selectsKeys()) {
                    // The only writer: the target's own flush is exact and fast.
                    if (flush.all()) {
                        redis.flushAll();
                    } else {
                        for (int db : flush.dbs()) {
                            redis.flushDb(db);
                        }
                    }
                    keepTargetMarker();
                    return;
                }
                // Several writers: each clears only the slots it owns, so none wipes another's newer writes.
                BitSet slots = (BitSet) ownedSlots.clone();
                if (!flush.slotRanges().isEmpty()) {
                    BitSet ranges = new BitSet(Slots.COUNT);
                    for (int[] r : flush.slotRanges()) {
                        ranges.set(r[0], r[1] + 1);
                    }
                    slots.and(ranges);
                }
                Set<Integer> dbs = flush.all() ? null : new HashSet<>(flush.dbs());
                long n = redis.clearSlots(dbs, slots, keptByClear(CrossSlotMove.anyMoveKey(internalKeyPrefix)));
                keepTargetMarker();
                LOG.info("writer {}: {}: cleared {} keys of its slots", subtask, flush, n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while flushing Redis", e);
            } catch (IOException e) {
                throw new IllegalStateException("flushing the target for " + flush + " failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * What a clear of this writer's slots keeps: the given move keys and, with key filters or
     * renaming, every key the job does not write (the job's own watermark keys are cleared as
     * without filters).
     */
    private java.util.function.Predicate<byte[]> keptByClear(java.util.function.Predicate<byte[]> moves) {
        if (!filter.selectsKeys()) {
            return moves;
        }
        return k -> moves.test(k) || (!filter.ownsTargetKey(k) && !isInternal(k));
    }

    /** The job's own keys (watermarks, markers): a filtered flush clears them as an unfiltered one does. */
    private boolean isInternal(byte[] key) {
        return new String(key, 0, Math.min(key.length, internalKeyPrefix.length()), StandardCharsets.ISO_8859_1)
                .equals(internalKeyPrefix);
    }

    /**
     * Puts the application-mode target marker back after this writer cleared or flushed its part of
     * the target (only the writer owning the marker's slot does), so that main() running again
     * after a JobManager failover still finds it (see {@link TargetMarker}).
     */
    private void keepTargetMarker() throws IOException, InterruptedException {
        if (targetMarkerJobId != null) {
            TargetMarker.write(redis, targetMarkerJobId);
        }
    }

    static BitSet ownedSlots(int subtask, int parallelism, int maxParallelism) {
        BitSet owned = new BitSet(Slots.COUNT);
        for (int slot = 0; slot < Slots.COUNT; slot++) {
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(slot, maxParallelism, parallelism) == subtask) {
                owned.set(slot);
            }
        }
        return owned;
    }
}
