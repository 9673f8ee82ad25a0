package io.df2redis.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisProcessesExtension;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Slots move key by key (CLUSTER SETSLOT MIGRATING/IMPORTING, MIGRATE, SETSLOT NODE) while the
 * writer keeps writing into them: commands on keys already moved get ASK, commands after the slot
 * is reassigned get MOVED; nothing may be lost, duplicated or reordered.
 */
@ExtendWith(RedisProcessesExtension.class)
class ReshardingWriterTest {

    @Test
    @Timeout(300)
    void writesIntoHalfMovedSlotsArriveInOrderThroughAskAndMoved() throws Exception {
        try (RedisClusterProcesses cluster = RedisClusterProcesses.start();
                RedisWriter writer = RedisWriter.open(RedisTarget.parse(cluster.url()), WriterConfig.builder().retryTimeout(java.time.Duration.ofSeconds(30)).build())) {
            List<RedisServerProcess> primaries = cluster.primaries();
            RedisServerProcess from = primaries.get(0);
            RedisServerProcess to = primaries.get(1);

            // Four slots of the first primary, 120 hot keys in each (hash tags), plus keys all over the cluster.
            Set<Integer> moving = new LinkedHashSet<>();
            List<byte[]> keys = new ArrayList<>();
            for (int tag = 0; moving.size() < 4; tag++) {
                String t = "{rs" + tag + "}";
                int slot = Slots.slot(t.getBytes(StandardCharsets.UTF_8));
                if (cluster.primaryOf(slot) == from && moving.add(slot)) {
                    for (int k = 0; k < 120; k++) {
                        keys.add(("rs:" + t + k).getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            keys.addAll(MixedWorkload.keyNames("bg:", 3000));
            MixedWorkload w = new MixedWorkload(keys, 1, 11, writer.capabilities().restoreRdbVersion(), false);
            java.util.SplittableRandom pick = new java.util.SplittableRandom(3);
            int hot = moving.size() * 120;

            try (BackgroundWriter bg = new BackgroundWriter(writer,
                    // Two thirds of the writes go to the moving slots.
                    () -> w.next(pick.nextInt(3) < 2 ? pick.nextInt(hot) : hot + pick.nextInt(keys.size() - hot)))) {
                bg.awaitSubmitted(50_000);
                for (int slot : moving) {
                    RedisClusterProcesses.SlotMigration m = cluster.beginMigration(slot, to);
                    // Key by key, with writes landing between the moves.
                    while (m.moveKeys(1) > 0) {
                        Thread.sleep(2);
                    }
                    Thread.sleep(20);
                    m.finish();
                }
                bg.awaitSubmitted(bg.submitted() + 20_000);
                bg.stopAndFlush();
            }

            WriterMetrics m = writer.metrics();
            System.out.println(m);
            assertThat(m.ask()).as("ASK replies (writes to keys already moved)").isPositive();
            assertThat(m.moved()).as("MOVED replies (writes after the slot was reassigned)").isPositive();
            assertThat(m.failed()).isZero();
            assertThat(m.unknownOutcomeResends()).isZero();
            assertThat(m.replayedAfterEarlierFailure()).isZero();
            assertThat(m.acknowledged()).isEqualTo(w.emitted());
            for (int slot : moving) {
                assertThat(cluster.primaryOf(slot)).isSameAs(to);
            }
            try (SlotConnections nodes = SlotConnections.of(cluster)) {
                assertThat(w.verify(nodes)).isEmpty();
            }
        }
    }

    @Test
    @Timeout(120)
    void aMultiKeyCommandSplitByAMigrationIsRetriedUntilTheSlotSettles() throws Exception {
        try (RedisClusterProcesses cluster = RedisClusterProcesses.start();
                RedisWriter writer = RedisWriter.open(RedisTarget.parse(cluster.url()),
                        WriterConfig.builder().retryTimeout(java.time.Duration.ofSeconds(30)).build())) {
            int slot = Slots.slot("{mk}".getBytes(StandardCharsets.UTF_8));
            RedisServerProcess from = cluster.primaryOf(slot);
            RedisServerProcess to = cluster.primaries().stream().filter(p -> p != from).findFirst().orElseThrow();
            from.call("SET", "{mk}a", "0");
            from.call("SET", "{mk}b", "0");
            RedisClusterProcesses.SlotMigration m = cluster.beginMigration(slot, to);
            assertThat(m.moveKeys(1)).isEqualTo(1); // one key here, one there: a command on both gets TRYAGAIN

            writer.submit(BadReplyWriterTest.cmd(0, "{mk}a", "MSET", "{mk}a", "1", "{mk}b", "2"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!writer.metrics().transientErrorsByCode().containsKey("TRYAGAIN") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(writer.outstanding()).as("still waiting for the slot").isEqualTo(1);
            while (m.moveKeys(10) > 0) {
                Thread.sleep(1);
            }
            m.finish();
            writer.flush();

            WriterMetrics metrics = writer.metrics();
            System.out.println(metrics + " " + metrics.transientErrorsByCode());
            assertThat(metrics.transientErrorsByCode()).containsKey("TRYAGAIN");
            assertThat(metrics.failed()).isZero();
            assertThat(to.call("GET", "{mk}a").asText()).isEqualTo("1");
            assertThat(to.call("GET", "{mk}b").asText()).isEqualTo("2");
        }
    }

    /**
     * A slot keeps its connection while its route stays (no lookup per command), and follows a route
     * that changed while nothing of it was in flight: once one MOVED made the writer re-read the
     * topology, a second slot that moved with it is written to its new owner without a MOVED.
     */
    @Test
    @Timeout(120)
    void anIdleSlotFollowsARouteChangedByATopologyRefresh() throws Exception {
        try (RedisClusterProcesses cluster = RedisClusterProcesses.start();
                RedisWriter writer = RedisWriter.open(RedisTarget.parse(cluster.url()), WriterConfig.builder().build())) {
            String keyA = "{ra}n";
            int a = Slots.slot(keyA.getBytes(StandardCharsets.UTF_8));
            RedisServerProcess from = cluster.primaryOf(a);
            RedisServerProcess to = cluster.primaries().stream().filter(p -> p != from).findFirst().orElseThrow();
            String keyB = null;
            for (int tag = 0; keyB == null; tag++) {
                String k = "{rb" + tag + "}n";
                int s = Slots.slot(k.getBytes(StandardCharsets.UTF_8));
                if (s != a && cluster.primaryOf(s) == from) {
                    keyB = k;
                }
            }
            for (int i = 0; i < 20; i++) { // both slots bound to their connection on `from`
                writer.submit(BadReplyWriterTest.cmd(0, keyA, "INCR", keyA));
                writer.submit(BadReplyWriterTest.cmd(0, keyB, "INCR", keyB));
            }
            writer.flush();
            for (String k : List.of(keyA, keyB)) {
                RedisClusterProcesses.SlotMigration m = cluster.beginMigration(Slots.slot(k.getBytes(StandardCharsets.UTF_8)), to);
                while (m.moveKeys(10) > 0) {
                    Thread.sleep(1);
                }
                m.finish();
            }
            long refreshes = writer.metrics().topologyRefreshes();
            writer.submit(BadReplyWriterTest.cmd(0, keyA, "INCR", keyA));
            writer.flush();
            assertThat(writer.metrics().moved()).as("the first slot's command was redirected").isEqualTo(1);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (writer.metrics().topologyRefreshes() == refreshes && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(writer.metrics().topologyRefreshes()).as("a MOVED re-reads the topology").isGreaterThan(refreshes);
            writer.submit(BadReplyWriterTest.cmd(0, keyB, "INCR", keyB));
            writer.flush();
            assertThat(writer.metrics().moved()).as("the second slot went to its new owner at once").isEqualTo(1);
            assertThat(to.call("GET", keyA).asText()).isEqualTo("21");
            assertThat(to.call("GET", keyB).asText()).isEqualTo("21");
        }
    }
}
