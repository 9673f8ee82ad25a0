package io.df2redis.translate;

import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.dragonfly.encode.ValueEncoder;
import io.df2redis.dragonfly.event.DecodedValue.StreamEntry;
import io.df2redis.dragonfly.event.DecodedValue.StreamId;
import io.df2redis.dragonfly.event.DecodedValue.StreamMeta;
import io.df2redis.dragonfly.event.RdbValue;
import io.df2redis.dragonfly.rdb.DumpPayload;
import io.df2redis.redis.Slots;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * The sink-side applier on a real redis-server: a global flush waiting behind a parked slot, the
 * bound on held records, the wait timeout, state that survives a restore, and journaled RESTOREs
 * of Dragonfly payloads the target cannot take as they are.
 */
@Timeout(120)
class SlotApplierRedisTest {
    static RedisServerProcess redis;
    Jedis j;
    final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    final List<SkipReport> reports = new ArrayList<>();
    final TranslationCounters counters = new TranslationCounters();
    final List<JedisTargetIo> ios = new ArrayList<>();

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

    JedisTargetIo io() {
        JedisTargetIo io = JedisTargetIo.standalone(redis.host(), redis.port());
        ios.add(io);
        return io;
    }

    SlotApplier applier(TranslateConfig cfg, JedisTargetIo io) {
        return new SlotApplier(cfg, TargetProfile.redis70(false), clock::get, counters, reports::add, io);
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

    @Test
    void aFlushWaitsForParkedSlotsAndWhatFollowsItWaitsForTheFlush() {
        JedisTargetIo ioA = io();
        JedisTargetIo ioB = io();
        SlotApplier a = applier(TranslateConfig.builder().build(), ioA);
        SlotApplier bSink = applier(TranslateConfig.builder().build(), ioB);
        j.set("src", "moved");
        // B owns dst's slot and another slot; it sees its half of the RENAME, a write after it,
        // the FLUSHALL, and a write after the flush — all before A has done anything.
        bSink.journal(unit("dst", "RENAME", "src", "dst"), "op1");
        bSink.journal(unit("dst", "APPEND", "dst", "+1"), "op2");
        bSink.journal(unit("other", "SET", "other", "before-flush"), "op3");
        bSink.global(new TargetFlush(true, java.util.Set.of(), List.of(), false));
        bSink.journal(unit("after", "SET", "after", "flush"), "op4");
        bSink.poll();
        ioB.drain();
        assertThat(bSink.parkedSlots()).isEqualTo(1);
        assertThat(j.get("other")).isEqualTo("before-flush"); // an unparked slot goes on
        assertThat(j.exists("after")).isFalse(); // held behind the flush
        assertThat(j.get("src")).isEqualTo("moved"); // not flushed yet
        a.journal(unit("src", "RENAME", "src", "dst"), "op1");
        ioA.drain();
        bSink.poll();
        ioB.drain();
        assertThat(bSink.idle()).isTrue();
        assertThat(j.keys("*")).containsExactly("after");
    }

    @Test
    void heldRecordsAreBoundedAndAWaitThatNeverEndsIsReported() {
        SlotApplier small = applier(TranslateConfig.builder().maxParkedBytes(2_000).crossSlotWaitTimeoutMs(60_000).build(),
                io());
        small.journal(unit("dst", "RENAME", "src", "dst"), "op9");
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                small.journal(unit("dst", "APPEND", "dst", "x".repeat(50)), "op" + i);
            }
        }).isInstanceOf(TranslationException.class).hasMessageContaining("translate.max-parked-bytes")
                .hasMessageContaining("RENAME \"src\" \"dst\"");
        SlotApplier waiting = applier(TranslateConfig.builder().crossSlotWaitTimeoutMs(60_000).build(), io());
        waiting.journal(unit("dst", "RENAME", "src", "dst"), "op10");
        waiting.poll();
        clock.addAndGet(60_001);
        assertThatThrownBy(waiting::poll).isInstanceOf(TranslationException.class)
                .hasMessageContaining("__df2redis:{").hasMessageContaining(":mv:op10:state")
                .hasMessageContaining("SET that key to D");
    }

    @Test
    void resetForgetsWhatAnOldEpochHeld() {
        SlotApplier s = applier(TranslateConfig.builder().build(), io());
        s.journal(unit("dst", "RENAME", "src", "dst"), "e1:0:1");
        s.journal(unit("dst", "SET", "dst", "x"), "e1:0:2");
        s.global(new TargetFlush(true, java.util.Set.of(), List.of(), false));
        assertThat(s.idle()).isFalse();
        s.reset();
        assertThat(s.idle()).isTrue();
        assertThat(s.heldBytes()).isZero();
        s.journal(unit("dst", "SET", "dst", "y"), "e2:0:1");
        ios.forEach(JedisTargetIo::drain);
        assertThat(j.get("dst")).isEqualTo("y");
    }

    @Test
    void heldStateSurvivesARestoreIntoANewApplier() {
        JedisTargetIo ioA = io();
        JedisTargetIo ioB = io();
        SlotApplier a = applier(TranslateConfig.builder().build(), ioA);
        SlotApplier bSink = applier(TranslateConfig.builder().build(), ioB);
        j.set("src", "v");
        bSink.journal(unit("dst", "RENAME", "src", "dst"), "op1");
        bSink.journal(unit("dst", "APPEND", "dst", "!"), "op2");
        bSink.journal(unit("dst", "COPY", "dst", "dst2", "REPLACE"), "op3");
        bSink.journal(unit("dst2", "COPY", "dst", "dst2", "REPLACE"), "op3");
        bSink.global(new TargetFlush(false, java.util.Set.of(3), List.of(), false));
        bSink.journal(unit("z", "SET", "z", "1"), "op4");
        byte[] state = bSink.snapshotState(7);
        SlotApplier restored = applier(TranslateConfig.builder().build(), io());
        restored.restoreState(state);
        assertThat(restored.parkedSlots()).isEqualTo(2);
        assertThat(restored.heldBytes()).isEqualTo(bSink.heldBytes());
        a.journal(unit("src", "RENAME", "src", "dst"), "op1");
        ioA.drain();
        restored.poll(); // releases dst; COPY's source half runs here, its destination half parks dst2
        restored.poll();
        assertThat(restored.idle()).isTrue();
        ios.forEach(JedisTargetIo::drain);
        assertThat(j.get("dst")).isEqualTo("v!");
        assertThat(j.get("dst2")).isEqualTo("v!");
        assertThat(j.get("z")).isEqualTo("1");
        assertThat(j.exists("src")).isFalse();
    }

    @Test
    void copiesIntoAnIgnoredOrAnotherDbAcrossSlots() {
        TranslateConfig cfg = TranslateConfig.builder()
                .dbMapping(DbMapping.of(java.util.Map.of(0, 0, 2, 7, 3, DbMapping.IGNORED), false)).build();
        SlotApplier s = applier(cfg, io());
        j.set("src", "v");
        s.journal(unit("src", "COPY", "src", "dst", "DB", "3"), "c1");
        s.journal(unit("dst", "COPY", "src", "dst", "DB", "3"), "c1");
        assertThat(s.idle()).isTrue(); // nothing to wait for: db 3 is not replicated
        s.journal(unit("dst", "COPY", "src", "dst", "DB", "2"), "c2"); // destination half first
        assertThat(s.parkedSlots()).isEqualTo(1);
        s.journal(unit("src", "COPY", "src", "dst", "DB", "2"), "c2");
        s.poll();
        ios.forEach(JedisTargetIo::drain);
        assertThat(s.idle()).isTrue();
        j.select(7);
        assertThat(j.get("dst")).isEqualTo("v");
        j.select(0);
        assertThat(j.get("src")).isEqualTo("v");
        assertThat(j.exists("dst")).isFalse();
    }

    @Test
    void journaledRestoreOfAStreamPayloadIsRebuiltForRedis70() {
        ValueEncoder enc = new ValueEncoder();
        RdbValue stream = enc.stream(List.of(new StreamEntry(new StreamId(10, 1), List.of(b("f"), b("v")))),
                new StreamMeta(1, new StreamId(10, 1), new StreamId(10, 1), StreamId.ZERO, 1, List.of()));
        byte[] payload = DumpPayload.build(stream, 9);
        SlotApplier s = applier(TranslateConfig.builder().build(), io());
        List<byte[]> restore = List.of(b("RESTORE"), b("copied"), b("0"), payload, b("REPLACE"), b("ABSTTL"));
        s.journal(new SlotCommand(0, Slots.slot(b("copied")), b("copied"), restore), "r1");
        ios.forEach(JedisTargetIo::drain);
        assertThat(j.type("copied")).isEqualTo("stream");
        assertThat(j.xlen("copied")).isEqualTo(1);
        // a payload Redis would refuse as it is (type 21 on 7.0) went native
        assertThat(counters.get(Outcome.SNAPSHOT_NATIVE)).isEqualTo(1);
    }

    @Test
    void journaledRestoreOfASkippedDragonflyTypeDeletesTheDestination() {
        j.set("jdst", "old");
        byte[] json = DumpPayload.build(30, new byte[] {2, '4', '2'}, 9);
        SlotApplier s = applier(TranslateConfig.builder().policy(DfFamily.JSON, DfTypePolicy.SKIP).build(), io());
        s.journal(new SlotCommand(0, Slots.slot(b("jdst")), b("jdst"),
                List.of(b("RESTORE"), b("jdst"), b("0"), json, b("REPLACE"), b("ABSTTL"))), "r2");
        ios.forEach(JedisTargetIo::drain);
        assertThat(j.exists("jdst")).isFalse();
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.family()).isEqualTo(DfFamily.JSON));
        byte[] bad = json.clone();
        bad[bad.length - 1] ^= 1;
        assertThatThrownBy(() -> s.journal(new SlotCommand(0, Slots.slot(b("jdst")), b("jdst"),
                List.of(b("RESTORE"), b("jdst"), b("0"), bad, b("REPLACE"), b("ABSTTL"))), "r3"))
                .isInstanceOf(UntranslatableCommandException.class).hasMessageContaining("\"jdst\"")
                .hasMessageContaining("RESTORE").hasMessageContaining("CRC");
    }
}
