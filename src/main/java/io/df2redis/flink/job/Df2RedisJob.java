package io.df2redis.flink.job;

import io.df2redis.dragonfly.session.DragonflyEndpoint;
import io.df2redis.dragonfly.session.MasterConnection;
import io.df2redis.flink.record.ReplicationRecord;
import io.df2redis.flink.sink.RedisSink;
import io.df2redis.flink.source.DragonflySource;
import io.df2redis.redis.RedisWriter;
import io.df2redis.resp.RespReply;
import io.df2redis.translate.Watermarks;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The df2redis job: {@code DragonflySource → keyBy(slot) → RedisSink}. Run with {@code flink run
 * df2redis-job.jar --source.url … --target.url …} on a cluster, or {@code java -jar
 * df2redis-local.jar …} on an embedded MiniCluster.
 */
public final class Df2RedisJob {
    private static final Logger LOG = LoggerFactory.getLogger(Df2RedisJob.class);
    /**
     * Pinned so that slot → writer subtask stays the same across restarts and rescaling (the source
     * addresses copies of global commands to each writer through it).
     */
    public static final int MAX_PARALLELISM = 1024;
    /** Used when the cluster configures no checkpointing: the sink flushes and flows ACK at each. */
    static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 10_000;
    /**
     * Used when nothing configures a checkpoint timeout (Flink's own is 10 minutes). A checkpoint here
     * holds little state; what it waits for is the sink's flush, which a target in failover can hold
     * for the writer's retry timeout (60 s). The bound matters because of a Flink 2.3 hang: an
     * operator event the enumerator sends while a checkpoint is under way, to a reader whose task
     * then fails, keeps the next checkpoint from ever completing until it times out, and no flow ACKs
     * meanwhile (StuckCoordinatorCheckpointTest).
     */
    public static final Duration DEFAULT_CHECKPOINT_TIMEOUT = Duration.ofMinutes(2);

    private Df2RedisJob() {}

    public static void main(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--help") || (args.length == 1 && args[0].equals("-h"))) {
            System.out.print(SettingsHelp.help());
            System.exit(0);
            return;
        }
        if (args.length == 1 && args[0].equals("--version")) {
            System.out.println("df2redis " + SettingsHelp.version());
            System.exit(0);
            return;
        }
        JobSettings settings;
        try {
            settings = JobSettings.fromArgs(args);
        } catch (InvalidSettingException e) {
            System.err.println("df2redis: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (settings.mode() == Df2RedisOptions.Mode.CLEANUP) {
            try {
                System.out.println("df2redis: " + cleanup(settings));
                System.exit(0);
            } catch (java.io.IOException e) {
                System.err.println("df2redis: cleanup failed: " + e.getMessage());
                System.exit(1);
            }
            return;
        }
        if (settings.mode() == Df2RedisOptions.Mode.VERIFY) {
            System.exit(verify(settings, System.out, System.err));
            return;
        }
        if (settings.mode() == Df2RedisOptions.Mode.CUTOVER) {
            System.exit(cutover(settings, System.out, System.err));
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        LocalStateDir state = null;
        int flows;
        try {
            if (env instanceof LocalStreamEnvironment) {
                state = new LocalStateDir(java.nio.file.Path.of(settings.get(Df2RedisOptions.STATE_DIR)));
                env = embedded(settings, state);
            }
            flows = settings.isSet(Df2RedisOptions.SOURCE_FLOWS) ? settings.get(Df2RedisOptions.SOURCE_FLOWS) : probeFlows(settings);
            settings = prepareTarget(settings, env.getConfiguration());
        } catch (InvalidSettingException e) {
            System.err.println("df2redis: " + e.getMessage());
            System.exit(2);
            return;
        } catch (java.io.IOException e) {
            // Unreachable source or target: one clear line, not a stack trace.
            System.err.println("df2redis: " + e.getMessage());
            System.exit(1);
            return;
        }
        build(env, settings, flows);
        org.apache.flink.api.common.JobExecutionResult result = env.execute(settings.get(Df2RedisOptions.JOB_NAME));
        if (state != null && settings.mode() == Df2RedisOptions.Mode.SNAPSHOT) {
            System.out.println("df2redis: " + snapshotSummary(result.getNetRuntime(), SummaryReporter.totals()));
        }
        if (state != null) {
            // The job ended by itself (a snapshot that reached its cut): nothing is left to resume.
            state.delete();
            LOG.info("job finished; state dir {} removed", state.dir());
        }
    }

    /**
     * The closing line of {@code --mode snapshot} (embedded runner): time, what was written, and what
     * was left out or changed, by reason, from the readers' and writers' translation counters.
     */
    public static String snapshotSummary(long runtimeMs, Map<String, Long> counters) {
        java.util.Set<String> written = java.util.Set.of("snapshot_restored", "snapshot_native", "snapshot_parts",
                "journal_verbatim", "journal_rewritten", "cross_slot_moves", "global_commands", "split");
        long keys = counters.getOrDefault("snapshot_restored", 0L) + counters.getOrDefault("snapshot_native", 0L);
        StringBuilder w = new StringBuilder();
        StringBuilder left = new StringBuilder();
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            StringBuilder to = written.contains(e.getKey()) ? w : left;
            to.append(to.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue());
        }
        return String.format(java.util.Locale.ROOT, "snapshot done in %.1f s: %d whole values written (%s); left out or changed: %s",
                runtimeMs / 1000.0, keys, w, left.length() == 0 ? "nothing" : left);
    }

    /**
     * {@code --mode cleanup}: deletes the job's own keys (everything under {@code
     * translate.internal-key-prefix}) from the target; returns the line to print. Run it once the
     * job is stopped: a running job writes its watermarks again.
     */
    public static String cleanup(JobSettings settings) throws java.io.IOException {
        String prefix = TranslateSettings.translateConfig(settings).internalKeyPrefix();
        try (RedisWriter w = RedisWriter.open(WriterSettings.target(settings),
                WriterSettings.writerConfig(settings, null))) {
            long n = w.deleteWithPrefix(prefix);
            int libraries = w.capabilities().atLeast(7, 0) ? w.deleteFunctions(Watermarks.LIBRARY) : 0;
            return "deleted " + n + " keys named " + prefix + "* from " + WriterSettings.describe(settings)
                    + (libraries > 0 ? " and the function library " + Watermarks.LIBRARY + " from "
                            + libraries + " primaries" : "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException("interrupted", e);
        }
    }

    /**
     * {@code --mode verify}: compares source and target, prints one summary line; returns the exit
     * code: 0 equal, 1 different, 2 bad settings or a side that cannot be read.
     */
    public static int verify(JobSettings settings, java.io.PrintStream out, java.io.PrintStream err) {
        try {
            io.df2redis.verify.Verifier.Result r = new io.df2redis.verify.Verifier(VerifySettings.source(settings, locateMaster(settings)),
                    WriterSettings.target(settings), VerifySettings.config(settings)).run();
            out.println("df2redis verify: " + r.summary()
                    + (r.equal() || settings.get(Df2RedisOptions.VERIFY_REPORT) == null ? ""
                            : "; report: " + settings.get(Df2RedisOptions.VERIFY_REPORT)));
            return r.equal() ? 0 : 1;
        } catch (IllegalArgumentException e) {
            err.println("df2redis verify: " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            err.println("df2redis verify: cannot compare " + settings.sourceUrl().getHost() + ":" + settings.sourceUrl().getPort()
                    + " with " + WriterSettings.describe(settings) + ": " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("df2redis verify: interrupted");
            return 2;
        }
    }

    /**
     * {@code --mode cutover}: see {@link io.df2redis.cutover.Cutover}; prints each repaired key and one
     * closing line. Returns the exit code: 0 ready to switch (writes paused on the source), 1 the
     * cut-over failed (the source un-paused), 2 bad settings.
     */
    public static int cutover(JobSettings settings, java.io.PrintStream out, java.io.PrintStream err) {
        try {
            io.df2redis.flink.source.DragonflySourceConfig source = new io.df2redis.flink.source.DragonflySourceConfig(settings, 1, 1, 1);
            DragonflyEndpoint endpoint = locateMaster(settings);
            io.df2redis.cutover.Cutover.Settings s = new io.df2redis.cutover.Cutover.Settings(endpoint, source.connectConfig(),
                    VerifySettings.source(settings, endpoint), WriterSettings.target(settings), VerifySettings.config(settings),
                    settings.get(Df2RedisOptions.CUTOVER_WRITE_PAUSE), settings.get(Df2RedisOptions.CUTOVER_CATCH_UP_TIMEOUT),
                    settings.get(Df2RedisOptions.CUTOVER_TAKEOVER),
                    io.df2redis.translate.TakeoverRequest.key(TranslateSettings.translateConfig(settings).internalKeyPrefix()));
            try (RedisWriter writer = RedisWriter.open(WriterSettings.target(settings), WriterSettings.writerConfig(settings, null))) {
                io.df2redis.translate.TranslateConfig tc = TranslateSettings.translateConfig(settings);
                io.df2redis.translate.TargetProfile profile = WriterSettings.profile(writer.capabilities());
                io.df2redis.cutover.Cutover.Result r = new io.df2redis.cutover.Cutover(s, () -> new io.df2redis.translate.ObjectTranslator(tc,
                        profile, System::currentTimeMillis, new io.df2redis.translate.TranslationCounters(),
                        new SkipReporter("cutover"))).run(out, writer);
                out.println("df2redis cutover: " + r.summary());
                return 0;
            }
        } catch (io.df2redis.cutover.Cutover.CutoverFailedException e) {
            err.println("df2redis cutover: FAILED, writes on the source un-paused: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("df2redis cutover: " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            err.println("df2redis cutover: FAILED (" + e.getMessage() + "); if writes were paused, they were un-paused");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("df2redis cutover: interrupted");
            return 1;
        }
    }

    /**
     * {@code java -jar df2redis-local.jar}: the embedded MiniCluster keeps its checkpoints in
     * {@code --state.dir} and resumes from the newest one when the same command runs again.
     */
    public static StreamExecutionEnvironment embedded(JobSettings settings, LocalStateDir state) throws java.io.IOException {
        state.claim(settings);
        Optional<java.nio.file.Path> resume = state.newestCheckpoint();
        if (resume.isPresent()) {
            LOG.info("resuming from checkpoint {} (delete {} to start over)", resume.get(), state.dir());
            System.err.println("df2redis: resuming from " + resume.get() + " (delete " + state.dir() + " to start over)");
        } else {
            LOG.info("new job; its checkpoints go to {}", state.dir());
        }
        Configuration flink = state.flinkConfig(resume);
        flink.setString("metrics.reporter." + SummaryReporter.NAME + ".factory.class", SummaryReporter.Factory.class.getName());
        if (settings.isSet(Df2RedisOptions.METRICS_PORT)) {
            int port = settings.get(Df2RedisOptions.METRICS_PORT);
            flink.setString("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            flink.setString("metrics.reporter.prom.port", Integer.toString(port));
            LOG.info("metrics for Prometheus on port {} (/metrics)", port);
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(flink);
    }

    /**
     * Applies the target policy at submission (DESIGN §6), except when resuming from a savepoint;
     * returns the settings the job runs with (in application mode, naming the target's marker).
     */
    public static JobSettings prepareTarget(JobSettings settings, ReadableConfig flinkConfig) throws java.io.IOException {
        // PipelineOptionsInternal: the id Flink fixes in application mode (HA, operator), where a
        // JobManager failover runs main() again.
        Optional<String> fixedJobId = flinkConfig.getOptional(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID);
        if (flinkConfig.getOptional(StateRecoveryOptions.SAVEPOINT_PATH).isPresent()) {
            LOG.info("resuming from a savepoint: the target policy was applied by the first run");
        } else {
            TargetPreparation.apply(settings, fixedJobId);
        }
        // The writers put the marker back whenever they clear or flush the target.
        return fixedJobId.map(id -> settings.with(Df2RedisOptions.TARGET_PREPARED_FOR_JOB.key(), id)).orElse(settings);
    }

    /** Adds the job's operators to {@code env}. */
    public static void build(StreamExecutionEnvironment env, JobSettings settings, int flows) {
        build(env, settings, flows, UnaryOperator.identity());
    }

    /**
     * As {@link #build(StreamExecutionEnvironment, JobSettings, int)}, with {@code afterSource}
     * applied to the source's stream before the shuffle (tests insert a failing-once operator there).
     */
    public static void build(StreamExecutionEnvironment env, JobSettings settings, int flows,
            UnaryOperator<DataStream<ReplicationRecord>> afterSource) {
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING); // BATCH would sort by key and lose arrival order
        env.setMaxParallelism(MAX_PARALLELISM);
        // Every type on the wire and in state has its own serializer: a Kryo fallback is a bug.
        Configuration noKryo = new Configuration();
        noKryo.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(noKryo);
        if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            env.enableCheckpointing(DEFAULT_CHECKPOINT_INTERVAL_MS);
        }
        configureCheckpointTimeout(env, DEFAULT_CHECKPOINT_TIMEOUT);
        refuseUnalignedCheckpoints(env.getCheckpointConfig().isUnalignedCheckpointsEnabled()
                || env.getConfiguration().get(CheckpointingOptions.ENABLE_UNALIGNED));
        int writers = settings.isSet(Df2RedisOptions.SINK_PARALLELISM) ? settings.get(Df2RedisOptions.SINK_PARALLELISM) : flows;
        DragonflySource source = DragonflySource.builder()
                .settings(settings).flows(flows).writers(writers, MAX_PARALLELISM).build();
        DataStream<ReplicationRecord> records = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "Dragonfly " + source.config().endpoint())
                .uid("dragonfly-source")
                .setParallelism(flows);
        records = afterSource.apply(records);
        records.keyBy(new SlotKeySelector())
                .sinkTo(RedisSink.builder().settings(settings).writers(writers, MAX_PARALLELISM).build())
                .uid("redis-sink")
                .name("Redis " + WriterSettings.describe(settings))
                .setParallelism(writers);
    }

    /** Sets the checkpoint timeout to {@code timeout} unless the job or the cluster configured one. */
    public static void configureCheckpointTimeout(StreamExecutionEnvironment env, Duration timeout) {
        if (env.getConfiguration().getOptional(CheckpointingOptions.CHECKPOINTING_TIMEOUT).isEmpty()) {
            env.getCheckpointConfig().setCheckpointTimeout(timeout.toMillis());
        }
    }

    /**
     * A flow ACKs to Dragonfly the LSN of the last completed checkpoint, which is applied in Redis
     * only if the sink flushed every record before the barrier: with unaligned checkpoints records
     * before it travel in the checkpoint instead, and the master would count writes Redis lacks.
     */
    static void refuseUnalignedCheckpoints(boolean unaligned) {
        if (unaligned) {
            throw new InvalidSettingException(CheckpointingOptions.ENABLE_UNALIGNED.key(),
                    "df2redis needs aligned checkpoints (each flow ACKs the position the sink flushed to Redis"
                            + " before the barrier); set it to false in the Flink configuration");
        }
    }

    private static MasterConnection openProbe(DragonflyEndpoint endpoint, io.df2redis.flink.source.DragonflySourceConfig cfg)
            throws java.io.IOException {
        try {
            return MasterConnection.open(endpoint, cfg.connectConfig(), "probe");
        } catch (java.io.IOException e) {
            throw new java.io.IOException("cannot reach the source " + endpoint + ": " + e.getMessage(), e);
        }
    }

    /** Flows = master shards: the length of {@code DFLY REPLICAOFFSET} (no session is created). */
    /**
     * The source's master: with several addresses, the one that is the master now (waiting up to
     * {@code source.failover-wait} for a promotion), else the one address.
     */
    static DragonflyEndpoint locateMaster(JobSettings settings) throws java.io.IOException {
        io.df2redis.flink.source.DragonflySourceConfig cfg = new io.df2redis.flink.source.DragonflySourceConfig(settings, 1, 1, 1);
        try {
            return io.df2redis.dragonfly.session.MasterLocator.find(cfg.endpoints(), cfg.connectConfig(), cfg.failoverWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException("interrupted while looking for the source's master", e);
        }
    }

    static int probeFlows(JobSettings settings) throws java.io.IOException {
        DragonflyEndpoint endpoint = locateMaster(settings);
        io.df2redis.flink.source.DragonflySourceConfig cfg = new io.df2redis.flink.source.DragonflySourceConfig(settings, 1, 1, 1);
        try (MasterConnection c = openProbe(endpoint, cfg)) {
            io.df2redis.dragonfly.session.SourceIdentity identity;
            try {
                identity = io.df2redis.dragonfly.session.SourceIdentity.read(c);
            } catch (java.io.IOException | io.df2redis.resp.RespProtocolException e) {
                if (e instanceof io.df2redis.resp.RespProtocolException || e.getCause() instanceof io.df2redis.resp.RespProtocolException) {
                    throw new java.io.IOException("the source " + endpoint + " does not speak the Redis protocol (its reply to INFO"
                            + " was not RESP): is --source.url the Dragonfly master's port?", e);
                }
                throw (java.io.IOException) e;
            }
            String notAMaster = identity.problem(endpoint);
            if (notAMaster != null) {
                throw new java.io.IOException(notAMaster);
            }
            RespReply reply = c.call("DFLY", "REPLICAOFFSET");
            if (reply.isError()) {
                throw new java.io.IOException("source " + endpoint + " answered DFLY REPLICAOFFSET with " + reply.describe()
                        + ": is it a Dragonfly master? (set --source.flows to skip this probe)");
            }
            int n = reply.asArray().size();
            LOG.info("source {} has {} shards: {} flows", endpoint, n, n);
            return n;
        }
    }
}
