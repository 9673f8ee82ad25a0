package io.df2redis.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisProcessesExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A 6-node cluster (3 primaries + 3 replicas): many mixed commands arrive in per-key order. */
@ExtendWith(RedisProcessesExtension.class)
class ClusterWriterTest {

    @Test
    @Timeout(300)
    void aMillionMixedCommandsArriveInPerKeyOrder() throws Exception {
        writeAndVerify(1_000_000, 50_000);
    }

    @Test
    @Tag("soak")
    @Timeout(3600)
    void tenMillionMixedCommandsArriveInPerKeyOrder() throws Exception {
        writeAndVerify(10_000_000, 500_000);
    }

    private static void writeAndVerify(int commands, int keys) throws Exception {
        try (RedisClusterProcesses cluster = RedisClusterProcesses.start();
                RedisWriter writer = RedisWriter.open(cluster.url())) {
            assertThat(writer.isCluster()).isTrue();
            MixedWorkload w = new MixedWorkload(MixedWorkload.keyNames("cw:", keys), 1, 7, writer.capabilities().restoreRdbVersion(), false);
            for (int i = 0; i < commands; i++) {
                writer.submit(w.next());
            }
            writer.flush();

            WriterMetrics m = writer.metrics();
            assertThat(m.acknowledged()).isEqualTo(commands);
            assertThat(m.failed()).isZero();
            assertThat(m.moved()).isZero();
            assertThat(m.batches()).isLessThan(commands / 10);
            try (SlotConnections nodes = SlotConnections.of(cluster)) {
                assertThat(w.verify(nodes)).isEmpty();
            }
            // Every primary got its share: the writer routes by slot.
            for (var p : cluster.primaries()) {
                assertThat(p.call("DBSIZE").asLong()).isGreaterThan(keys / 5);
            }
        }
    }
}
