package io.df2redis.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;

/**
 * {@code --mode cleanup}: the job's own keys (watermarks, staging keys, markers; any key under the
 * internal prefix) go, in every database and on every primary; the user's keys stay. No source needed.
 */
@Timeout(120)
class CleanupModeTest {

    @Test
    void deletesTheJobsOwnKeysInEveryDatabaseAndNothingElse() throws Exception {
        try (RedisServerProcess r = RedisServerProcess.builder().start(); Jedis j = new Jedis(r.host(), r.port())) {
            j.hset("__df2redis:wm:{a}", "0", "17");
            j.set("__df2redis:{b}:mv:x1:0:5:state", "D");
            j.set("user:key", "stays");
            j.select(3);
            j.hset("__df2redis:wm:{c}", "1", "3");
            j.set("__df2redisX", "not the prefix");
            j.functionLoadReplace(io.df2redis.translate.Watermarks.library());
            String line = Df2RedisJob.cleanup(JobSettings.fromArgs("--mode", "cleanup", "--target.url", r.url()));
            assertThat(line).startsWith("deleted 3 keys named __df2redis:*").endsWith("and the function library df2redis_1 from 1 primaries");
            assertThat(j.functionList()).as("the exactly-once library is gone").isEmpty();
            assertThat(j.dbSize()).isEqualTo(1);
            assertThat(j.get("__df2redisX")).isEqualTo("not the prefix");
            j.select(0);
            assertThat(j.keys("*")).containsExactly("user:key");
        }
    }

    @Test
    void onAClusterEveryPrimaryIsCleaned() throws Exception {
        try (RedisClusterProcesses c = RedisClusterProcesses.start()) {
            RedisServerProcess seed = c.primaries().get(0);
            try (JedisCluster j = new JedisCluster(new redis.clients.jedis.HostAndPort(seed.host(), seed.port()))) {
                for (int i = 0; i < 50; i++) {
                    j.hset("__df2redis:wm:{" + i + "}", "0", Integer.toString(i));
                    j.set("user:" + i, "v");
                }
                String line = Df2RedisJob.cleanup(JobSettings.fromArgs("--mode", "cleanup", "--target.url", c.url()));
                assertThat(line).startsWith("deleted 50 keys");
                for (int i = 0; i < 50; i++) {
                    assertThat(j.exists("__df2redis:wm:{" + i + "}")).isFalse();
                    assertThat(j.get("user:" + i)).isEqualTo("v");
                }
            }
        }
    }
}
