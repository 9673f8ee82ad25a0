package io.df2redis.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.dragonfly.encode.FlowStreamWriter;
import io.df2redis.flink.job.Df2RedisJob;
import io.df2redis.flink.job.JobSettings;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.dfsim.GeneratedEngine;
import io.df2redis.testing.dfsim.SimWorkload;
import io.df2redis.testing.redis.RedisServerProcess;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrades: a savepoint written by an earlier release (kept under {@code
 * src/test/resources/savepoints/<release>/_metadata}: operator uids, the split, enumerator and
 * writer state in their serializers' versions of that release) restores into this build's job,
 * which then runs to a target equal to the master. The saved flows belong to another master (the
 * simulator's id is random), so the job plans a full sync with the reset: the restore itself is
 * what is checked.
 *
 * <p>A release that changes a serializer adds its own savepoint next to the older ones with
 * {@code mvn test -Dtest=SavepointCompatibilityTest#writeSavepoint -Ddf2redis.savepoint.write=DIR}.
 */
@Timeout(300)
class SavepointCompatibilityTest {
    /** The savepoints kept, oldest first: each must restore. */
    static final List<String> RELEASES = List.of("exactly-once-1");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir
    Path tmp;

    private DfSim sim;
    private RedisServerProcess redis;
    private JobClient job;

    @AfterEach
    void stop() throws Exception {
        JobTestSupport.cancelAndAwait(job);
        if (sim != null) {
            sim.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private JobTestSupport.Target start(long seed) throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(2).withStream(FlowStreamWriter.Options.defaults()));
        GeneratedEngine g = sim.generated();
        SimWorkload.seed(g, new Random(seed));
        redis = RedisServerProcess.builder().start();
        return JobTestSupport.standalone(redis.host(), redis.port(), redis.url());
    }

    private JobClient submit(JobTestSupport.Target target, String savepoint) throws Exception {
        Configuration c = new Configuration();
        if (savepoint != null) {
            c.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.enableCheckpointing(300);
        Df2RedisJob.build(env, JobSettings.fromArgs("--source.url", "redis://127.0.0.1:" + sim.port(), "--target.url",
                target.url(), "--source.flows", "2", "--flow.spill.dir", tmp.resolve("spill").toString()), 2);
        return env.executeAsync("df2redis savepoint compatibility");
    }

    @Test
    void savepointsOfEarlierReleasesRestore() throws Exception {
        for (String release : RELEASES) {
            Path dir = tmp.resolve(release);
            Files.createDirectories(dir);
            try (InputStream in = getClass().getResourceAsStream("/savepoints/" + release + "/_metadata")) {
                assertThat(in).as("savepoint of release %s in src/test/resources", release).isNotNull();
                Files.copy(in, dir.resolve("_metadata"), StandardCopyOption.REPLACE_EXISTING);
            }
            JobTestSupport.Target target = start(8);
            job = submit(target, dir.toUri().toString());
            Random r = new Random(9);
            for (int i = 0; i < 200; i++) {
                SimWorkload.nonIdempotentWrite(sim.generated(), r, i);
            }
            // A state the build cannot read fails every restore of the job: the target never gets there.
            JobTestSupport.awaitEqual(sim, target, job, Duration.ofSeconds(120));
            assertThat(sim.events()).as("the saved positions belong to another master: a full sync, no resume asked")
                    .noneMatch(e -> e.contains("(asked to resume at")).anyMatch(e -> e.endsWith(" full sync started"));
            stop();
            sim = null;
            redis = null;
            job = null;
        }
    }

    /** Writes this build's savepoint (stable sync, after a FLUSHALL and writes) into {@code -Ddf2redis.savepoint.write}. */
    @Test
    @EnabledIfSystemProperty(named = "df2redis.savepoint.write", matches = ".+")
    void writeSavepoint() throws Exception {
        JobTestSupport.Target target = start(7);
        job = submit(target, null);
        GeneratedEngine g = sim.generated();
        Random r = new Random(7);
        JobTestSupport.awaitEqual(sim, target, job, Duration.ofSeconds(120));
        g.write(0, "FLUSHALL");
        for (int i = 0; i < 300; i++) {
            SimWorkload.nonIdempotentWrite(g, r, i);
        }
        JobTestSupport.awaitEqual(sim, target, job, Duration.ofSeconds(120));
        Thread.sleep(1500); // a few checkpoints past the last write: the flows are STABLE with LSNs
        String path = job.stopWithSavepoint(false, tmp.resolve("sp").toUri().toString(), SavepointFormatType.CANONICAL).get();
        Path out = Path.of(System.getProperty("df2redis.savepoint.write"));
        Files.createDirectories(out);
        try (Stream<Path> files = Files.list(Path.of(java.net.URI.create(path)))) {
            List<Path> all = files.toList();
            assertThat(all).as("all state inlined in _metadata").extracting(p -> p.getFileName().toString()).containsExactly("_metadata");
            Files.copy(all.get(0), out.resolve("_metadata"), StandardCopyOption.REPLACE_EXISTING);
        }
        job = null;
    }

}
