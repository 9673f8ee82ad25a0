package io.df2redis.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clearing slots for a global command keeps the keys a predicate accepts (the staging keys and
 * markers of cross-slot moves: a move after the command may already have staged its value in a slot
 * whose writer clears later; found by the chaos test as a destination slot parked for ever), also
 * when a cluster slot holds more kept keys than one GETKEYSINSLOT page.
 */
class ClearSlotsKeepingTest {
    private static final Predicate<byte[]> KEEP = key -> new String(key, StandardCharsets.UTF_8).startsWith("__df2redis:{");

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void fill(RedisWriter w, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            byte[] user = b("user:{t}:" + i);
            byte[] staged = b("__df2redis:{t}:mv:x1:0:" + i);
            w.submit(RedisCommand.of(0, user, b("SET"), user, b("v")));
            w.submit(RedisCommand.of(0, staged, b("SET"), staged, b("V")));
        }
        w.flush();
    }

    @Test
    @Timeout(60)
    void standaloneKeepsThePrefixedKeys() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.builder().start(); RedisWriter w = RedisWriter.open(server.url())) {
            fill(w, 2500);
            BitSet all = new BitSet();
            all.set(0, Slots.COUNT);
            assertThat(w.clearSlots(null, all, KEEP)).isEqualTo(2500);
            assertThat(server.call("DBSIZE").asLong()).isEqualTo(2500);
            assertThat(server.call("EXISTS", "__df2redis:{t}:mv:x1:0:7").asLong()).isEqualTo(1);
            assertThat(server.call("EXISTS", "user:{t}:7").asLong()).isZero();
        }
    }

    @Test
    @Timeout(120)
    void aClusterSlotWithMoreKeptKeysThanAPageIsClearedAndLeftWithThem() throws Exception {
        try (RedisClusterProcesses cluster = RedisClusterProcesses.start();
                RedisWriter w = RedisWriter.open(RedisTarget.parse(cluster.url()), WriterConfig.defaults())) {
            fill(w, 2500); // one slot: {t}
            BitSet slot = new BitSet();
            slot.set(Slots.slot(b("{t}")));
            assertThat(w.clearSlots(null, slot, KEEP)).isEqualTo(2500);
            RedisServerProcess owner = cluster.primaryOf(Slots.slot(b("{t}")));
            assertThat(owner.call("CLUSTER", "COUNTKEYSINSLOT", Integer.toString(Slots.slot(b("{t}")))).asLong()).isEqualTo(2500);
            assertThat(owner.call("EXISTS", "user:{t}:7").asLong()).isZero();
        }
    }
}
