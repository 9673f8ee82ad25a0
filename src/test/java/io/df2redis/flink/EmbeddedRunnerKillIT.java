package io.df2redis.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.testing.dataset.DatasetComparison;
import io.df2redis.testing.dataset.RedisDataset;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.dfsim.GeneratedEngine;
import io.df2redis.testing.dfsim.SimWorkload;
import io.df2redis.testing.redis.RedisServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * As a user would run it: {@code java @flink-conf/jvm.options -jar target/df2redis-local.jar … --state.dir DIR} killed with
 * SIGKILL three times while the master takes non-idempotent writes (INCR, APPEND, LPUSH, LPOP…),
 * and the same command run again each time: every run after the first resumes from the newest
 * checkpoint in DIR (the target policy, fail-if-not-empty, is not applied again), and the target
 * ends equal to the master, nothing applied twice. Runs in {@code mvn verify} after {@code package}.
 */
@Timeout(600)
class EmbeddedRunnerKillIT {
    @TempDir
    Path tmp;

    @Test
    void killedThreeTimesAndRunAgainEndsEqualToTheMaster() throws Exception {
        Path project = Path.of(System.getProperty("df2redis.project.dir", ".")).toAbsolutePath();
        Path jar = project.resolve("target/df2redis-local.jar");
        assertThat(jar).as("the embedded runner's jar (mvn package)").exists();
        Path state = tmp.resolve("state");
        AtomicBoolean stop = new AtomicBoolean();
        try (DfSim sim = DfSim.generated(DfSimConfig.defaults().withFlows(2));
                RedisServerProcess redis = RedisServerProcess.builder().start()) {
            GeneratedEngine g = sim.generated();
            SimWorkload.seed(g, new Random(3));
            List<String> cmd = List.of(javaBin(), "@" + project.resolve("flink-conf/jvm.options"), "-Xmx512m", "-jar", jar.toString(),
                    "--source.url", "redis://127.0.0.1:" + sim.port(), "--target.url", redis.url(),
                    "--source.flows", "2", "--state.dir", state.toString(),
                    "--flow.spill.dir", tmp.resolve("spill").toString());
            Thread writes = new Thread(() -> {
                Random r = new Random(4);
                for (int i = 0; !stop.get(); i++) {
                    SimWorkload.nonIdempotentWrite(g, r, i);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "writes");
            writes.start();
            List<Path> logs = new ArrayList<>();
            Process p = null;
            try {
                for (int run = 0; run < 4; run++) {
                    Path log = tmp.resolve("run-" + run + ".log");
                    logs.add(log);
                    Optional<Path> before = newestCheckpoint(state);
                    p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                    if (run == 3) {
                        break;
                    }
                    // A checkpoint newer than the one this run resumed from: then SIGKILL.
                    long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                    while (newestCheckpoint(state).equals(before) || !newestCheckpoint(state).isPresent()) {
                        assertThat(p.isAlive()).as("run %d is running; its output: %s", run, tail(log)).isTrue();
                        assertThat(System.nanoTime()).as("a checkpoint of run %d", run).isLessThan(end);
                        Thread.sleep(100);
                    }
                    Thread.sleep(500 + 700L * run); // past the checkpoint: these writes are replayed after the kill
                    p.destroyForcibly(); // SIGKILL
                    p.waitFor();
                    Thread.sleep(300); // writes while the job is away
                }
                stop.set(true);
                writes.join();
                g.ping();
                JobTestSupport.Target target = new JobTestSupport.Target(redis.url(),
                        () -> RedisDataset.dumpStandalone(redis.host(), redis.port()),
                        DatasetComparison.rules().ignoreKeyPrefix("__df2redis:").expiryTolerance(0));
                List<String> diff = JobTestSupport.awaitEqual(() -> io.df2redis.testing.flink.SimDatasets.toDataset(g.dataset()),
                        target, null, Duration.ofMinutes(3));
                assertThat(diff).as("target vs master after three SIGKILLs; last run's output: %s", tail(logs.get(3))).isEmpty();
                for (int run = 1; run < 4; run++) {
                    assertThat(Files.readString(logs.get(run))).as("run %d resumed", run).contains("resuming from");
                }
            } finally {
                stop.set(true);
                writes.join();
                if (p != null) {
                    p.destroyForcibly();
                    p.waitFor();
                }
            }
        }
    }

    private static Optional<Path> newestCheckpoint(Path state) throws IOException {
        return new io.df2redis.flink.job.LocalStateDir(state).newestCheckpoint();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
