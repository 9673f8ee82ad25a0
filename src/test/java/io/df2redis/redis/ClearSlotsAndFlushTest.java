package io.df2redis.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.resp.RespReply;
import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisProcessesExtension;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Deleting the keys of given slots (every database on a standalone target), FLUSHALL and FLUSHDB on every primary. */
@ExtendWith(RedisProcessesExtension.class)
class ClearSlotsAndFlushTest {
    private static final int KEYS = 20_000;

    /** Slots 0, 3, 6, …: about a third. */
    private static BitSet everyThirdSlot() {
        BitSet b = new BitSet();
        for (int s = 0; s < Slots.COUNT; s += 3) {
            b.set(s);
        }
        return b;
    }

    private static long writeKeys(RedisWriter writer, int databases, BitSet cleared) throws Exception {
        long inCleared = 0;
        for (int i = 0; i < KEYS; i++) {
            byte[] k = ("cs:" + i).getBytes(StandardCharsets.UTF_8);
            writer.submit(RedisCommand.of(i % databases, k, "SET".getBytes(StandardCharsets.UTF_8), k, k));
            if (cleared.get(Slots.slot(k))) {
                inCleared++;
            }
        }
        writer.flush();
        return inCleared;
    }

    @Test
    @Timeout(120)
    void standaloneClearsTheSlotsInEveryDatabaseAndFlushes() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.builder().start();
                RedisWriter writer = RedisWriter.open(server.url())) {
            BitSet cleared = everyThirdSlot();
            long inCleared = writeKeys(writer, 3, cleared);

            assertThat(writer.clearSlots(cleared)).isEqualTo(inCleared);
            long left = 0;
            try (RedisConnection c = server.connect()) {
                for (int db = 0; db < 3; db++) {
                    c.callOk("SELECT", Integer.toString(db));
                    left += c.callOk("DBSIZE").asLong();
                    String cursor = "0";
                    do {
                        var page = c.callOk("SCAN", cursor, "COUNT", "1000").asArray();
                        cursor = page.get(0).asText();
                        for (RespReply k : page.get(1).asArray()) {
                            assertThat(cleared.get(Slots.slot(((RespReply.Bulk) k).bytes()))).as("key %s left", k.asText()).isFalse();
                        }
                    } while (!cursor.equals("0"));
                }
                assertThat(left).isEqualTo(KEYS - inCleared);

                writer.flushDb(1);
                c.callOk("SELECT", "1");
                assertThat(c.callOk("DBSIZE").asLong()).isZero();
                c.callOk("SELECT", "0");
                assertThat(c.callOk("DBSIZE").asLong()).isPositive();
                writer.flushAll();
                assertThat(c.callOk("DBSIZE").asLong()).isZero();
            }
        }
    }

    @Test
    @Timeout(180)
    void clusterClearsTheSlotsOnTheirPrimariesAndFlushesEveryPrimary() throws Exception {
        try (RedisClusterProcesses cluster = RedisClusterProcesses.start();
                RedisWriter writer = RedisWriter.open(cluster.url())) {
            BitSet cleared = everyThirdSlot();
            long inCleared = writeKeys(writer, 1, cleared);

            assertThat(writer.clearSlots(cleared)).isEqualTo(inCleared);
            long left = 0;
            for (var p : cluster.primaries()) {
                left += p.call("DBSIZE").asLong();
                BitSet own = cluster.slotsOf(p);
                own.and(cleared);
                for (int s = own.nextSetBit(0); s >= 0; s = own.nextSetBit(s + 1)) {
                    assertThat(p.call("CLUSTER", "COUNTKEYSINSLOT", Integer.toString(s)).asLong()).isZero();
                }
            }
            assertThat(left).isEqualTo(KEYS - inCleared);

            assertThatThrownBy(() -> writer.flushDb(1)).isInstanceOf(IllegalArgumentException.class);
            writer.flushDb(0);
            for (var p : cluster.primaries()) {
                assertThat(p.call("DBSIZE").asLong()).isZero();
            }
            writeKeys(writer, 1, cleared);
            writer.flushAll();
            for (var p : cluster.primaries()) {
                assertThat(p.call("DBSIZE").asLong()).isZero();
            }
        }
    }
}
