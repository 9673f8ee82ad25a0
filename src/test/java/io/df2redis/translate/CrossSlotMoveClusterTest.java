package io.df2redis.translate;

import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.redis.Slots;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * RENAME / RENAMENX / COPY journaled verbatim (both keys on one Dragonfly shard) whose keys are in
 * different slots of a real 6-node cluster, applied by two independent appliers — each with its own
 * connections, its own input queue (a Flink channel) and its own slots — interleaved adversarially:
 * the destination's applier running far ahead, polls before and after, writes held back in the
 * writers' buffers, state checkpointed and restored while slots are parked. The target must end
 * exactly as Dragonfly (modelled in memory) did, and no schedule may get stuck.
 */
@Timeout(300)
class CrossSlotMoveClusterTest {
    static RedisClusterProcesses cluster;
    static final String[] KEYS = {"a", "b", "c", "d", "e", "f"};

    @BeforeAll
    static void start() throws Exception {
        cluster = RedisClusterProcesses.start();
        Set<Integer> slots = new HashSet<>();
        for (String k : KEYS) {
            slots.add(Slots.slot(b(k)));
        }
        assertThat(slots).hasSize(KEYS.length);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void clean() {
        for (RedisServerProcess n : cluster.nodes()) {
            try (Jedis j = TestRedis.jedis(n)) {
                if (j.info("replication").contains("role:master")) {
                    j.flushAll();
                }
            }
        }
    }

    final TranslateConfig config = TranslateConfig.builder().build();
    final TargetProfile target = TargetProfile.redis70(true);
    long now = System.currentTimeMillis();

    /** One sink instance: its slots' input channel, its applier, its own connections. */
    final class Sink {
        final ArrayDeque<Object[]> input = new ArrayDeque<>();
        JedisTargetIo io = JedisTargetIo.cluster(cluster.nodes().get(0).host(), cluster.nodes().get(0).port());
        final TranslationCounters counters = new TranslationCounters();
        SlotApplier applier = newApplier();
        long checkpoint;

        SlotApplier newApplier() {
            return new SlotApplier(config, target, () -> now, counters, r -> {}, io);
        }

        boolean step() {
            Object[] in = input.poll();
            if (in == null) {
                return false;
            }
            applier.journal((SlotCommand) in[0], (String) in[1]);
            return true;
        }

        /** Checkpoint: flush the writer, snapshot, "fail", restore into a fresh applier. */
        void checkpointAndRestore() {
            io.drain();
            byte[] state = applier.snapshotState(++checkpoint);
            io.close();
            io = JedisTargetIo.cluster(cluster.nodes().get(0).host(), cluster.nodes().get(0).port());
            applier = newApplier();
            applier.restoreState(state);
        }
    }

    /** Dragonfly's view of the keys: value and absolute expiry. */
    record Val(String value, long expireAt) {}

    final TreeMap<String, Val> model = new TreeMap<>();
    final JournalSplitter splitter = new JournalSplitter(config, 0, 1, new TranslationCounters(), r -> {});
    Sink sinkA;
    Sink sinkB;
    Set<Integer> slotsOfA = new HashSet<>();
    long seq;

    void emit(String... args) {
        List<byte[]> a = new ArrayList<>();
        for (String s : args) {
            a.add(b(s));
        }
        for (SlotCommand u : splitter.split(0, a)) {
            (slotsOfA.contains(u.slot()) ? sinkA : sinkB).input.add(new Object[] {u, "e1:0:" + seq});
        }
        seq++;
        applyToModel(args);
    }

    void applyToModel(String[] a) {
        switch (a[0]) {
            case "SET":
                model.put(a[1], new Val(a[2], a.length > 4 ? Long.parseLong(a[4]) : -1));
                break;
            case "APPEND": {
                Val v = model.get(a[1]);
                model.put(a[1], new Val((v == null ? "" : v.value()) + a[2], v == null ? -1 : v.expireAt()));
                break;
            }
            case "DEL":
                model.remove(a[1]);
                break;
            case "RENAME":
            case "RENAMENX":
                model.put(a[2], model.remove(a[1]));
                break;
            case "COPY":
                model.put(a[2], model.get(a[1]));
                break;
            default:
                throw new IllegalArgumentException(a[0]);
        }
    }

    /** The same workload as Dragonfly would journal it: renames only of existing keys. */
    void randomWorkload(Random rnd, int ops) {
        for (int i = 0; i < ops; i++) {
            String k = KEYS[rnd.nextInt(KEYS.length)];
            String other = KEYS[rnd.nextInt(KEYS.length)];
            int op = rnd.nextInt(10);
            if (op < 3) {
                if (rnd.nextBoolean()) {
                    emit("SET", k, "v" + i, "PXAT", Long.toString(now + 3_600_000 + i));
                } else {
                    emit("SET", k, "v" + i);
                }
            } else if (op < 5) {
                emit("APPEND", k, "+" + i);
            } else if (op == 5) {
                if (model.containsKey(k)) {
                    emit("DEL", k);
                }
            } else if (!k.equals(other) && model.containsKey(k)) {
                if (op == 9) {
                    emit("COPY", k, other, "REPLACE");
                } else if (op == 8 && !model.containsKey(other)) {
                    emit("RENAMENX", k, other);
                } else {
                    emit("RENAME", k, other);
                }
            }
        }
    }

    /** Runs both sinks under a random schedule until everything is applied. */
    void schedule(Random rnd, double biasToB, boolean checkpoints) {
        int guard = 0;
        while (!(sinkA.input.isEmpty() && sinkB.input.isEmpty() && sinkA.applier.idle() && sinkB.applier.idle())) {
            if (++guard > 200_000) {
                throw new AssertionError("no progress: A parks " + sinkA.applier.parkedSlots() + " slots, B parks "
                        + sinkB.applier.parkedSlots() + "; inputs " + sinkA.input.size() + "/" + sinkB.input.size());
            }
            Sink s = rnd.nextDouble() < biasToB ? sinkB : sinkA;
            int action = rnd.nextInt(10);
            if (action < 6) {
                if (!s.step()) {
                    s.applier.poll();
                }
            } else if (action < 8) {
                s.applier.poll();
            } else if (action < 9) {
                s.io.drain();
            } else if (checkpoints && rnd.nextInt(20) == 0) {
                s.checkpointAndRestore();
            }
        }
        sinkA.io.drain();
        sinkB.io.drain();
    }

    void assertTargetEqualsModel() {
        for (String k : KEYS) {
            Val v = model.get(k);
            try (Jedis n = nodeOf(k)) {
                if (v == null) {
                    assertThat(n.exists(k)).as("key %s", k).isFalse();
                } else {
                    assertThat(n.get(k)).as("key %s", k).isEqualTo(v.value());
                    assertThat(n.pexpireTime(k)).as("expiry of %s", k).isEqualTo(v.expireAt());
                }
            }
        }
    }

    /** After a completed checkpoint, nothing of the staging machinery is left in the target. */
    void assertCleanAfterCheckpoint() {
        for (Sink s : List.of(sinkA, sinkB)) {
            s.io.drain();
            s.applier.snapshotState(++s.checkpoint);
            s.applier.checkpointComplete(s.checkpoint);
            s.io.drain();
        }
        for (RedisServerProcess n : cluster.nodes()) {
            try (Jedis j = TestRedis.jedis(n)) {
                if (j.info("replication").contains("role:master")) {
                    assertThat(j.keys("__df2redis:*")).as("internal keys on %d", n.port()).isEmpty();
                }
            }
        }
    }

    static Jedis nodeOf(String key) {
        int slot = Slots.slot(b(key));
        try (Jedis seed = TestRedis.jedis(cluster.nodes().get(0))) {
            for (Object o : (List<?>) seed.sendCommand(() -> b("CLUSTER"), b("SLOTS"))) {
                List<?> r = (List<?>) o;
                if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
                    List<?> m = (List<?>) r.get(2);
                    return new Jedis(new String((byte[]) m.get(0), StandardCharsets.UTF_8), ((Long) m.get(1)).intValue());
                }
            }
        }
        throw new IllegalStateException("no node for slot " + slot);
    }

    void twoSinks(String... keysOfA) {
        sinkA = new Sink();
        sinkB = new Sink();
        slotsOfA = new HashSet<>();
        for (String k : keysOfA) {
            slotsOfA.add(Slots.slot(b(k)));
        }
    }

    @Test
    void renameFollowedAtOnceByWritesToBothKeysWithTheDestinationFarAhead() {
        twoSinks("a"); // a's slot on sink A, b's on sink B
        emit("SET", "a", "old-a", "PXAT", Long.toString(now + 600_000));
        emit("SET", "b", "old-b");
        emit("RENAME", "a", "b");
        emit("SET", "a", "new-a");
        emit("APPEND", "b", "+after");
        // the destination's sink runs first and as far as it can: it parks b's slot
        while (sinkB.step()) {
            sinkB.applier.poll();
        }
        sinkB.io.drain();
        assertThat(sinkB.applier.parkedSlots()).isEqualTo(1);
        try (Jedis n = nodeOf("b")) {
            assertThat(n.get("b")).isEqualTo("old-b"); // nothing after the rename reached Redis
        }
        // the checkpoint holds the parked records; a restore keeps them
        sinkB.checkpointAndRestore();
        while (sinkA.step()) {
            sinkA.applier.poll();
        }
        sinkA.io.drain();
        sinkB.applier.poll();
        sinkB.io.drain();
        assertThat(sinkB.applier.idle()).isTrue();
        assertTargetEqualsModel();
        try (Jedis n = nodeOf("b")) {
            assertThat(n.get("b")).isEqualTo("old-a+after");
            assertThat(n.pexpireTime("b")).isEqualTo(now + 600_000);
        }
        assertThat(sinkA.counters.get(Outcome.CROSS_SLOT_MOVES)).isEqualTo(1);
    }

    @Test
    void swapAndChainAcrossTwoSinks() {
        twoSinks("a", "c");
        // a → c, b → a, c → b, b → c: chains and swaps
        emit("SET", "a", "A");
        emit("SET", "b", "B");
        emit("RENAME", "a", "c");
        emit("RENAME", "b", "a");
        emit("RENAME", "c", "b");
        emit("RENAME", "b", "c");
        emit("APPEND", "c", "!");
        emit("APPEND", "a", "?");
        schedule(new Random(1), 0.9, false);
        assertTargetEqualsModel();
        assertCleanAfterCheckpoint();
    }

    @Test
    void randomWorkloadsUnderAdversarialSchedules() {
        for (int seed = 0; seed < 12; seed++) {
            clean();
            model.clear();
            Random rnd = new Random(seed);
            List<String> ofA = new ArrayList<>();
            for (String k : KEYS) {
                if (rnd.nextBoolean()) {
                    ofA.add(k);
                }
            }
            twoSinks(ofA.toArray(new String[0]));
            randomWorkload(rnd, 150);
            schedule(rnd, seed % 3 == 0 ? 0.5 : seed % 3 == 1 ? 0.95 : 0.05, seed % 2 == 0);
            assertTargetEqualsModel();
            if (seed % 2 == 1) {
                assertCleanAfterCheckpoint();
            }
            sinkA.io.close();
            sinkB.io.close();
        }
    }

    @Test
    void replayedSourceHalfAfterTheMoveLeavesTheDestination() {
        twoSinks("a");
        emit("SET", "a", "value");
        emit("RENAME", "a", "b");
        schedule(new Random(5), 0.5, false);
        assertTargetEqualsModel();
        // a failure before the next checkpoint replays the RENAME on both sides (new applier state)
        long replayed = seq - 1;
        List<byte[]> rename = List.of(b("RENAME"), b("a"), b("b"));
        for (SlotCommand u : splitter.split(0, rename)) {
            (slotsOfA.contains(u.slot()) ? sinkA : sinkB).input.add(new Object[] {u, "e1:0:" + replayed});
        }
        schedule(new Random(6), 0.5, false);
        assertTargetEqualsModel();
        assertThat(sinkA.counters.get(Outcome.CROSS_SLOT_SOURCE_MISSING)).isEqualTo(1);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
