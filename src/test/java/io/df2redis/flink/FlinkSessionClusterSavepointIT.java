package io.df2redis.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.dfsim.GeneratedEngine;
import io.df2redis.testing.dfsim.SimWorkload;
import io.df2redis.testing.flink.FlinkSessionCluster;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The savepoint path on a real Flink standalone session cluster (a JobManager and a TaskManager
 * process started from Maven artifacts by deploy/standalone/flink-session.sh): {@code flink run
 * target/df2redis-job.jar}, full sync and stable sync from the master simulator into a real Redis,
 * {@code flink stop --savepointPath}, writes while the job is stopped, {@code flink run -s
 * <savepoint>}: the job resumes with PARTIAL flows from the savepoint's LSNs and the target ends
 * equal to the master. Then once more with keys deleted and the master's backlog evicted in the
 * gap: the resume is answered FULL, the writers reset, and the deleted keys do not stay. Runs in {@code mvn verify} (after {@code package} built the job jar).
 */
@Timeout(600)
class FlinkSessionClusterSavepointIT {

    @TempDir
    Path tmp;

    @Test
    void stopWithSavepointAndResumeWithWritesInTheGap() throws Exception {
        Path project = Path.of(System.getProperty("df2redis.project.dir", ".")).toAbsolutePath();
        Path jar = project.resolve("target/df2redis-job.jar");
        assertThat(jar).as("the job jar (mvn package)").exists();
        try (DfSim sim = DfSim.generated(DfSimConfig.defaults().withFlows(2));
                RedisServerProcess redis = RedisServerProcess.builder().start();
                FlinkSessionCluster flink = FlinkSessionCluster.start(project, tmp.resolve("flink"), 4)) {
            GeneratedEngine g = sim.generated();
            Random r = new Random(21);
            SimWorkload.seed(g, r);
            JobTestSupport.Target target = JobTestSupport.standalone(redis.host(), redis.port(), redis.url());
            List<String> args = List.of(
                    "--source.url", "redis://127.0.0.1:" + sim.port(),
                    "--target.url", redis.url(),
                    "--flow.spill.dir", tmp.resolve("spill").toString());
            String jobId = flink.submit(jar, null, args);
            try {
                flink.awaitState(jobId, "RUNNING", Duration.ofMinutes(2));
                awaitSession(sim, 1);
                for (int i = 0; i < 300; i++) {
                    SimWorkload.randomWrite(g, r, i);
                }
                JobTestSupport.awaitEqual(sim, target, null, Duration.ofMinutes(2));
                // ACKs follow completed checkpoints: wait for one past the last write.
                long checkpoints = flink.completedCheckpoints(jobId);
                while (flink.completedCheckpoints(jobId) < checkpoints + 2) {
                    Thread.sleep(200);
                }
                String savepoint = flink.stopWithSavepoint(jobId);
                flink.awaitState(jobId, "FINISHED", Duration.ofMinutes(1));
                assertThat(Files.exists(Path.of(java.net.URI.create(savepoint.startsWith("file:") ? savepoint : "file://" + savepoint))))
                        .as("savepoint %s", savepoint).isTrue();

                // The job is stopped: the master goes on being written.
                for (int i = 0; i < 300; i++) {
                    SimWorkload.randomWrite(g, r, 1000 + i);
                }
                String resumed = flink.submit(jar, savepoint, args);
                jobId = resumed;
                flink.awaitState(resumed, "RUNNING", Duration.ofMinutes(2));
                for (int i = 0; i < 100; i++) {
                    SimWorkload.randomWrite(g, r, 2000 + i);
                }
                JobTestSupport.awaitEqual(sim, target, null, Duration.ofMinutes(2));
                assertThat(sim.events()).as("the resumed job asked for PARTIAL and got it")
                        .anySatisfy(e -> assertThat(e).matches("SYNC2 flow \\d registered PARTIAL.*"));

                // Again, now with keys deleted and the master's backlog evicted while the job is away:
                // the resume is answered FULL, and the deleted keys must not stay in the target.
                checkpoints = flink.completedCheckpoints(jobId);
                while (flink.completedCheckpoints(jobId) < checkpoints + 2) {
                    Thread.sleep(200);
                }
                savepoint = flink.stopWithSavepoint(jobId);
                flink.awaitState(jobId, "FINISHED", Duration.ofMinutes(1));
                List<String> deleted = new java.util.ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    if (g.dataset().get(0, io.df2redis.testing.recordings.Bytes.utf8("str:" + i)) != null) {
                        g.write(0, "DEL", "str:" + i);
                        deleted.add("str:" + i);
                    }
                }
                for (int i = 0; i < 300; i++) {
                    SimWorkload.nonIdempotentWrite(g, r, 3000 + i);
                }
                g.evictBacklog();
                jobId = flink.submit(jar, savepoint, args);
                flink.awaitState(jobId, "RUNNING", Duration.ofMinutes(2));
                JobTestSupport.awaitEqual(sim, target, null, Duration.ofMinutes(2));
                assertThat(deleted).as("keys deleted while the job was away").isNotEmpty();
                assertThat(sim.events()).as("the third session asked to resume and was answered FULL")
                        .anySatisfy(e -> assertThat(e).matches("SYNC3 flow \\d registered FULL \\(asked to resume at \\d+\\)"));
                assertThat(sim.violations()).isEmpty();
            } catch (Throwable t) {
                throw new AssertionError(t.getMessage() + "\n" + flink.logs(), t);
            } finally {
                try {
                    flink.cancel(jobId);
                } catch (Exception ignored) {
                    // the cluster is stopped below anyway
                }
            }
        }
    }

    private static void awaitSession(DfSim sim, int sessions) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < end) {
            if (sim.events().stream().filter(e -> e.endsWith(" stable sync started")).count() >= sessions) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no stable sync after 2 minutes: " + sim.events());
    }
}
