package io.df2redis.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.redis.CommandFailure;
import io.df2redis.redis.NodeAddress;
import io.df2redis.redis.RedisCommand;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplayDuplicateTest {
    private static CommandFailure refused(String reply) {
        byte[] k = "s".getBytes(StandardCharsets.UTF_8);
        return new CommandFailure(RedisCommand.of(0, k, "XADD".getBytes(StandardCharsets.UTF_8), k), CommandFailure.Reason.REFUSED,
                reply, new NodeAddress("127.0.0.1", 6379), 1);
    }

    @Test
    void repliesThatMeanAlreadyAppliedAreReplayDuplicates() {
        assertThat(RedisSinkWriter.isReplayDuplicate(refused(
                "ERR The ID specified in XADD is equal or smaller than the target stream top item"))).isTrue();
        assertThat(RedisSinkWriter.isReplayDuplicate(refused("BUSYGROUP Consumer Group name already exists"))).isTrue();
        assertThat(RedisSinkWriter.isReplayDuplicate(refused(
                "ERR The ID specified in XSETID is smaller than the target stream top item"))).isTrue();
    }

    @Test
    void otherRefusalsAreNot() {
        assertThat(RedisSinkWriter.isReplayDuplicate(refused("WRONGTYPE Operation against a key holding the wrong kind of value"))).isFalse();
        assertThat(RedisSinkWriter.isReplayDuplicate(refused("ERR unknown command 'SADDEX'"))).isFalse();
        assertThat(RedisSinkWriter.isReplayDuplicate(new CommandFailure(refused("BUSYGROUP x").command(),
                CommandFailure.Reason.UNREACHABLE, "BUSYGROUP x", new NodeAddress("h", 1), 3))).isFalse();
    }
}
