package io.df2redis.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.testing.redis.RedisProcessesExtension;
import io.df2redis.testing.redis.RedisServerProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A standalone redis-server: many mixed commands over several databases arrive in per-key order. */
@ExtendWith(RedisProcessesExtension.class)
class StandaloneWriterTest {

    @Test
    @Timeout(300)
    void aMillionMixedCommandsOverFourDatabasesArriveInPerKeyOrder() throws Exception {
        writeAndVerify(1_000_000, 50_000, 2);
    }

    @Test
    @Tag("soak")
    @Timeout(3600)
    void tenMillionMixedCommandsArriveInPerKeyOrder() throws Exception {
        writeAndVerify(10_000_000, 500_000, 4);
    }

    private static void writeAndVerify(int commands, int keys, int connections) throws Exception {
        try (RedisServerProcess server = RedisServerProcess.builder().start();
                RedisWriter writer = RedisWriter.open(RedisTarget.parse(server.url()),
                        WriterConfig.builder().connectionsPerNode(connections).build())) {
            assertThat(writer.isCluster()).isFalse();
            MixedWorkload w = new MixedWorkload(MixedWorkload.keyNames("sw:", keys), 4, 42, writer.capabilities().restoreRdbVersion(), false);
            for (int i = 0; i < commands; i++) {
                writer.submit(w.next());
            }
            writer.flush();

            WriterMetrics m = writer.metrics();
            assertThat(m.submitted()).isEqualTo(commands);
            assertThat(m.acknowledged()).isEqualTo(commands);
            assertThat(m.failed()).isZero();
            assertThat(m.resends()).isZero();
            assertThat(m.batches()).as("commands were pipelined, not sent one by one").isLessThan(commands / 10);
            assertThat(writer.outstanding()).isZero();
            try (SlotConnections nodes = SlotConnections.of(server)) {
                assertThat(w.verify(nodes)).isEmpty();
            }
        }
    }
}
