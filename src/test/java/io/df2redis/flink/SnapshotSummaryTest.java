package io.df2redis.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.flink.job.Df2RedisJob;
import io.df2redis.flink.job.JobSettings;
import io.df2redis.flink.job.LocalStateDir;
import io.df2redis.flink.job.SummaryReporter;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.dfsim.SimWorkload;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.file.Path;
import java.util.Random;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded runner's closing line for {@code --mode snapshot}: how long, how many values were
 * written, and what was left out by reason (here a key pattern), from every task's counters.
 */
@Timeout(180)
class SnapshotSummaryTest {
    @TempDir
    Path tmp;

    @Test
    void aSnapshotEndsWithWhatItWroteAndWhatItLeftOut() throws Exception {
        SummaryReporter.reset();
        try (DfSim sim = DfSim.generated(DfSimConfig.defaults().withFlows(2));
                RedisServerProcess redis = RedisServerProcess.builder().start()) {
            SimWorkload.seed(sim.generated(), new Random(4)); // 189 keys, 60 of them int:*
            JobSettings settings = JobSettings.fromArgs("--source.url", "redis://127.0.0.1:" + sim.port(), "--target.url", redis.url(),
                    "--mode", "snapshot", "--filter.keys.exclude", "int:*", "--state.dir", tmp.resolve("state").toString(),
                    "--flow.spill.dir", tmp.resolve("spill").toString());
            StreamExecutionEnvironment env = Df2RedisJob.embedded(settings, new LocalStateDir(tmp.resolve("state")));
            Df2RedisJob.build(env, settings, 2);
            JobExecutionResult result = env.execute("snapshot summary");
            String line = Df2RedisJob.snapshotSummary(result.getNetRuntime(), SummaryReporter.totals());
            assertThat(line).matches("snapshot done in [0-9.]+ s: 129 whole values written \\(.*snapshot_(native|restored)=.*\\);"
                    + " left out or changed: .*filter_key=60.*");
            long keys = 0;
            for (String l : redis.call("INFO", "keyspace").asText().split("\r?\n")) {
                if (l.startsWith("db")) {
                    keys += Long.parseLong(l.substring(l.indexOf("keys=") + 5, l.indexOf(',')));
                }
            }
            assertThat(keys).as("the job's own keys aside").isGreaterThanOrEqualTo(129);
        }
    }
}
