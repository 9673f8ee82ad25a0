package io.df2redis.flink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.testing.redis.RedisServerProcess;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The target policy against a real redis-server, including main() running again for a job with a
 * fixed id (application mode after a JobManager failover), which must not flush or refuse what
 * that job already wrote.
 */
class TargetPreparationTest {
    private RedisServerProcess redis;
    private Jedis jedis;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServerProcess.builder().start();
        jedis = new Jedis(redis.host(), redis.port());
    }

    @AfterEach
    void stop() throws Exception {
        if (jedis != null) {
            jedis.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private JobSettings settings(String policy) {
        return JobSettings.fromArgs("--source.url", "redis://127.0.0.1:1", "--target.url", redis.url(),
                "--full-sync.target-policy", policy);
    }

    @Test
    void flushOnceForAJobWithAFixedIdThenNotAgainWhenItsMainRunsAgain() throws Exception {
        jedis.set("unrelated", "x");
        TargetPreparation.apply(settings("flush"), Optional.of("job-a"));
        assertThat(jedis.exists("unrelated")).as("flushed at the first run").isFalse();
        assertThat(jedis.get(TargetMarker.KEY)).isEqualTo("job-a");

        jedis.set("written-by-job-a", "v"); // the job ran, then its JobManager failed over
        TargetPreparation.apply(settings("flush"), Optional.of("job-a"));
        assertThat(jedis.get("written-by-job-a")).as("not flushed again for the same job").isEqualTo("v");

        TargetPreparation.apply(settings("flush"), Optional.of("job-b"));
        assertThat(jedis.exists("written-by-job-a")).as("another job flushes").isFalse();
        assertThat(jedis.get(TargetMarker.KEY)).isEqualTo("job-b");
    }

    @Test
    void failIfNotEmptyAcceptsItsOwnJobsTargetOnlyAndRefusesOthersNamingTheSetting() throws Exception {
        TargetPreparation.apply(settings("fail-if-not-empty"), Optional.of("job-a"));
        jedis.set("written-by-job-a", "v");
        TargetPreparation.apply(settings("fail-if-not-empty"), Optional.of("job-a"));
        assertThat(jedis.get("written-by-job-a")).isEqualTo("v");

        assertThatThrownBy(() -> TargetPreparation.apply(settings("fail-if-not-empty"), Optional.of("job-b")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("full-sync.target-policy")
                .hasMessageContaining("not empty");
        assertThatThrownBy(() -> TargetPreparation.apply(settings("fail-if-not-empty"), Optional.empty()))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("not empty");
    }

    @Test
    void withoutAFixedJobIdNothingIsMarkedAndOverwriteKeepsTheTarget() throws Exception {
        jedis.set("unrelated", "x");
        TargetPreparation.apply(settings("overwrite"), Optional.empty());
        assertThat(jedis.get("unrelated")).isEqualTo("x");
        TargetPreparation.apply(settings("flush"), Optional.empty());
        assertThat(jedis.dbSize()).as("flushed, and no marker for a job without a fixed id").isZero();
        TargetPreparation.apply(settings("fail-if-not-empty"), Optional.empty());
        assertThat(jedis.dbSize()).isZero();
    }
}
