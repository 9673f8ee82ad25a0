package io.df2redis.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.flink.job.Df2RedisJob;
import io.df2redis.flink.job.JobSettings;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.dfsim.GeneratedEngine;
import io.df2redis.testing.dfsim.SimWorkload;
import io.df2redis.testing.flink.SimDatasets;
import io.df2redis.testing.redis.RedisServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --mode cutover} beside a replicating job: a client writes at a steady rate (non-idempotent
 * writes, and zset stores that a v1.40.1 master journals with 6-digit scores, which no replica can
 * copy exactly); the cut-over runs in the middle. At its exit 0 the target equals the master (every
 * write the master acknowledged is in it, the rounded zsets repaired) and writes stay paused on the
 * source. With the job stopped it exits 1 naming the cause, and the source is un-paused.
 */
@Timeout(240)
class CutoverTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .setConfiguration(flinkConfig())
            .build());

    static Configuration flinkConfig() {
        Configuration c = new Configuration();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return c;
    }

    @TempDir
    Path tmp;

    private DfSim sim;
    private RedisServerProcess redis;
    private JobClient job;
    private Thread client;
    private final AtomicBoolean stop = new AtomicBoolean();

    @AfterEach
    void stopAll() throws Exception {
        stop.set(true);
        if (client != null) {
            client.interrupt();
            client.join(10_000);
        }
        JobTestSupport.cancelAndAwait(job);
        if (sim != null) {
            sim.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private List<String> args(String... more) {
        List<String> a = new ArrayList<>(List.of("--source.url", "redis://127.0.0.1:" + sim.port(), "--target.url", redis.url(),
                "--source.flows", "2", "--flow.spill.dir", tmp.resolve("spill").toString()));
        a.addAll(List.of(more));
        return a;
    }

    /** Writes until stopped; counts the writes the master acknowledged (returned from the write). */
    private AtomicLong startClient(GeneratedEngine g) {
        return startClient(g, true);
    }

    /** @param lossyZsets whether zset stores journaled with 6-digit scores are among the writes */
    private AtomicLong startClient(GeneratedEngine g, boolean lossyZsets) {
        AtomicLong acknowledged = new AtomicLong();
        client = new Thread(() -> {
            Random r = new Random(5);
            for (int i = 0; !stop.get() && !Thread.currentThread().isInterrupted(); i++) {
                if (lossyZsets && i % 50 == 0) {
                    Map<String, Double> scores = new LinkedHashMap<>();
                    for (int m = 0; m < 5; m++) {
                        scores.put("m" + m, r.nextDouble() * 1000 / 3);
                    }
                    g.lossyZsetStore(0, "zstore:" + (i % 7), scores);
                } else {
                    SimWorkload.nonIdempotentWrite(g, r, i);
                }
                acknowledged.incrementAndGet();
                try {
                    Thread.sleep(2); // a steady few hundred writes/s
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "cutover-test-client");
        client.start();
        return acknowledged;
    }

    @Test
    void aCutOverInTheMiddleOfWritesEndsEqualWithWritesPaused() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(2));
        GeneratedEngine g = sim.generated();
        SimWorkload.seed(g, new Random(1));
        redis = RedisServerProcess.builder().start();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(300);
        Df2RedisJob.build(env, JobSettings.fromArgs(args().toArray(new String[0])), 2);
        job = env.executeAsync("cutover");
        JobTestSupport.Target target = JobTestSupport.standalone(redis.host(), redis.port(), redis.url());
        JobTestSupport.awaitEqual(sim, target, job, Duration.ofSeconds(60));

        AtomicLong acknowledged = startClient(g);
        Thread.sleep(1500);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Df2RedisJob.cutover(JobSettings.fromArgs(args("--mode", "cutover", "--cutover.write-pause", "20s")
                .toArray(new String[0])), new PrintStream(out, true), new PrintStream(err, true));
        long ackedAtExit = acknowledged.get();
        assertThat(code).as(out + " " + err).isZero();
        System.out.println(out); // the operator's view, in the test's output
        assertThat(out.toString()).contains("df2redis cutover: READY").contains(" keys checked, ");
        assertThat(out.toString()).as("the rounded zset scores were repaired").contains("repaired: db 0 key zstore:");

        // Writes stay paused: the client acknowledges nothing more; the target holds exactly the master's data.
        assertThat(sim.writesPaused()).isTrue();
        Thread.sleep(500);
        assertThat(acknowledged.get()).isEqualTo(ackedAtExit);
        List<String> diff = target.rules().now(System.currentTimeMillis(), 0)
                .differences(SimDatasets.toDataset(g.dataset()), target.dump().get());
        assertThat(diff).as("target vs the master at the cut-over").isEmpty();
        assertThat(ackedAtExit).isGreaterThan(100);
    }

    /**
     * {@code --cutover.takeover}: the request reaches the job through the source's journal; the job
     * issues DFLY TAKEOVER; the master stops taking writes, waits for the job's ACKs, hands over and
     * shuts down; the job ends by itself, and the target holds every write the master took.
     */
    @Test
    void aTakeoverThroughTheJobHandsOverAndEndsTheJob() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(2));
        GeneratedEngine g = sim.generated();
        SimWorkload.seed(g, new Random(1));
        redis = RedisServerProcess.builder().start();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(300);
        Df2RedisJob.build(env, JobSettings.fromArgs(args().toArray(new String[0])), 2);
        job = env.executeAsync("takeover");
        JobTestSupport.Target target = JobTestSupport.standalone(redis.host(), redis.port(), redis.url());
        JobTestSupport.awaitEqual(sim, target, job, Duration.ofSeconds(60));
        // No lossy zset stores here: with the source gone nothing can be repaired (README "Cut-over").
        AtomicLong acknowledged = startClient(g, false);
        Thread.sleep(1000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Df2RedisJob.cutover(JobSettings.fromArgs(args("--mode", "cutover", "--cutover.takeover", "true")
                .toArray(new String[0])), new PrintStream(out, true), new PrintStream(err, true));
        assertThat(code).as(out + " " + err).isZero();
        assertThat(out.toString()).contains("handed over to the job (DFLY TAKEOVER)");
        assertThat(sim.shutDownByTakeover()).isTrue();
        job.getJobExecutionResult().get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(job.getJobStatus().get()).isEqualTo(org.apache.flink.api.common.JobStatus.FINISHED);
        io.df2redis.testing.dfsim.SimDataset master = g.dataset();
        assertThat(master.remove(0, io.df2redis.testing.recordings.Bytes.utf8("__df2redis:cutover:takeover")))
                .as("the request was written on the source").isTrue();
        List<String> diff = target.rules().now(System.currentTimeMillis(), 0)
                .differences(SimDatasets.toDataset(master), target.dump().get());
        assertThat(diff).as("target vs the master that handed over (its request key aside: not copied)").isEmpty();
        assertThat(acknowledged.get()).isGreaterThan(50);
    }

    @Test
    void withTheJobStoppedItFailsAndUnpausesTheSource() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(2));
        GeneratedEngine g = sim.generated();
        SimWorkload.seed(g, new Random(1));
        redis = RedisServerProcess.builder().start();
        AtomicLong acknowledged = startClient(g);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Df2RedisJob.cutover(JobSettings.fromArgs(args("--mode", "cutover").toArray(new String[0])),
                new PrintStream(out, true), new PrintStream(err, true));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("FAILED").contains("the df2redis job is not running");
        assertThat(sim.writesPaused()).isFalse();
        err.reset();
        assertThat(Df2RedisJob.cutover(JobSettings.fromArgs(args("--mode", "cutover", "--cutover.takeover", "true")
                .toArray(new String[0])), new PrintStream(out, true), new PrintStream(err, true))).isEqualTo(1);
        assertThat(err.toString()).contains("the df2redis job is not running");

        // A job that stopped after connecting: replicas connected, none acknowledges: the wait times out, un-paused.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(60_000); // no ACK within the cut-over's wait
        Df2RedisJob.build(env, JobSettings.fromArgs(args().toArray(new String[0])), 2);
        job = env.executeAsync("cutover-no-acks");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sim.liveSessions() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        err.reset();
        code = Df2RedisJob.cutover(JobSettings.fromArgs(args("--mode", "cutover", "--cutover.catch-up-timeout", "2s")
                .toArray(new String[0])), new PrintStream(out, true), new PrintStream(err, true));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("the job has not caught up").contains("un-paused");
        assertThat(sim.writesPaused()).isFalse();
        long before = acknowledged.get();
        Thread.sleep(300);
        assertThat(acknowledged.get()).as("the client writes again").isGreaterThan(before);

        // The takeover form with the same job: the master's DFLY TAKEOVER times out waiting for ACKs
        // (it resumes writes), the source does not go away, the cut-over says so.
        err.reset();
        code = Df2RedisJob.cutover(JobSettings.fromArgs(args("--mode", "cutover", "--cutover.takeover", "true",
                "--cutover.catch-up-timeout", "2s").toArray(new String[0])), new PrintStream(out, true), new PrintStream(err, true));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("the source did not hand over within 17 s");
        assertThat(sim.shutDownByTakeover()).isFalse();
        assertThat(sim.events()).anyMatch(e -> e.contains("TAKEOVER by") && e.contains("failed, writes resume"));
        before = acknowledged.get();
        Thread.sleep(300);
        assertThat(acknowledged.get()).as("the client writes again").isGreaterThan(before);
    }
}
