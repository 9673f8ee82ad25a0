package io.df2redis.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.dragonfly.encode.FlowStreamWriter;
import io.df2redis.flink.job.Df2RedisJob;
import io.df2redis.flink.job.JobSettings;
import io.df2redis.flink.record.ReplicationRecord;
import io.df2redis.testing.dataset.DatasetComparison;
import io.df2redis.testing.dataset.RedisDataset;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.dfsim.GeneratedEngine;
import io.df2redis.testing.dfsim.SimWorkload;
import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exactly-once through failures (DESIGN §6, §8): the master simulator takes non-idempotent writes
 * (INCR, INCRBY, APPEND, HINCRBY, LPUSH, RPUSH + LPOP, ZINCRBY), deletes, TTLs and FLUSHALLs at a
 * steady rate while a seeded schedule injects faults into the running job: a task failure (the
 * job restores from its last checkpoint and replays what followed), the same with the master's
 * backlog evicted and keys deleted in the gap (a resume the master answers FULL), a flow cut, a
 * master restart, a FLUSHALL right before a task failure, and stop-with-savepoint then resume with
 * writes in the gap. Once the writes stop, the target equals the master exactly (expiries to the
 * millisecond) and the writers' counters show that replayed journal entries were skipped.
 *
 * <p>A failing schedule prints its seed (then a fixed test); the soak profile runs many random
 * seeds. {@code -Dchaos.guarantee=at-least-once} runs the same with at-least-once delivery, which
 * these schedules catch applying writes twice.
 */
@Timeout(7200)
class ExactlyOnceChaosTest {
    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();
    /**
     * RENAMEs (cross-slot moves on the target) among the writes; {@code
     * -Ddf2redis.chaos.renames=false} leaves them out. With them, seeds 12 and 13 caught a full
     * sync's clear deleting a move the other writer had already staged for the new epoch.
     */
    static final boolean RENAMES = Boolean.parseBoolean(System.getProperty("df2redis.chaos.renames", "true"));

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .setConfiguration(METRICS.addToConfiguration(flinkConfig()))
            .build());

    @TempDir
    Path tmp;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private DfSim sim;
    private JobClient job;

    static Configuration flinkConfig() {
        Configuration c = new Configuration();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 50);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return c;
    }

    @AfterEach
    void stop() throws Exception {
        JobTestSupport.cancelAndAwait(job);
        if (sim != null) {
            List<?> v = sim.violations();
            sim.close();
            assertThat(v).as("forbidden or suspicious orders the job sent the master").isEmpty();
        }
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    enum Fault {
        TASK_FAILURE,
        TASK_FAILURE_WITH_BACKLOG_EVICTED,
        FLOW_CUT,
        MASTER_RESTART,
        FLUSHALL_THEN_TASK_FAILURE,
        STOP_WITH_SAVEPOINT_AND_RESUME,
        /** Cluster target only: a primary SIGKILLed under writes, its replica promoted, the node back as a replica. */
        REDIS_PRIMARY_KILLED,
        /** Cluster target only: a manual {@code CLUSTER FAILOVER} on a replica under writes (no data lost, slots move). */
        REDIS_MANUAL_FAILOVER,
        /**
         * The Dragonfly master lost and its replica promoted (the job resumes there with the failover
         * form); once per run: a second one is a master restart instead.
         */
        SOURCE_FAILOVER
    }

    /** The faults a standalone target can take. */
    private static final Fault[] STANDALONE_FAULTS = java.util.Arrays.stream(Fault.values())
            .filter(f -> f != Fault.REDIS_PRIMARY_KILLED && f != Fault.REDIS_MANUAL_FAILOVER && f != Fault.SOURCE_FAILOVER)
            .toArray(Fault[]::new);
    /** The soak's random faults: the standalone ones and a source failover. */
    private static final Fault[] SOAK_FAULTS = java.util.stream.Stream.concat(java.util.Arrays.stream(STANDALONE_FAULTS),
            java.util.stream.Stream.of(Fault.SOURCE_FAILOVER)).toArray(Fault[]::new);
    private RedisClusterProcesses cluster;

    /** Fails the task it is chained to once per {@link #request()}: the whole job restores from its last checkpoint. */
    static final class FailOnRequest implements MapFunction<ReplicationRecord, ReplicationRecord> {
        static final AtomicInteger REQUESTED = new AtomicInteger();
        static final AtomicInteger DONE = new AtomicInteger();

        static void request() {
            REQUESTED.incrementAndGet();
        }

        @Override
        public ReplicationRecord map(ReplicationRecord r) {
            int done = DONE.get();
            if (done < REQUESTED.get() && DONE.compareAndSet(done, done + 1)) {
                throw new IllegalStateException("chaos: task failure " + (done + 1));
            }
            return r;
        }
    }

    /** Non-idempotent writes at a steady rate until closed. */
    private static final class Writes implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong count = new AtomicLong();
        private final Thread thread;

        Writes(GeneratedEngine g, long seed) {
            Random r = new Random(seed);
            thread = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    SimWorkload.nonIdempotentWrite(g, r, i++, RENAMES);
                    count.incrementAndGet();
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "chaos-writes");
            thread.start();
        }

        long count() {
            return count.get();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join();
        }
    }

    private boolean failedOver;
    private RedisServerProcess standaloneTarget;

    private List<String> args(JobTestSupport.Target target) throws java.io.IOException {
        // The master and its replica: a SOURCE_FAILOVER promotes the replica.
        List<String> a = new ArrayList<>(List.of("--source.url", "redis://127.0.0.1:" + sim.port() + ",127.0.0.1:" + sim.replicaPort(),
                "--source.failover-wait", "30s", "--target.url", target.url(),
                "--source.flows", "2", "--flow.spill.dir", tmp.resolve("spill").toString(),
                "--sink.delivery-guarantee", System.getProperty("chaos.guarantee", "exactly-once")));
        if (cluster != null) {
            // The seed data has dbs 0, 1 and 5 with distinct keys: a cluster holds them all in db 0.
            a.addAll(List.of("--db-map", "0:0,1:0,5:0", "--db-map.allow-merge", "true", "--translate.merged-flush", "flush-target-db"));
        }
        return a;
    }

    private JobClient submit(List<String> args, String savepoint) throws Exception {
        Configuration c = new Configuration();
        if (savepoint != null) {
            c.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.enableCheckpointing(250);
        // Shorter than the job's default (2 min): a checkpoint the Flink hang holds (StuckCoordinatorCheckpointTest)
        // costs a minute here, not two of the 3 minutes awaitStableAfter allows.
        env.getCheckpointConfig().setCheckpointTimeout(Duration.ofSeconds(60).toMillis());
        Df2RedisJob.build(env, JobSettings.fromArgs(args.toArray(new String[0])), 2,
                s -> s.map(new FailOnRequest()).uid("chaos-fail-on-request").returns(s.getType()).setParallelism(2));
        JobClient client = env.executeAsync("df2redis chaos");
        jobIds.add(client.getJobID());
        return client;
    }

    private List<String> sessionsCreated() {
        return sim.events().stream().filter(e -> e.startsWith("session ") && e.endsWith(" created")).toList();
    }

    /** Waits until a session created after {@code before} sessions has started its stable sync. */
    private void awaitStableAfter(int before, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            List<String> created = sessionsCreated();
            if (created.size() > before) {
                String id = newestSessionId();
                if (sim.events().contains(id + " stable sync started") && ackedEveryFlow(id)) {
                    return;
                }
            }
            if (job.getJobStatus().get() == JobStatus.FAILED) {
                job.getJobExecutionResult().get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no stable session after " + before + " sessions within " + timeout + "; events: " + sim.events());
    }

    /**
     * Waits until every flow of the newest session ACKed past where it stood when called, twice (the
     * second checkpoint began after the call), or until a newer session is stable and ACKed.
     */
    private void awaitTwoCheckpointsFromNow(Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        for (int round = 0; round < 2; round++) {
            int sessions = sessionsCreated().size();
            long[] from = acksOf(newestSessionId());
            while (true) {
                if (sessionsCreated().size() > sessions) {
                    awaitStableAfter(sessions, Duration.ofNanos(Math.max(0, end - System.nanoTime())));
                    return;
                }
                long[] now = acksOf(newestSessionId());
                if (from != null && now != null && java.util.stream.IntStream.range(0, now.length).allMatch(i -> now[i] > from[i])) {
                    break;
                }
                if (job.getJobStatus().get() == JobStatus.FAILED) {
                    job.getJobExecutionResult().get();
                }
                if (System.nanoTime() > end) {
                    throw new AssertionError("no two checkpoints after the fault within " + timeout + "; events: " + sim.events());
                }
                Thread.sleep(20);
            }
        }
    }

    /** The sync id of the last session created (SYNCn), or null before the first. */
    private String newestSessionId() {
        List<String> created = sessionsCreated();
        return created.isEmpty() ? null : created.get(created.size() - 1).split(" ")[1];
    }

    /** The last ACKed LSN of each flow of live session {@code syncId} (-1: no flow yet), or null if it is not live. */
    private long[] acksOf(String syncId) {
        for (DfSim.SimSession s : sim.sessions()) {
            if (s.syncId().equals(syncId)) {
                long[] acks = new long[s.numFlows()];
                for (int f = 0; f < acks.length; f++) {
                    acks[f] = s.flow(f) == null ? -1 : s.flow(f).lastAck();
                }
                return acks;
            }
        }
        return null;
    }

    /** Session {@code syncId} is live and its every flow ACKed an LSN: a checkpoint completed in its stable sync. */
    private boolean ackedEveryFlow(String syncId) {
        long[] acks = acksOf(syncId);
        return acks != null && java.util.Arrays.stream(acks).allMatch(a -> a > 0);
    }

    private static void sleep(Random r, int maxMs) throws InterruptedException {
        Thread.sleep(50 + r.nextInt(maxMs));
    }

    /** Sum of a writer metric over every writer instance the job had (restarted and resumed ones included). */
    private long writerMetric(String name) {
        long sum = 0;
        List<String> ids = jobIds.stream().map(Object::toString).toList();
        String[] path = name.split("\\.");
        for (Map.Entry<org.apache.flink.metrics.MetricGroup, Map<String, Metric>> e : METRICS.getMetricsByGroup().entrySet()) {
            org.apache.flink.metrics.MetricGroup group = e.getKey();
            Metric m = e.getValue().get(path[path.length - 1]);
            if (m instanceof Gauge<?> g && ids.contains(group.getAllVariables().get("<job_id>"))
                    && group.getMetricIdentifier(path[path.length - 1]).endsWith("." + name) && g.getValue() instanceof Number n) {
                sum += n.longValue();
            }
        }
        return sum;
    }

    private final List<org.apache.flink.api.common.JobID> jobIds = new ArrayList<>();

    /** Runs {@code faults} random faults of {@code seed}. */
    void run(long seed, int faults) throws Exception {
        run(seed, faults, STANDALONE_FAULTS);
    }

    void run(long seed, int faults, Fault[] from) throws Exception {
        run(seed, randomSchedule(seed, faults, from));
    }

    /** {@code faults} faults drawn from {@code from} by {@code seed}. */
    static List<Fault> randomSchedule(long seed, int faults, Fault[] from) {
        Random r = new Random(seed);
        List<Fault> schedule = new ArrayList<>();
        for (int i = 0; i < faults; i++) {
            schedule.add(from[r.nextInt(from.length)]);
        }
        return schedule;
    }

    void run(long seed, List<Fault> schedule) throws Exception {
        run(seed, schedule, false);
    }

    void run(long seed, List<Fault> schedule, boolean clusterTarget) throws Exception {
        Random r = new Random(seed);
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(2)
                .withStream(FlowStreamWriter.Options.defaults().withChunks(32 * 1024, true)));
        GeneratedEngine g = sim.generated();
        SimWorkload.seed(g, new Random(seed));
        JobTestSupport.Target target;
        if (clusterTarget) {
            cluster = RedisClusterProcesses.start(3, 1, 2000, b -> { });
            toClose.add(cluster);
            RedisServerProcess seed0 = cluster.primaries().get(0);
            target = new JobTestSupport.Target(cluster.url(), () -> RedisDataset.dumpCluster(seed0.host(), seed0.port()),
                    DatasetComparison.rules().ignoreKeyPrefix("__df2redis:").mapDbs(db -> 0).expiryTolerance(0));
        } else {
            RedisServerProcess redis = RedisServerProcess.builder().start();
            toClose.add(redis);
            standaloneTarget = redis;
            String monitor = System.getProperty("df2redis.chaos.monitor");
            if (monitor != null) {
                // Diagnostics: every command the target ran, to tell a record never sent from one skipped.
                Process p = new ProcessBuilder("redis-cli", "-h", redis.host(), "-p", Integer.toString(redis.port()), "monitor")
                        .redirectOutput(java.nio.file.Path.of(monitor + "-" + seed + ".txt").toFile())
                        .redirectErrorStream(true).start();
                toClose.add(() -> {
                    p.destroy();
                    p.waitFor();
                });
            }
            target = new JobTestSupport.Target(redis.url(), () -> RedisDataset.dumpStandalone(redis.host(), redis.port()),
                    DatasetComparison.rules().ignoreKeyPrefix("__df2redis:").expiryTolerance(0));
        }
        FailOnRequest.REQUESTED.set(0);
        FailOnRequest.DONE.set(0);
        failedOver = false;
        job = submit(args(target), null);
        List<Fault> done = new ArrayList<>();
        try (Writes w = new Writes(g, seed)) {
            awaitStableAfter(0, Duration.ofSeconds(120));
            for (Fault f : schedule) {
                done.add(f);
                sleep(r, 600);
                int before = sessionsCreated().size();
                switch (f) {
                    case TASK_FAILURE -> FailOnRequest.request();
                    case FLUSHALL_THEN_TASK_FAILURE -> {
                        g.write(0, "FLUSHALL");
                        Thread.sleep(r.nextInt(100));
                        FailOnRequest.request();
                    }
                    case TASK_FAILURE_WITH_BACKLOG_EVICTED -> {
                        sim.loading(true);
                        FailOnRequest.request();
                        long noSessionAfter = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                        while (FailOnRequest.DONE.get() < FailOnRequest.REQUESTED.get()) {
                            if (System.nanoTime() > noSessionAfter) {
                                // No record came to fail on: the job had no session (it was restarting after
                                // a Redis primary was killed) and waits for the loading master. Let it in.
                                sim.loading(false);
                            }
                            Thread.sleep(5);
                        }
                        Thread.sleep(300); // writes (and deletes) while the job is away
                        g.evictBacklog();
                        sim.loading(false);
                    }
                    case FLOW_CUT -> {
                        // A little past what the live session's flow has written (seed 7100 of the cluster soak came
                        // here before any session was open: wait for one).
                        int flow = r.nextInt(2);
                        DfSim.SimFlow live = liveFlow(sim, flow);
                        g.cutFlowAt(flow, live.bytesWritten() + 1 + r.nextInt(2000));
                    }
                    case MASTER_RESTART -> g.restart();
                    case SOURCE_FAILOVER -> {
                        if (failedOver) {
                            g.restart();
                        } else {
                            sim.failoverToReplica();
                            failedOver = true;
                        }
                    }
                    case REDIS_PRIMARY_KILLED -> {
                        RedisServerProcess victim = cluster.primaries().get(r.nextInt(3));
                        cluster.killPrimary(victim);
                        cluster.restart(victim); // back as a replica: WAIT 1 can be met again
                    }
                    case REDIS_MANUAL_FAILOVER -> {
                        RedisServerProcess primary = cluster.primaries().get(r.nextInt(3));
                        cluster.failover(cluster.replicasOf(primary).get(0));
                    }
                    case STOP_WITH_SAVEPOINT_AND_RESUME -> {
                        String savepoint = job.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL).get();
                        JobTestSupport.cancelAndAwait(job);
                        Thread.sleep(200 + r.nextInt(300)); // writes in the gap
                        if (r.nextBoolean()) {
                            g.evictBacklog();
                        }
                        job = submit(args(target), savepoint);
                    }
                }
                if (f == Fault.REDIS_PRIMARY_KILLED || f == Fault.REDIS_MANUAL_FAILOVER) {
                    // The job fails only if a checkpoint could not confirm its writes: no new session is certain,
                    // and the session already stable may still end (cluster soak seed 7202: the next fault, a
                    // stop-with-savepoint, met the job restarting). Two checkpoints after the fault settle it.
                    awaitStableAfter(before - 1, Duration.ofSeconds(180));
                    awaitTwoCheckpointsFromNow(Duration.ofSeconds(180));
                } else {
                    awaitStableAfter(before, Duration.ofSeconds(180));
                }
            }
            sleep(r, 500);
        }
        g.ping();
        try {
            JobTestSupport.awaitEqual(sim, target, job, Duration.ofSeconds(120));
        } catch (AssertionError e) {
            printHistoryOfKeysIn(e.getMessage(), g);
            throw new AssertionError("chaos seed " + seed + " (faults " + done + ") failed: " + e.getMessage(), e);
        }
        System.out.printf("chaos seed %d: faults %s, %d sessions, %d replayed journal units skipped, %d global replays skipped%n",
                seed, done, sessionsCreated().size(), writerMetric("translate.replay_skipped"),
                writerMetric("translate.global_replay_skipped"));
    }

    /**
     * For a failing run: each differing key's journal on the master (shard, LSN, command) and its
     * slot's watermarks on the target, to tell a record never applied from one skipped as a replay.
     */
    private void printHistoryOfKeysIn(String message, GeneratedEngine g) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("db (\\d+) key (\\S+) \\(").matcher(message);
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (m.find()) {
            String key = m.group(2);
            if (!seen.add(key)) {
                continue;
            }
            int slot = io.df2redis.redis.Slots.slot(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder("chaos: key " + key + " (slot " + slot + ")");
            if (standaloneTarget != null) {
                try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis(standaloneTarget.host(), standaloneTarget.port())) {
                    j.select(Integer.parseInt(m.group(1)));
                    sb.append(" target watermarks ").append(j.hgetAll(new String(
                            new io.df2redis.translate.Watermarks("__df2redis:").key(slot), java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
            sb.append(", journal on the master:");
            for (GeneratedEngine.JournalRecord r : g.journalOf(key)) {
                sb.append("\n    ").append(r);
            }
            System.out.println(sb);
        }
    }

    /** Task failures restore from a checkpoint and replay what followed it: the replays are skipped. */
    @Test
    void taskFailuresReplayNothingTwice() throws Exception {
        run(5, List.of(Fault.TASK_FAILURE, Fault.FLUSHALL_THEN_TASK_FAILURE, Fault.TASK_FAILURE));
        assertThat(writerMetric("translate.replay_skipped")).as("replayed journal units skipped by the writers").isPositive();
    }

    /** A resume the master answers FULL, and a savepoint resume: full syncs reset, and stay exact. */
    @Test
    void backlogEvictionAndSavepointResumeEndEqual() throws Exception {
        run(6, List.of(Fault.TASK_FAILURE_WITH_BACKLOG_EVICTED, Fault.STOP_WITH_SAVEPOINT_AND_RESUME, Fault.FLOW_CUT,
                Fault.MASTER_RESTART));
    }

    /**
     * A cluster target with replicas (WAIT 1 by default): primaries SIGKILLed under non-idempotent
     * writes, between task failures. An acknowledged write the dead primary had not replicated is
     * lost with its watermark, so the replay after the failed checkpoint applies it again, once.
     */
    @Test
    void redisPrimariesKilledUnderWritesEndEqual() throws Exception {
        run(7, List.of(Fault.REDIS_PRIMARY_KILLED, Fault.TASK_FAILURE, Fault.REDIS_PRIMARY_KILLED), true);
    }

    /**
     * Manual {@code CLUSTER FAILOVER}s on a cluster target under non-idempotent writes: the writers
     * follow the slots to the promoted replicas (MOVED), nothing acknowledged is lost and nothing is
     * applied twice.
     */
    @Test
    void manualClusterFailoversUnderWritesEndEqual() throws Exception {
        run(8, List.of(Fault.REDIS_MANUAL_FAILOVER, Fault.REDIS_MANUAL_FAILOVER, Fault.TASK_FAILURE, Fault.REDIS_MANUAL_FAILOVER), true);
    }

    /**
     * Cluster soak seed 7202: a stop-with-savepoint right after a primary was killed found the job
     * restarting (its writers had reported a possible loss, so the checkpoint failed): the harness
     * waits for two checkpoints after such a fault (or a new session) before the next one.
     */
    @Test
    void aSavepointStopAfterAPrimaryKillWaitsForTheJobToSettle() throws Exception {
        run(7202, List.of(Fault.MASTER_RESTART, Fault.REDIS_PRIMARY_KILLED, Fault.STOP_WITH_SAVEPOINT_AND_RESUME,
                Fault.SOURCE_FAILOVER), true);
    }

    /** {@code -Ddf2redis.chaos.cluster=true}: the soak writes into a 3-primary cluster with replicas, also killing and failing over its primaries. */
    static final boolean CLUSTER_SOAK = Boolean.getBoolean("df2redis.chaos.cluster");

    /** {@code -Ddf2redis.chaos.schedule=FAULT,FAULT,…}: the soak runs this schedule with each seed (timings vary). */
    static final List<Fault> SCHEDULE = java.util.Arrays.stream(System.getProperty("df2redis.chaos.schedule", "").split(","))
            .filter(x -> !x.isBlank()).map(x -> Fault.valueOf(x.trim())).toList();

    /**
     * The soak profile ({@code mvn verify -Psoak}): 100 random schedules, or {@code
     * -Ddf2redis.chaos.seeds=N}; {@code -Ddf2redis.chaos.base=S} starts at seed S; {@code
     * -Ddf2redis.chaos.schedule} fixes the faults.
     */
    @Test
    @org.junit.jupiter.api.Tag("soak")
    void moreRandomSchedules() throws Exception {
        int n = Integer.getInteger("df2redis.chaos.seeds", 100);
        long base = Long.getLong("df2redis.chaos.base", System.currentTimeMillis());
        for (int i = 0; i < n; i++) {
            stop();
            sim = null;
            job = null;
            toClose.clear();
            cluster = null;
            standaloneTarget = null;
            long seed = base + i;
            if (CLUSTER_SOAK) {
                run(seed, SCHEDULE.isEmpty() ? randomSchedule(seed, 4, Fault.values()) : SCHEDULE, true);
            } else {
                run(seed, SCHEDULE.isEmpty() ? randomSchedule(seed, 4, SOAK_FAULTS) : SCHEDULE);
            }
        }
    }

    /** The Dragonfly master fails over to its replica among the other faults, under non-idempotent writes and RENAMEs. */
    @Test
    void aSourceFailoverAmongOtherFaultsEndsEqual() throws Exception {
        run(14, List.of(Fault.TASK_FAILURE, Fault.SOURCE_FAILOVER, Fault.FLUSHALL_THEN_TASK_FAILURE,
                Fault.TASK_FAILURE_WITH_BACKLOG_EVICTED, Fault.STOP_WITH_SAVEPOINT_AND_RESUME));
    }

    /**
     * Soak seed 3112's schedule (also 2029's): a FLUSHALL then a task failure while a RENAME's slot
     * was parked, so that a checkpoint held the flush as a barrier. Its restore ran the flush again
     * after the replay had skipped the writes that followed it, and lost them (about one run in 30
     * under load; ExactlyOnceApplyRedisTest has the deterministic form).
     */
    @Test
    void aFlushAllHeldBehindAMoveAtACheckpointIsNotRunAgainAfterARestore() throws Exception {
        run(3112, List.of(Fault.FLUSHALL_THEN_TASK_FAILURE, Fault.TASK_FAILURE, Fault.SOURCE_FAILOVER, Fault.FLOW_CUT));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void aSeededScheduleOfFaultsEndsEqualToTheMaster(long seed) throws Exception {
        run(seed, 4);
    }

    /** Flow {@code flow} of the newest session, once it is open (the job may be between sessions). */
    private static DfSim.SimFlow liveFlow(DfSim sim, int flow) throws InterruptedException {
        java.util.concurrent.atomic.AtomicReference<DfSim.SimFlow> live = new java.util.concurrent.atomic.AtomicReference<>();
        io.df2redis.testing.redis.Await.until(Duration.ofMinutes(2), "a session with flow " + flow + " open", () -> {
            sim.sessions().stream().max(java.util.Comparator.comparingInt(DfSim.SimSession::id))
                    .ifPresent(newest -> live.set(newest.flow(flow)));
            return live.get() != null ? null : sim.sessions().size() + " sessions";
        });
        return live.get();
    }
}
