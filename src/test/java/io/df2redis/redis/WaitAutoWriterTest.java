package io.df2redis.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.testing.redis.Await;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code writer.wait.replicas=auto} (the default): a flush sends {@code WAIT 1} to a primary that
 * has a connected replica, so an acknowledged (and then ACKed to Dragonfly) write survives the
 * primary's crash, and no WAIT at all to a primary without replicas.
 */
@Timeout(60)
class WaitAutoWriterTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void waitsOnlyWhereThePrimaryHasReplicas() throws Exception {
        try (RedisServerProcess primary = RedisServerProcess.builder().start();
                RedisServerProcess replica = RedisServerProcess.builder().config("replicaof", primary.host(),
                        Integer.toString(primary.port())).start();
                RedisServerProcess alone = RedisServerProcess.builder().start()) {
            Await.until(Duration.ofSeconds(20), "the replica to connect", () -> {
                String info = primary.call("INFO", "replication").asText();
                return info.contains("connected_slaves:1") ? null : info;
            });
            WriterConfig auto = WriterConfig.builder().waitForReplicasWhereAny(Duration.ofSeconds(2)).build();
            try (RedisWriter w = RedisWriter.open(primary.target(), auto)) {
                w.submit(RedisCommand.of(0, b("k"), b("INCR"), b("k")));
                w.flush();
                assertThat(w.metrics().waits()).as("WAIT sent to the primary with a replica").isEqualTo(1);
                assertThat(replica.call("GET", "k").asText()).as("on the replica once flush returned").isEqualTo("1");
            }
            try (RedisWriter w = RedisWriter.open(alone.target(), auto)) {
                w.submit(RedisCommand.of(0, b("k"), b("INCR"), b("k")));
                w.flush();
                assertThat(w.metrics().waits()).as("no WAIT where there is no replica").isZero();
            }
        }
    }
}
