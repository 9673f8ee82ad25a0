package io.df2redis.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.flink.job.Df2RedisJob;
import io.df2redis.flink.job.JobSettings;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.dfsim.GeneratedEngine;
import io.df2redis.testing.dfsim.SimWorkload;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * A Dragonfly master failover under non-idempotent writes: {@code source.url} lists the master and
 * its replica; the master is lost (its port and connections gone) and the replica promoted, keeping
 * the old master's LSNs; writes go on there. The job finds the new master, resumes every flow with
 * the failover form of {@code DFLY FLOW} (PARTIAL, no full sync), and the target ends equal to the
 * new master: nothing lost, nothing applied twice.
 */
@Timeout(240)
class SourceFailoverTest {
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

    @AfterEach
    void stop() throws Exception {
        JobTestSupport.cancelAndAwait(job);
        if (sim != null) {
            List<?> v = sim.violations();
            sim.close();
            assertThat(v).as("forbidden or suspicious orders the job sent the master").isEmpty();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aPromotedReplicaIsFoundAndResumedPartiallyExactlyOnce() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(2));
        GeneratedEngine g = sim.generated();
        SimWorkload.seed(g, new Random(2));
        int replica = sim.replicaPort();
        redis = RedisServerProcess.builder().start();
        JobTestSupport.Target target = JobTestSupport.standalone(redis.host(), redis.port(), redis.url());
        List<String> args = List.of("--source.url", "redis://127.0.0.1:" + sim.port() + ",127.0.0.1:" + replica,
                "--target.url", redis.url(), "--flow.spill.dir", tmp.resolve("spill").toString(), "--source.failover-wait", "30s");
        JobSettings settings = JobSettings.fromArgs(args.toArray(new String[0]));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(300);
        Df2RedisJob.build(env, settings, 2);
        job = env.executeAsync("source failover");
        JobTestSupport.awaitEqual(sim, target, job, Duration.ofSeconds(60));

        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            Random r = new Random(9);
            for (int i = 0; !stop.get(); i++) {
                SimWorkload.nonIdempotentWrite(g, r, i, true);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        writer.start();
        try {
            Thread.sleep(1000);
            sim.failoverToReplica();
            Thread.sleep(2000); // writes go on at the promoted replica
        } finally {
            stop.set(true);
            writer.join();
        }
        g.ping();
        JobTestSupport.awaitEqual(sim, target, job, Duration.ofSeconds(90));

        List<String> events = sim.events();
        int failover = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith("failover:")) {
                failover = i;
            }
        }
        assertThat(failover).as(events.toString()).isPositive();
        List<String> after = events.subList(failover, events.size()).stream().filter(e -> e.contains(" registered ")).toList();
        assertThat(after).as("flows registered at the promoted replica").isNotEmpty()
                .allSatisfy(e -> assertThat(e).contains("registered PARTIAL"));
    }
}
