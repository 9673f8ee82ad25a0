package io.df2redis.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.dragonfly.event.FlowEvent.GlobalCommand;
import io.df2redis.redis.Slots;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * Exactly-once journal apply on a real redis-server: a unit runs with its slot's watermark in one
 * script, a replayed unit (a fresh applier whose positions were read from the target, or the same
 * command resent after an unknown outcome) changes nothing, with non-idempotent commands; cross-slot
 * moves and global commands replayed after a restore are recognised as applied.
 */
@Timeout(120)
class ExactlyOnceApplyRedisTest {
    static RedisServerProcess redis;
    Jedis j;
    final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    final TranslationCounters counters = new TranslationCounters();
    final List<JedisTargetIo> ios = new ArrayList<>();
    final TranslateConfig config = TranslateConfig.builder().build();
    final Watermarks watermarks = new Watermarks(config.internalKeyPrefix());
    /** Units as FCALL of the loaded library (true) or EVAL of the composed script. */
    boolean functions;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServerProcess.builder().start();
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void setUp() {
        j = TestRedis.jedis(redis);
        j.flushAll();
    }

    @AfterEach
    void tearDown() {
        ios.forEach(JedisTargetIo::close);
        j.close();
    }

    /** A writer that starts (or restores): its positions read from the target's watermarks, as the sink does. */
    SlotApplier restoredApplier(JedisTargetIo io) {
        AppliedPositions p = new AppliedPositions(0);
        for (int slot = 0; slot < Slots.COUNT; slot++) {
            Map<byte[], byte[]> h = j.hgetAll(watermarks.key(slot));
            List<byte[]> fields = new ArrayList<>();
            h.forEach((k, v) -> {
                fields.add(k);
                fields.add(v);
            });
            p.load(0, slot, fields);
        }
        return new SlotApplier(config, TargetProfile.redis70(false), clock::get, counters, r -> { }, io, p,
                new Watermarks(config.internalKeyPrefix(), functions));
    }

    JedisTargetIo io() {
        JedisTargetIo io = JedisTargetIo.standalone(redis.host(), redis.port());
        ios.add(io);
        return io;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static SlotCommand unit(String keyOfSlot, String... args) {
        List<byte[]> a = new ArrayList<>();
        for (String s : args) {
            a.add(b(s));
        }
        return new SlotCommand(0, Slots.slot(b(keyOfSlot)), b(keyOfSlot), a);
    }

    /** The journal of one flow: INCR, APPEND, LPUSH, RPUSH+LPOP, HINCRBY, INCRBYFLOAT (a script), ZINCRBY, DEL. */
    void journal(SlotApplier a, int flow, long fromLsn, long toLsn) {
        for (long lsn = fromLsn; lsn <= toLsn; lsn++) {
            SlotCommand u = switch ((int) (lsn % 8)) {
                case 0 -> unit("counter", "INCR", "counter");
                case 1 -> unit("log", "APPEND", "log", "+" + lsn);
                case 2 -> unit("list", "LPUSH", "list", "l" + lsn);
                case 3 -> unit("queue", "RPUSH", "queue", "q" + lsn, "r" + lsn);
                case 4 -> unit("queue", "LPOP", "queue");
                case 5 -> unit("hash", "HINCRBY", "hash", "f", "3");
                case 6 -> unit("float", "INCRBYFLOAT", "float", "0.1");
                default -> lsn % 16 == 7 ? unit("zset", "ZINCRBY", "zset", "2", "m") : unit("gone", "DEL", "gone");
            };
            a.journal(u, flow, lsn, SlotApplier.opId(1, flow, lsn));
        }
    }

    Map<String, Object> state() {
        return Map.of("counter", String.valueOf(j.get("counter")), "log", String.valueOf(j.get("log")),
                "list", j.lrange("list", 0, -1), "queue", j.lrange("queue", 0, -1), "hash", j.hgetAll("hash"),
                "float", String.valueOf(j.get("float")), "zset", j.zrangeWithScores("zset", 0, -1).toString());
    }

    @Test
    void throughTheFunctionLibraryAReplayAppliesNothingTwiceAsWell() {
        j.functionLoadReplace(Watermarks.library());
        functions = true;
        aReplayAfterARestoreAppliesNothingTwice();
        aFlushAllReplayedAfterARestoreClearsOnlyWhenItWasNotApplied();
        assertThat(j.info("commandstats")).as("units went through FCALL").contains("cmdstat_fcall:");
    }

    @Test
    void aReplayAfterARestoreAppliesNothingTwice() {
        JedisTargetIo io = io();
        SlotApplier once = restoredApplier(io);
        journal(once, 0, 1, 200);
        io.drain();
        Map<String, Object> expected = state();
        assertThat(j.get("counter")).isEqualTo("25");

        // The job restores from a checkpoint taken at LSN 120: 121..200 come again, then 201..240.
        JedisTargetIo io2 = io();
        SlotApplier restored = restoredApplier(io2);
        journal(restored, 0, 121, 200);
        io2.drain();
        assertThat(state()).as("the replay of 121..200 changed nothing").isEqualTo(expected);
        assertThat(counters.get(Outcome.REPLAY_SKIPPED)).as("every replayed unit was skipped").isEqualTo(80);
        journal(restored, 0, 201, 240);
        io2.drain();

        JedisTargetIo io3 = io();
        SlotApplier reference = new SlotApplier(config, TargetProfile.redis70(false), clock::get, new TranslationCounters(), r -> { },
                io3);
        Map<String, Object> applied = state();
        j.flushAll();
        journal(reference, 0, 1, 240);
        io3.drain();
        assertThat(applied).as("the same as the journal applied once, without watermarks").isEqualTo(state());
    }

    @Test
    void theSameScriptResentAfterAnUnknownOutcomeIsSkippedByTheTarget() {
        JedisTargetIo io = io();
        List<io.df2redis.redis.RedisCommand> sent = new ArrayList<>();
        SlotApplier a = new SlotApplier(config, TargetProfile.redis70(false), clock::get, counters, r -> { }, new TargetIo() {
            @Override
            public void submit(io.df2redis.redis.RedisCommand command) {
                sent.add(command);
                io.submit(command);
            }

            @Override
            public List<io.df2redis.resp.RespReply> call(List<io.df2redis.redis.RedisCommand> commands) {
                return io.call(commands);
            }

            @Override
            public void flush(TargetFlush flush) {
                io.flush(flush);
            }
        }, new AppliedPositions(0));
        a.journal(unit("counter", "INCR", "counter"), 0, 5, "x1:0:5");
        a.journal(unit("log", "APPEND", "log", "abc"), 0, 6, "x1:0:6");
        a.journal(unit("float", "INCRBYFLOAT", "float", "0.1"), 0, 7, "x1:0:7");
        io.drain();
        // The connection broke after the batch was written: the writer resends it.
        sent.forEach(io::submit);
        io.drain();
        assertThat(j.get("counter")).isEqualTo("1");
        assertThat(j.get("log")).isEqualTo("abc");
        assertThat(j.get("float")).isEqualTo("0.1");
        assertThat(j.hget(watermarks.key(Slots.slot(b("counter"))), b("0"))).isEqualTo(b("5"));
    }

    @Test
    void aFirstCommandTheTargetRefusesLeavesTheWatermarkAlone() {
        JedisTargetIo io = io();
        j.hset("h", "f", "v");
        SlotApplier a = restoredApplier(io);
        a.journal(unit("h", "INCR", "h"), 0, 9, "x1:0:9");
        org.assertj.core.api.Assertions.assertThatThrownBy(io::drain).hasMessageContaining("WRONGTYPE");
        assertThat(j.exists(watermarks.key(Slots.slot(b("h"))))).as("no watermark: the unit was not applied").isFalse();
    }

    @Test
    void aCrossSlotRenameReplayedAfterARestoreIsNotAppliedAgain() {
        JedisTargetIo io = io();
        j.set("a", "1");
        SlotApplier src = restoredApplier(io);
        SlotApplier dst = restoredApplier(io);
        // flow 0: RENAME a b (LSN 10), then SET a 2 (LSN 11)
        src.journal(unit("a", "RENAME", "a", "b"), 0, 10, SlotApplier.opId(1, 0, 10));
        dst.journal(unit("b", "RENAME", "a", "b"), 0, 10, SlotApplier.opId(1, 0, 10));
        dst.poll();
        src.journal(unit("a", "SET", "a", "2"), 0, 11, SlotApplier.opId(1, 0, 11));
        io.drain();
        dst.poll();
        io.drain();
        assertThat(j.get("a")).isEqualTo("2");
        assertThat(j.get("b")).isEqualTo("1");
        // A restore to before LSN 10: both halves and the SET come again. At-least-once would move "2" into b.
        SlotApplier src2 = restoredApplier(io);
        SlotApplier dst2 = restoredApplier(io);
        src2.journal(unit("a", "RENAME", "a", "b"), 0, 10, SlotApplier.opId(1, 0, 10));
        dst2.journal(unit("b", "RENAME", "a", "b"), 0, 10, SlotApplier.opId(1, 0, 10));
        src2.journal(unit("a", "SET", "a", "2"), 0, 11, SlotApplier.opId(1, 0, 11));
        io.drain();
        dst2.poll();
        io.drain();
        assertThat(dst2.idle()).as("the destination half did not park").isTrue();
        assertThat(j.get("a")).isEqualTo("2");
        assertThat(j.get("b")).isEqualTo("1");
    }

    /**
     * A destination half parked in the checkpointed state, whose move finished after that
     * checkpoint (its slot's watermark says so): restored, the slot is not parked again (its marker
     * may be long gone) and what waited behind it runs, once.
     */
    @Test
    void aParkedMoveFinishedAfterTheCheckpointIsNotWaitedForAgain() {
        JedisTargetIo io = io();
        SlotApplier before = restoredApplier(io);
        before.journal(unit("dst", "RENAME", "src", "dst"), 0, 10, SlotApplier.opId(1, 0, 10));
        before.journal(unit("dst", "APPEND", "dst", "+11"), 0, 11, SlotApplier.opId(1, 0, 11));
        assertThat(before.parkedSlots()).isEqualTo(1);
        byte[] state = before.snapshotState(1);
        // After the checkpoint the move finished (the FINISH raised dst's watermark to 10); then the job failed.
        j.set("dst", "moved");
        j.hset(watermarks.key(Slots.slot(b("dst"))), b("0"), b("10"));
        SlotApplier after = restoredApplier(io);
        after.restoreState(state);
        io.drain();
        assertThat(after.parkedSlots()).as("not parked again for a move already done").isZero();
        assertThat(j.get("dst")).isEqualTo("moved+11");
        assertThat(counters.get(Outcome.REPLAY_SKIPPED)).isEqualTo(1);
    }

    @Test
    void aFlushAllReplayedAfterARestoreClearsOnlyWhenItWasNotApplied() {
        JedisTargetIo io = io();
        SlotApplier a = restoredApplier(io);
        GlobalCommand flushAll = new GlobalCommand(0, 7, 20, List.of(b("FLUSHALL")));
        a.journal(unit("x", "SET", "x", "before"), 0, 19, SlotApplier.opId(1, 0, 19));
        a.global(flushAll, Map.of(0, 20L, 1, 30L));
        a.journal(unit("y", "INCR", "y"), 1, 31, SlotApplier.opId(1, 1, 31));
        io.drain();
        assertThat(j.exists("x")).isFalse();
        assertThat(j.get("y")).isEqualTo("1");
        // Restored from before the flush: the replay of the flush must not wipe y, nor INCR it again.
        SlotApplier b2 = restoredApplier(io);
        b2.journal(unit("x", "SET", "x", "before"), 0, 19, SlotApplier.opId(1, 0, 19));
        b2.global(flushAll, Map.of(0, 20L, 1, 30L));
        b2.journal(unit("y", "INCR", "y"), 1, 31, SlotApplier.opId(1, 1, 31));
        io.drain();
        assertThat(j.get("y")).isEqualTo("1");
        assertThat(j.exists("x")).as("written before the flush, whose clear wiped its slot's watermark: not again").isFalse();
        assertThat(counters.get(Outcome.GLOBAL_REPLAY_SKIPPED)).isEqualTo(1);
        // A crash in the middle of the clear (nothing after the flush written yet): cleared again.
        j.flushAll();
        j.set("z", "left by a half-done clear");
        SlotApplier c = restoredApplier(io);
        c.global(flushAll, Map.of(0, 20L, 1, 30L));
        io.drain();
        assertThat(j.exists("z")).as("a flush not applied yet is applied").isFalse();
    }

    /**
     * A FLUSHALL held behind a parked move when the checkpoint was taken, carried out after it, with
     * a write after it: restored, the flush is not carried out again (the write after it, which the
     * replay skips, stays). Chaos seed 3112 (FLUSHALL, then a task failure while a RENAME's slot was
     * parked) lost such writes before the barrier kept its LSNs in the checkpoint.
     */
    @Test
    void aFlushHeldInTheCheckpointAndCarriedOutAfterItIsNotCarriedOutAgain() {
        JedisTargetIo io = io();
        GlobalCommand flushAll = new GlobalCommand(0, 7, 20, List.of(b("FLUSHALL")));
        j.set("src", "moved");
        SlotApplier before = restoredApplier(io);
        before.journal(unit("dst", "RENAME", "src", "dst"), 0, 10, SlotApplier.opId(1, 0, 10));
        before.global(flushAll, Map.of(0, 20L, 1, 30L));
        assertThat(before.parkedSlots()).isEqualTo(1);
        byte[] state = before.snapshotState(1);
        // After the checkpoint: the move's source half, the flush released and carried out, a write after it.
        SlotApplier source = restoredApplier(io);
        source.journal(unit("src", "RENAME", "src", "dst"), 0, 10, SlotApplier.opId(1, 0, 10));
        io.drain();
        before.poll();
        before.journal(unit("y", "HINCRBY", "y", "f", "3"), 1, 31, SlotApplier.opId(1, 1, 31));
        io.drain();
        assertThat(before.idle()).isTrue();
        assertThat(j.hget("y", "f")).isEqualTo("3");
        // The job fails; restored from that checkpoint, the replay brings the write after the flush again.
        SlotApplier after = restoredApplier(io);
        after.restoreState(state);
        after.poll();
        after.journal(unit("y", "HINCRBY", "y", "f", "3"), 1, 31, SlotApplier.opId(1, 1, 31));
        io.drain();
        after.poll();
        io.drain();
        assertThat(after.idle()).isTrue();
        assertThat(j.hget("y", "f")).as("written after the flush: neither wiped nor applied twice").isEqualTo("3");
        assertThat(counters.get(Outcome.GLOBAL_REPLAY_SKIPPED)).isEqualTo(1);
    }

    /** The same held flush, when the job failed before carrying it out: restored, it is carried out, once. */
    @Test
    void aFlushHeldInTheCheckpointAndNotCarriedOutIsCarriedOutAfterTheRestore() {
        JedisTargetIo io = io();
        GlobalCommand flushAll = new GlobalCommand(0, 7, 20, List.of(b("FLUSHALL")));
        SlotApplier before = restoredApplier(io);
        before.journal(unit("x", "SET", "x", "before"), 0, 9, SlotApplier.opId(1, 0, 9));
        before.journal(unit("dst", "RENAME", "src", "dst"), 0, 10, SlotApplier.opId(1, 0, 10));
        before.global(flushAll, Map.of(0, 20L, 1, 30L));
        io.drain();
        byte[] state = before.snapshotState(1);
        j.set("src", "moved");
        SlotApplier source = restoredApplier(io);
        source.journal(unit("src", "RENAME", "src", "dst"), 0, 10, SlotApplier.opId(1, 0, 10));
        io.drain();
        // The job fails before the writer saw the move done: the flush never ran.
        SlotApplier after = restoredApplier(io);
        after.restoreState(state);
        after.poll();
        after.journal(unit("y", "HINCRBY", "y", "f", "3"), 1, 31, SlotApplier.opId(1, 1, 31));
        io.drain();
        after.poll();
        io.drain();
        assertThat(after.idle()).isTrue();
        assertThat(j.exists("x")).as("written before the flush: cleared by it").isFalse();
        assertThat(j.exists("dst")).as("moved before the flush: cleared by it").isFalse();
        assertThat(j.hget("y", "f")).isEqualTo("3");
        assertThat(counters.get(Outcome.GLOBAL_REPLAY_SKIPPED)).isZero();
    }

    /**
     * The parked move before a held flush finished after the checkpoint, the flush did not: restored,
     * the move is not waited for again (its slot's watermark says it is done) and the flush runs.
     */
    @Test
    void aMoveDoneAfterTheCheckpointAheadOfAFlushNotCarriedOutIsNotWaitedForAgain() {
        JedisTargetIo io = io();
        GlobalCommand flushAll = new GlobalCommand(0, 7, 20, List.of(b("FLUSHALL")));
        SlotApplier before = restoredApplier(io);
        before.journal(unit("x", "SET", "x", "before"), 0, 9, SlotApplier.opId(1, 0, 9));
        before.journal(unit("dst", "RENAME", "src", "dst"), 0, 10, SlotApplier.opId(1, 0, 10));
        before.global(flushAll, Map.of(0, 20L, 1, 30L));
        io.drain();
        byte[] state = before.snapshotState(1);
        // After the checkpoint the move finished (its FINISH raised dst's watermark to 10); the job failed before the flush.
        j.set("dst", "moved");
        j.hset(watermarks.key(Slots.slot(b("dst"))), b("0"), b("10"));
        SlotApplier after = restoredApplier(io);
        after.restoreState(state);
        after.poll();
        io.drain();
        assertThat(after.parkedSlots()).as("not parked again for a move already done").isZero();
        assertThat(after.idle()).isTrue();
        assertThat(j.exists("x")).as("the flush ran").isFalse();
        assertThat(j.exists("dst")).isFalse();
    }

    /** A state written by the previous version (a held flush without LSNs) still restores: the flush runs. */
    @Test
    void aVersion1StateWithAHeldFlushRestores() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeInt(1); // version 1
            out.writeBoolean(true); // a barrier: FLUSHALL, no dbs, no slot ranges, not async
            out.writeBoolean(true);
            out.writeInt(0);
            out.writeInt(0);
            out.writeBoolean(false);
            out.writeInt(0); // no parked slots
            out.writeInt(0); // nothing behind the barrier
        }
        j.set("x", "before");
        SlotApplier a = restoredApplier(io());
        a.restoreState(bytes.toByteArray());
        a.poll();
        assertThat(a.idle()).isTrue();
        assertThat(j.exists("x")).isFalse();
    }
}
