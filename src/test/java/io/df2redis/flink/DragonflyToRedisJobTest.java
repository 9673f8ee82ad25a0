package io.df2redis.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.dragonfly.encode.FlowStreamWriter;
import io.df2redis.flink.job.Df2RedisJob;
import io.df2redis.flink.job.JobSettings;
import io.df2redis.flink.job.TargetMarker;
import io.df2redis.flink.job.WriterSettings;
import io.df2redis.flink.record.ReplicationRecord;
import io.df2redis.redis.RedisWriter;
import io.df2redis.testing.dataset.Dataset;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.dfsim.GeneratedEngine;
import io.df2redis.testing.dfsim.SimValue;
import io.df2redis.testing.dfsim.SimWorkload;
import io.df2redis.testing.flink.SimDatasets;
import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * The whole job on a MiniCluster: the master simulator → DragonflySource → keyBy(slot) → RedisSink
 * → a real redis-server (standalone, or a 6-node cluster), with writes during the full sync and
 * after it; the target ends equal to the simulator's data. Every test also checks that the job
 * never sent the master a forbidden order.
 */
@Timeout(300)
class DragonflyToRedisJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .setConfiguration(flinkConfig())
            .build());

    @TempDir
    Path tmp;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private DfSim sim;
    private JobClient job;

    static Configuration flinkConfig() {
        Configuration c = new Configuration();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
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

    private GeneratedEngine startSimulator(int flows, long seed) throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(flows)
                .withStream(FlowStreamWriter.Options.defaults().withChunks(32 * 1024, true)));
        GeneratedEngine g = sim.generated();
        SimWorkload.seed(g, new Random(seed));
        return g;
    }

    private JobTestSupport.Target standaloneTarget() throws Exception {
        RedisServerProcess r = RedisServerProcess.builder().start();
        toClose.add(r);
        return JobTestSupport.standalone(r.host(), r.port(), r.url());
    }

    private JobTestSupport.Target clusterTarget() throws Exception {
        RedisClusterProcesses c = RedisClusterProcesses.start();
        toClose.add(c);
        RedisServerProcess seed = c.primaries().get(0);
        return JobTestSupport.cluster(seed.host(), seed.port(), c.url());
    }

    private List<String> args(int flows, JobTestSupport.Target target, boolean cluster, String... more) {
        List<String> a = new ArrayList<>(List.of(
                "--source.url", "redis://127.0.0.1:" + sim.port(),
                "--target.url", target.url(),
                "--source.flows", Integer.toString(flows),
                "--flow.spill.dir", tmp.resolve("spill").toString()));
        if (cluster) {
            // The seed data has dbs 0, 1 and 5 with distinct keys: a cluster holds them all in db 0.
            a.addAll(List.of("--db-map", "0:0,1:0,5:0", "--db-map.allow-merge", "true",
                    "--translate.merged-flush", "flush-target-db"));
        }
        a.addAll(List.of(more));
        return a;
    }

    private JobClient submit(List<String> args, UnaryOperator<DataStream<ReplicationRecord>> afterSource, int flows)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(300);
        Df2RedisJob.build(env, JobSettings.fromArgs(args.toArray(new String[0])), flows, afterSource);
        return env.executeAsync("df2redis test");
    }

    /** Random writes from a background thread until stopped. */
    private static final class Writer implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger count = new AtomicInteger();
        private final Thread thread;

        Writer(GeneratedEngine g, long seed, boolean idempotentOnly) {
            Random r = new Random(seed);
            thread = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    if (idempotentOnly) {
                        SimWorkload.idempotentWrite(g, r, i++);
                    } else {
                        SimWorkload.randomWrite(g, r, i++);
                    }
                    count.incrementAndGet();
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "sim-writer");
            thread.start();
        }

        int count() {
            return count.get();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join();
        }
    }

    private static String targetMarker(JobSettings settings) throws Exception {
        try (RedisWriter w = RedisWriter.open(WriterSettings.target(settings), WriterSettings.writerConfig(settings, null))) {
            return TargetMarker.read(w);
        }
    }

    /** Sync ids of every session the simulator created, in order (ended ones included). */
    private List<String> sessionsCreated() {
        List<String> ids = new ArrayList<>();
        for (String e : sim.events()) {
            if (e.startsWith("session ") && e.endsWith(" created")) {
                ids.add(e.substring("session ".length(), e.length() - " created".length()));
            }
        }
        return ids;
    }

    /** Waits until the latest session has started its stable sync (it may have ended since). */
    private void awaitStable(Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            List<String> created = sessionsCreated();
            if (!created.isEmpty() && sim.events().contains(created.get(created.size() - 1) + " stable sync started")) {
                return;
            }
            if (job.getJobStatus().get() == JobStatus.FAILED) {
                job.getJobExecutionResult().get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the job did not reach stable sync in " + timeout + "; events: " + sim.events());
    }

    private void replicate(int flows, boolean cluster) throws Exception {
        GeneratedEngine g = startSimulator(flows, flows);
        g.paceSnapshot(Duration.ofMillis(2));
        JobTestSupport.Target target = cluster ? clusterTarget() : standaloneTarget();
        // As main() does in application mode (a fixed job id): the policy marks the target, and the
        // writers keep the mark through the first full sync's clearing and the FLUSHALL below.
        String jobId = "job-" + flows + (cluster ? "-cluster" : "-standalone");
        Configuration applicationMode = new Configuration();
        applicationMode.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, jobId);
        JobSettings settings = Df2RedisJob.prepareTarget(JobSettings.fromArgs(args(flows, target, cluster).toArray(new String[0])),
                applicationMode);
        assertThat(targetMarker(settings)).isEqualTo(jobId);
        List<String> a = new ArrayList<>();
        settings.asMap().forEach((k, v) -> a.addAll(List.of("--" + k, v)));
        job = submit(a, UnaryOperator.identity(), flows);
        try (Writer w = new Writer(g, 7, false)) {
            awaitStable(Duration.ofSeconds(120));
            while (w.count() < 300) {
                Thread.sleep(10);
            }
        }
        JobTestSupport.awaitEqual(sim, target, job, Duration.ofSeconds(60));
        // Stable sync: a FLUSHALL on every flow, with writes right after it on every flow.
        Random r = new Random(99);
        g.write(0, "FLUSHALL");
        for (int i = 0; i < 300; i++) {
            SimWorkload.randomWrite(g, r, 50_000 + i);
        }
        g.ping();
        JobTestSupport.awaitEqual(sim, target, job, Duration.ofSeconds(60));
        assertThat(sessionsCreated()).as("one session: nothing failed").hasSize(1);
        assertThat(targetMarker(settings)).as("the application-mode marker survived clearing and FLUSHALL").isEqualTo(jobId);
        assertThat(g.journalBlobsWritten()).as("writes during the full sync").isPositive();
        assertThat(g.taggedChunksWritten()).as("tagged chunks on the wire").isPositive();
    }

    @ParameterizedTest(name = "{0} flows")
    @ValueSource(ints = {2, 4})
    void replicatesIntoStandaloneRedis(int flows) throws Exception {
        replicate(flows, false);
    }

    @ParameterizedTest(name = "{0} flows")
    @ValueSource(ints = {2, 4})
    void replicatesIntoRedisCluster(int flows) throws Exception {
        replicate(flows, true);
    }

    @Test
    void snapshotModeEndsByItselfAtTheStableCut() throws Exception {
        int flows = 2;
        GeneratedEngine g = startSimulator(flows, 5);
        g.paceSnapshot(Duration.ofMillis(2));
        JobTestSupport.Target target = standaloneTarget();
        job = submit(args(flows, target, false, "--mode", "snapshot"), UnaryOperator.identity(), flows);
        try (Writer w = new Writer(g, 11, false)) {
            awaitStable(Duration.ofSeconds(120));
        }
        Dataset atCut = SimDatasets.toDataset(g.datasetAtStableCut());
        Random r = new Random(3);
        for (int i = 0; i < 200; i++) {
            SimWorkload.randomWrite(g, r, 90_000 + i); // after the cut: must not reach the target
        }
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);
        Dataset written = target.dump().get();
        List<String> diff = target.rules().now(System.currentTimeMillis(), 0).differences(atCut, written);
        assertThat(diff).as("target vs the master's data at the stable cut").isEmpty();
        Dataset atEnd = SimDatasets.toDataset(g.dataset());
        assertThat(target.rules().now(System.currentTimeMillis(), 0).differences(atEnd, written))
                .as("the writes made after the cut did not reach the target").isNotEmpty();
    }

    /**
     * As a new user would: a snapshot copy, then {@code --mode verify} against the master (exit 0);
     * a few keys deleted, added, changed and re-typed in the target; verify again: exit 1, and the
     * report names exactly those keys, each once. A bad verify setting exits 2, naming it.
     */
    @Test
    void aSnapshotCopyVerifiesEqualThenExactlyTheChangedKeysDiffer() throws Exception {
        int flows = 2;
        GeneratedEngine g = startSimulator(flows, 5);
        g.seed(0, "counter", SimValue.string("41".getBytes(StandardCharsets.UTF_8)));
        JobTestSupport.Target target = standaloneTarget();
        List<String> settings = args(flows, target, false, "--mode", "snapshot");
        job = submit(settings, UnaryOperator.identity(), flows);
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);
        long keys = g.dataset().size();

        Path report = tmp.resolve("verify.jsonl");
        List<String> verify = new ArrayList<>(settings);
        verify.set(verify.indexOf("snapshot"), "verify");
        verify.addAll(List.of("--verify.report", report.toString(), "--verify.recheck-delay", "200ms"));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = Df2RedisJob.verify(JobSettings.fromArgs(verify.toArray(new String[0])), new java.io.PrintStream(out, true),
                new java.io.PrintStream(err, true));
        assertThat(code).as(out + " " + err).isZero();
        assertThat(out.toString()).startsWith("df2redis verify: EQUAL: " + keys + " keys compared, " + keys + " equal, 0 different");

        List<String> changed = new ArrayList<>();
        java.net.URI t = java.net.URI.create(target.url());
        try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis(t.getHost(), t.getPort())) {
            java.util.Iterator<String> some = j.keys("*").stream().filter(k -> !k.startsWith("__df2redis:") && !k.equals("counter"))
                    .sorted().iterator();
            String deleted = some.next();
            String retyped = some.next();
            j.del(deleted);
            j.del(retyped);
            j.sadd(retyped, "x");
            j.incr("counter");
            j.set("added-in-target", "1");
            changed.addAll(List.of(deleted + "=missing", retyped + "=type", "counter=value", "added-in-target=extra"));
        }
        out.reset();
        code = Df2RedisJob.verify(JobSettings.fromArgs(verify.toArray(new String[0])), new java.io.PrintStream(out, true),
                new java.io.PrintStream(err, true));
        assertThat(code).as(out.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("DIFFERENT: ").contains("4 different (missing 1, extra 1, type 1, value 1, ttl 0)")
                .contains("report: " + report);
        List<String> found = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(report)) {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            found.add(n.get("key").asText() + "=" + n.get("kind").asText());
        }
        assertThat(found).containsExactlyInAnyOrderElementsOf(changed);

        List<String> bad = new ArrayList<>(verify);
        bad.addAll(List.of("--verify.sample", "2"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JobSettings.fromArgs(bad.toArray(new String[0])))
                .isInstanceOf(io.df2redis.flink.job.InvalidSettingException.class).hasMessageContaining("verify.sample")
                .hasMessageContaining("(0, 1]");
    }

    @Test
    void aFullSpillFailsTheJobNamingTheSetting() throws Exception {
        int flows = 2;
        GeneratedEngine g = startSimulator(flows, 23);
        Random random = new Random(23);
        // ~13 MB of incompressible values, far more than buffer + spill limit, all on flow 1: flow 0
        // only sees its session end, and the epoch closing for that must not hide flow 1's full spill.
        for (int i = 0, seeded = 0; seeded < 400; i++) {
            if (g.shardOf(("big:" + i).getBytes(StandardCharsets.UTF_8)) == 1) {
                byte[] value = new byte[32 * 1024];
                random.nextBytes(value);
                g.seed(0, "big:" + i, SimValue.string(value));
                seeded++;
            }
        }
        JobTestSupport.Target target = standaloneTarget();
        // A target far slower than the source, and small flow buffers: the spill limit is reached while
        // flow 1's reader is back-pressured.
        job = submit(args(flows, target, false, "--flow.buffer.bytes", "65536", "--flow.spill.max-bytes", "4000000",
                "--writer.rate-limit.bytes", "20000"), UnaryOperator.identity(), flows);
        assertThat(JobTestSupport.awaitFailure(job, Duration.ofSeconds(120))).contains("flow.spill.max-bytes");
        // The test cluster's restart strategy allows 5 restarts, each with a new session, and each lost
        // flow 0 starts a new epoch: failing without restarts leaves the first session (and at most
        // one the enumerator may open while the job is being failed).
        assertThat(sim.events().stream().filter(e -> e.endsWith(" created")).count())
                .as("the job was not restarted into new sessions that would spill as much").isLessThanOrEqualTo(2);
    }

    @Test
    void aReaderFailingOnceInFullSyncAndOnceInStableSyncStartsNewEpochs() throws Exception {
        int flows = 2;
        GeneratedEngine g = startSimulator(flows, 13);
        g.paceSnapshot(Duration.ofMillis(2));
        JobTestSupport.Target target = standaloneTarget();
        FailOnce inFull = new FailOnce("full", FailOnce.When.FULL_SYNC, 40);
        FailOnce inStable = new FailOnce("stable", FailOnce.When.STABLE, 50);
        // Same parallelism as the source, so that the operators chain to the reader (a rebalance
        // in between would reorder each flow's records).
        job = submit(args(flows, target, false), s -> s.map(inFull).uid("fail-once-full").returns(s.getType()).setParallelism(flows)
                .map(inStable).uid("fail-once-stable").returns(s.getType()).setParallelism(flows), flows);
        try (Writer w = new Writer(g, 17, true)) {
            long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!(FailOnce.failed("full") && FailOnce.failed("stable")) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertThat(FailOnce.failed("full")).as("failed once in the full sync").isTrue();
            assertThat(FailOnce.failed("stable")).as("failed once in stable sync").isTrue();
            awaitStable(Duration.ofSeconds(120));
            Thread.sleep(500);
        }
        JobTestSupport.awaitEqual(sim, target, job, Duration.ofSeconds(90));
        List<String> syncIds = sessionsCreated();
        assertThat(syncIds).as("a new session (epoch) after each failure, none reused").hasSizeGreaterThanOrEqualTo(3)
                .doesNotHaveDuplicates();
    }

    @Test
    void aTaskFailingRightAfterAKeyWasDeletedOnTheMasterEndsWithoutTheKey() throws Exception {
        int flows = 2;
        GeneratedEngine g = startSimulator(flows, 31);
        g.seed(0, "doomed", SimValue.string("written by the first attempt only".getBytes(StandardCharsets.UTF_8)));
        RedisServerProcess redis = RedisServerProcess.builder().start();
        toClose.add(redis);
        JobTestSupport.Target target = JobTestSupport.standalone(redis.host(), redis.port(), redis.url());
        // The failure comes in the first full sync or soon after: the next session is a full resync
        // over what the first attempt wrote, or a PARTIAL one replaying the DEL; the key goes either way.
        FailOnce failNow = new FailOnce("before-first-checkpoint", FailOnce.When.SIGNALLED, 1);
        job = submit(args(flows, target, false), s -> s.map(failNow).uid("fail-when-told").returns(s.getType())
                .setParallelism(flows), flows);
        try (Writer w = new Writer(g, 37, true); Jedis jedis = new Jedis(redis.host(), redis.port())) {
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!jedis.exists("doomed") && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(jedis.exists("doomed")).as("the first attempt wrote the key").isTrue();
            FailOnce.signal("before-first-checkpoint");
            while (!FailOnce.failed("before-first-checkpoint") && System.nanoTime() < end) {
                Thread.sleep(1);
            }
            assertThat(FailOnce.failed("before-first-checkpoint")).as("the job failed once").isTrue();
            // Deleted on the master before the job's next session: a full sync's snapshot lacks the
            // key and no journal entry deletes it; only the writers' clearing removes it.
            g.write(0, "DEL", "doomed");
            assertThat(sessionsCreated()).as("the key was deleted before a second session existed").hasSize(1);
            while (sessionsCreated().size() < 2 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(sessionsCreated()).as("the restarted job ran a new session").hasSizeGreaterThanOrEqualTo(2);
            awaitStable(Duration.ofSeconds(120));
            Thread.sleep(500);
        }
        JobTestSupport.awaitEqual(sim, target, job, Duration.ofSeconds(90));
    }

    /**
     * Defect: an epoch planned as PARTIAL whose flows the master answers FULL (its backlog no longer
     * holds the LSNs) went on as a full sync without resetting the writers, so keys deleted on the
     * master while the job was away stayed in the target for ever.
     */
    @Test
    void aResumeTheMasterAnswersFullResetsTheWritersFirst() throws Exception {
        int flows = 2;
        GeneratedEngine g = startSimulator(flows, 47);
        g.seed(0, "doomed", SimValue.string("deleted while the job is away".getBytes(StandardCharsets.UTF_8)));
        RedisServerProcess redis = RedisServerProcess.builder().start();
        toClose.add(redis);
        JobTestSupport.Target target = JobTestSupport.standalone(redis.host(), redis.port(), redis.url());
        FailOnce failNow = new FailOnce("resume-answered-full", FailOnce.When.SIGNALLED, 1);
        job = submit(args(flows, target, false), s -> s.map(failNow).uid("fail-when-told").returns(s.getType())
                .setParallelism(flows), flows);
        awaitStable(Duration.ofSeconds(120));
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Random r = new Random(47);
        // A checkpoint completed in stable sync on every flow (the ACK is its LSN): a restore resumes.
        while (!ackedEveryFlow(flows) && System.nanoTime() < end) {
            SimWorkload.randomWrite(g, r, 1000);
            Thread.sleep(20);
        }
        assertThat(ackedEveryFlow(flows)).as("every flow ACKed a checkpointed LSN").isTrue();
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            assertThat(jedis.exists("doomed")).isTrue();
        }
        sim.loading(true); // no session until the master's data has changed
        FailOnce.signal("resume-answered-full");
        for (int i = 0; !FailOnce.failed("resume-answered-full") && System.nanoTime() < end; i++) {
            SimWorkload.randomWrite(g, r, 2000 + i);
            Thread.sleep(5);
        }
        assertThat(FailOnce.failed("resume-answered-full")).as("the job failed once").isTrue();
        g.write(0, "DEL", "doomed");
        g.write(0, "INCR", "counter:gap");
        g.evictBacklog();
        int before = sessionsCreated().size();
        sim.loading(false);
        while (sessionsCreated().size() <= before && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        awaitStable(Duration.ofSeconds(120));
        // The first session after the failure asked to resume; the master answered FULL (on a flow
        // without writes in the gap it may answer PARTIAL: a mix, after which the job starts over).
        String resumed = sessionsCreated().get(before);
        assertThat(sim.events()).as("the new session asked to resume and the master answered FULL")
                .anyMatch(e -> e.startsWith(resumed + " flow ") && e.contains("FULL (asked to resume at"));
        JobTestSupport.awaitEqual(sim, target, job, Duration.ofSeconds(90));
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            assertThat(jedis.exists("doomed")).as("deleted on the master while the job was away").isFalse();
        }
    }

    /** The live session's every flow has ACKed an LSN (a checkpoint completed in stable sync). */
    private boolean ackedEveryFlow(int flows) {
        for (DfSim.SimSession s : sim.sessions()) {
            boolean all = true;
            for (int f = 0; f < flows; f++) {
                all &= s.flow(f) != null && s.flow(f).lastAck() > 0;
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aMasterWithAnotherShardCountFailsTheJobOnceNamingIt() throws Exception {
        startSimulator(4, 41);
        JobTestSupport.Target target = standaloneTarget();
        // Built for 2 flows (a stale --source.flows, or a savepoint of an older master).
        job = submit(args(2, target, false), UnaryOperator.identity(), 2);
        assertThat(JobTestSupport.awaitFailure(job, Duration.ofSeconds(120))).contains("the master now has 4 shards")
                .contains("built for 2 flows");
        assertThat(sessionsCreated()).as("no restarts against the same master").hasSize(1);
    }

    @Test
    void aCommandTheTargetRefusesEndsTheJobOnceNamingKeyAndReply() throws Exception {
        startSimulator(2, 43);
        // A user that may not RESTORE: every snapshot value written with RESTORE is refused (NOPERM).
        RedisServerProcess r = RedisServerProcess.builder().aclUser("writer", "pw", "~*", "&*", "+@all", "-restore").start();
        toClose.add(r);
        JobTestSupport.Target target = JobTestSupport.standalone(r.host(), r.port(), r.url("writer", "pw"));
        job = submit(args(2, target, false, "--writer.on-refused", "fail"), UnaryOperator.identity(), 2);
        assertThat(JobTestSupport.awaitFailure(job, Duration.ofSeconds(120))).contains("Redis refused RESTORE on key").contains("NOPERM")
                .contains("writer.on-refused");
        // The test cluster allows 5 restarts: each would be a new full sync up to the same refusal.
        assertThat(sessionsCreated()).as("no restarts into the same refusal").hasSizeLessThanOrEqualTo(2);
    }
}
