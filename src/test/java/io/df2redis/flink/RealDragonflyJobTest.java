package io.df2redis.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.df2redis.dragonfly.session.ConnectConfig;
import io.df2redis.dragonfly.session.MasterConnection;
import io.df2redis.flink.job.Df2RedisJob;
import io.df2redis.flink.job.JobSettings;
import io.df2redis.testing.dataset.RedisDataset;
import io.df2redis.testing.dragonfly.DragonflyContainer;
import io.df2redis.testing.dragonfly.DragonflyProcess;
import io.df2redis.testing.dragonfly.RealMaster;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job end to end against a real Dragonfly master: a process when {@code DF2REDIS_DRAGONFLY_BIN}
 * names a binary, a Testcontainers Dragonfly when Docker exists; skipped (saying why) otherwise.
 * Live writes during the full sync and after it, a FLUSHALL with writes right after: the target ends
 * equal to the master's own data read back over RESP.
 */
@Timeout(600)
class RealDragonflyJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).setConfiguration(DragonflyToRedisJobTest.flinkConfig()).build());

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 4})
    void replicatesARealMaster(int threads) throws Exception {
        assumeTrue(DragonflyProcess.binary().isPresent(), DragonflyProcess.whyMissing());
        try (DragonflyProcess df = DragonflyProcess.start(DragonflyProcess.binary().get(), threads, tmp.resolve("df"))) {
            replicate(df, threads);
        }
    }

    @ParameterizedTest(name = "{0} threads, Docker")
    @ValueSource(ints = {2, 4})
    void replicatesADragonflyContainer(int threads) throws Exception {
        assumeTrue(DragonflyContainer.dockerAvailable(), "no Docker engine: the Testcontainers Dragonfly is not available");
        try (DragonflyContainer df = DragonflyContainer.start(threads)) {
            replicate(df, threads);
        }
    }

    private void replicate(RealMaster df, int threads) throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.builder().start();
                MasterConnection client = MasterConnection.open(df.endpoint(), ConnectConfig.defaults(), "test")) {
            Random r = new Random(threads);
            for (int i = 0; i < 2000; i++) {
                client.call("SET", "str:" + i, "value-" + i);
                client.call("HSET", "hash:" + (i % 50), "f" + i, "v" + i);
                client.call("RPUSH", "list:" + (i % 20), "e" + i);
                client.call("ZADD", "zset:" + (i % 10), Integer.toString(r.nextInt(1000)), "m" + i);
                client.call("SADD", "set:" + (i % 10), "s" + i);
            }
            JobTestSupport.Target target = JobTestSupport.standalone(redis.host(), redis.port(), redis.url());
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.enableCheckpointing(300);
            JobSettings settings = JobSettings.fromArgs("--source.url", "redis://" + df.endpoint().host() + ":" + df.endpoint().port(),
                    "--target.url", redis.url(), "--flow.spill.dir", tmp.resolve("spill").toString());
            Df2RedisJob.build(env, settings, threads);
            JobClient job = env.executeAsync("df2redis real dragonfly");
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                try (MasterConnection w = MasterConnection.open(df.endpoint(), ConnectConfig.defaults(), "writer")) {
                    for (int i = 0; !stop.get(); i++) {
                        w.call("SET", "str:" + (i % 3000), "w" + i);
                        w.call("INCR", "counter:" + (i % 7));
                        w.call("LPUSH", "list:" + (i % 20), "x" + i);
                        w.call("DEL", "str:" + ((i * 7) % 3000));
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try {
                writer.start();
                Thread.sleep(3000);
                stop.set(true);
                writer.join();
                assertThat(JobTestSupport.awaitEqual(() -> RedisDataset.dumpStandalone(df.endpoint().host(), df.endpoint().port()),
                        target, job, Duration.ofMinutes(2))).as("target vs the master after the full sync").isEmpty();
                client.call("FLUSHALL");
                for (int i = 0; i < 300; i++) {
                    client.call("SET", "after:" + i, "v" + i);
                    client.call("INCRBYFLOAT", "float:" + (i % 5), "0.1");
                }
                assertThat(JobTestSupport.awaitEqual(() -> RedisDataset.dumpStandalone(df.endpoint().host(), df.endpoint().port()),
                        target, job, Duration.ofMinutes(2))).as("target vs the master after FLUSHALL and more writes").isEmpty();
            } finally {
                stop.set(true);
                job.cancel().get();
            }
        }
    }
}
