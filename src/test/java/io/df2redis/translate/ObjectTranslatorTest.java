package io.df2redis.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.dragonfly.encode.ValueEncoder;
import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.DecodedValue.StreamEntry;
import io.df2redis.dragonfly.event.DecodedValue.StreamGroup;
import io.df2redis.dragonfly.event.DecodedValue.StreamId;
import io.df2redis.dragonfly.event.DecodedValue.StreamMeta;
import io.df2redis.dragonfly.event.FlowEvent.ObjectPart;
import io.df2redis.dragonfly.event.FlowEvent.SnapshotObject;
import io.df2redis.dragonfly.event.RdbValue;
import io.df2redis.dragonfly.rdb.DumpPayload;
import io.df2redis.dragonfly.rdb.RdbType;
import io.df2redis.dragonfly.rdb.TypeTable;
import io.df2redis.redis.RedisCommand;
import io.df2redis.redis.Slots;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Snapshot values → commands, without a server: which path, which commands, what is counted. */
class ObjectTranslatorTest {
    static final long NOW = 1_795_296_644_836L;
    final TranslationCounters counters = new TranslationCounters();
    final List<SkipReport> reports = new ArrayList<>();
    final List<RedisCommand> out = new ArrayList<>();
    final ValueEncoder enc = new ValueEncoder();

    ObjectTranslator translator(TranslateConfig cfg, TargetProfile target) {
        return new ObjectTranslator(cfg, target, () -> NOW, counters, reports::add);
    }

    ObjectTranslator redis70() {
        return translator(TranslateConfig.builder().build(), TargetProfile.redis70(false));
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<byte[]> bs(String... s) {
        List<byte[]> l = new ArrayList<>();
        for (String x : s) {
            l.add(b(x));
        }
        return l;
    }

    List<String> names() {
        return out.stream().map(RedisCommand::name).toList();
    }

    static String arg(RedisCommand c, int i) {
        return new String(c.args()[i], StandardCharsets.UTF_8);
    }

    @Test
    void restoreCarriesTheStreamsOwnBytesWithTheTargetsVersionAndAValidCrc() throws Exception {
        // (strings are written with SET in the default mode; a hash goes by RESTORE)
        RdbValue hash = enc.hash(bs("f", "v", "g", "w"));
        assertThat(hash.type()).isEqualTo(RdbType.HASH_LISTPACK);
        redis70().snapshot(new SnapshotObject(3, b("h"), NOW + 5000, 0, 0, hash), out::add);
        RedisCommand c = out.get(0);
        assertThat(names()).containsExactly("RESTORE");
        assertThat(c.db()).isEqualTo(3);
        assertThat(c.slot()).isEqualTo(Slots.slot(b("h")));
        assertThat(arg(c, 2)).isEqualTo(Long.toString(NOW + 5000));
        assertThat(arg(c, 4)).isEqualTo("REPLACE");
        assertThat(arg(c, 5)).isEqualTo("ABSTTL");
        DumpPayload.Parsed p = DumpPayload.parse(c.args()[3], TypeTable.REDIS);
        assertThat(p.rdbVersion()).isEqualTo(10);
        assertThat(p.value().encoded()).isEqualTo(hash.encoded());
        assertThat(counters.get(Outcome.SNAPSHOT_RESTORED)).isEqualTo(1);
    }

    @Test
    void alreadyExpiredValuesAreSkippedAndCounted() {
        redis70().snapshot(new SnapshotObject(0, b("k"), NOW - 1, 0, 0, enc.string(b("v"))), out::add);
        assertThat(out).isEmpty();
        assertThat(counters.get(Outcome.EXPIRED_SKIPPED)).isEqualTo(1);
    }

    @Test
    void streamsOfType21GoNativeOnRedis70AndByRestoreOn74() {
        List<StreamEntry> entries = List.of(new StreamEntry(new StreamId(5, 0), bs("a", "1")),
                new StreamEntry(new StreamId(6, 0), bs("b", "2")));
        StreamGroup g = new StreamGroup(b("grp"), new StreamId(5, 0), 1,
                List.of(new DecodedValue.PendingEntry(new StreamId(5, 0), 1000, 2)),
                List.of(new DecodedValue.StreamConsumer(b("alice"), 1000, 1000, List.of(new StreamId(5, 0)))));
        RdbValue stream = enc.stream(entries, new StreamMeta(2, new StreamId(7, 0), new StreamId(5, 0),
                new StreamId(4, 0), 3, List.of(g)));
        assertThat(stream.type()).isEqualTo(RdbType.STREAM_LISTPACKS_3);
        redis70().snapshot(new SnapshotObject(0, b("s"), -1, 0, 0, stream), out::add);
        assertThat(names()).containsExactly("DEL", "XADD", "XADD", "XSETID", "XGROUP", "XGROUP", "XCLAIM");
        assertThat(List.of(out.get(3).args()).stream().map(a -> new String(a, StandardCharsets.UTF_8)).toList())
                .containsExactly("XSETID", "s", "7-0", "ENTRIESADDED", "3", "MAXDELETEDID", "4-0");
        assertThat(arg(out.get(4), 1)).isEqualTo("CREATE");
        assertThat(arg(out.get(5), 1)).isEqualTo("CREATECONSUMER");
        assertThat(List.of(out.get(6).args()).stream().map(a -> new String(a, StandardCharsets.UTF_8)).toList())
                .containsExactly("XCLAIM", "s", "grp", "alice", "0", "5-0", "TIME", "1000", "RETRYCOUNT", "2", "FORCE",
                        "JUSTID");
        out.clear();
        translator(TranslateConfig.builder().build(), TargetProfile.of("7.4.2", 12, false, Set.of()))
                .snapshot(new SnapshotObject(0, b("s"), -1, 0, 0, stream), out::add);
        assertThat(names()).containsExactly("RESTORE");
    }

    @Test
    void nativeModeBatchesBoundedAndSetsTheTtlLast() {
        ObjectTranslator t = translator(TranslateConfig.builder().snapshotWrite(TranslateConfig.SnapshotWrite.NATIVE)
                .nativeBatch(3, 1 << 20).build(), TargetProfile.redis70(false));
        List<byte[]> elements = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            elements.add(b("e" + i));
        }
        t.snapshot(new SnapshotObject(0, b("l"), NOW + 10, 1, 0, enc.list(elements)), out::add);
        assertThat(names()).containsExactly("DEL", "RPUSH", "RPUSH", "RPUSH", "PEXPIREAT");
        assertThat(out.get(1).args().length).isEqualTo(5);
        assertThat(out.get(3).args().length).isEqualTo(3);
        assertThat(counters.get(Outcome.SNAPSHOT_NATIVE)).isEqualTo(1);
        assertThat(counters.get(Outcome.STICKY_DROPPED)).isEqualTo(1);
        out.clear();
        t.snapshot(new SnapshotObject(0, b("z"), -1, 2, 7, enc.zset(bs("a", "b"), new double[] {0.1, Double.NEGATIVE_INFINITY})),
                out::add);
        assertThat(names()).containsExactly("DEL", "ZADD");
        assertThat(arg(out.get(1), 2)).isEqualTo("-inf"); // score order, as the zset holds them
        assertThat(arg(out.get(1), 4)).isEqualTo("0.1");
        assertThat(counters.get(Outcome.MC_FLAGS_DROPPED)).isEqualTo(1);
        out.clear();
        t.snapshot(new SnapshotObject(0, b("str"), -1, 0, 0, enc.string(b("v"))), out::add);
        assertThat(names()).containsExactly("SET");
    }

    @Test
    void autoWritesStringsWithSetAndCollectionsWithRestore() {
        ObjectTranslator t = redis70();
        t.snapshot(new SnapshotObject(0, b("s"), NOW + 9, 0, 0, enc.string(b("12345"))), out::add);
        t.snapshot(new SnapshotObject(0, b("l"), -1, 0, 0, enc.list(bs("a"))), out::add);
        t.snapshot(new SnapshotObject(0, b("long"), -1, 0, 0, enc.string(b("y".repeat(600)))), out::add);
        assertThat(names()).containsExactly("SET", "RESTORE", "RESTORE");
        assertThat(List.of(out.get(0).args()).stream().map(a -> new String(a, StandardCharsets.UTF_8)).toList())
                .containsExactly("SET", "s", "12345", "PXAT", Long.toString(NOW + 9));
        out.clear();
        translator(TranslateConfig.builder().snapshotWrite(TranslateConfig.SnapshotWrite.RESTORE).build(),
                TargetProfile.redis70(false)).snapshot(new SnapshotObject(0, b("s"), -1, 0, 0, enc.string(b("x"))), out::add);
        assertThat(names()).containsExactly("RESTORE");
    }

    @Test
    void valuesOverTheRestoreLimitGoNative() {
        translator(TranslateConfig.builder().restoreMaxBytes(4).build(), TargetProfile.redis70(false))
                .snapshot(new SnapshotObject(0, b("s"), -1, 0, 0, enc.set(bs("aaaaaa", "bbbbbb"))), out::add);
        assertThat(names()).containsExactly("DEL", "SADD");
    }

    @Test
    void partsReplaceThenAppendThenExpire() {
        ObjectTranslator t = redis70();
        t.part(new ObjectPart(0, b("big"), RdbType.LIST_QUICKLIST_2, 0, false, NOW + 100, 0, 0,
                new DecodedValue.ListValue(bs("a", "b"))), out::add);
        t.part(new ObjectPart(0, b("big"), RdbType.LIST_QUICKLIST_2, 1, false, NOW + 100, 0, 0,
                new DecodedValue.ListValue(bs("c"))), out::add);
        t.part(new ObjectPart(0, b("big"), RdbType.LIST_QUICKLIST_2, 2, true, NOW + 100, 0, 0,
                new DecodedValue.ListValue(bs("d"))), out::add);
        assertThat(names()).containsExactly("DEL", "RPUSH", "RPUSH", "RPUSH", "PEXPIREAT");
        out.clear();
        t.part(new ObjectPart(0, b("bs"), RdbType.STRING, 0, false, -1, 0, 0, new DecodedValue.StringValue(b("x"))), out::add);
        t.part(new ObjectPart(0, b("bs"), RdbType.STRING, 1, true, -1, 0, 0, new DecodedValue.StringValue(b("y"))), out::add);
        assertThat(names()).containsExactly("SET", "APPEND");
        out.clear();
        // expired while streaming: nothing partial stays behind
        t.part(new ObjectPart(0, b("gone"), RdbType.SET, 0, false, NOW - 5, 0, 0,
                new DecodedValue.SetValue(bs("m"), null)), out::add);
        t.part(new ObjectPart(0, b("gone"), RdbType.SET, 1, true, NOW - 5, 0, 0,
                new DecodedValue.SetValue(bs("n"), null)), out::add);
        assertThat(names()).containsExactly("DEL", "DEL");
        assertThat(counters.get(Outcome.EXPIRED_SKIPPED)).isEqualTo(1);
    }

    @Test
    void dragonflyTypesFollowTheirPolicy() {
        RdbValue sbf = new RdbValue(RdbType.DF_SBF2, new byte[] {0});
        assertThatThrownBy(() -> redis70().snapshot(new SnapshotObject(2, b("bf:1"), -1, 0, 0, sbf), out::add))
                .isInstanceOf(UnsupportedValueException.class).hasMessageContaining("db 2").hasMessageContaining("\"bf:1\"")
                .hasMessageContaining("DF_SBF2");
        ObjectTranslator skip = translator(TranslateConfig.builder().allFamilies(DfTypePolicy.SKIP).build(),
                TargetProfile.redis70(false));
        skip.snapshot(new SnapshotObject(0, b("bf:1"), -1, 0, 0, sbf), out::add);
        skip.part(new ObjectPart(0, b("bf:2"), RdbType.DF_SBF2, 0, false, -1, 0, 0, new DecodedValue.OpaqueValue(new byte[1])),
                out::add);
        skip.part(new ObjectPart(0, b("bf:2"), RdbType.DF_SBF2, 1, true, -1, 0, 0, new DecodedValue.OpaqueValue(new byte[1])),
                out::add);
        assertThat(out).isEmpty();
        assertThat(reports).hasSize(2);
        assertThat(counters.skipped(DfFamily.BLOOM)).isEqualTo(2);
    }

    @Test
    void jsonTranscodesWithRedisJson() {
        ObjectTranslator t = translator(TranslateConfig.builder().policy(DfFamily.JSON, DfTypePolicy.TRANSCODE).build(),
                TargetProfile.of("7.2.4", 11, false, Set.of("ReJSON")));
        RdbValue json = new RdbValue(RdbType.DF_JSON, new byte[] {5, '{', '"', 'a', '"', '}'});
        // the rdbstr of {"a"} is not valid JSON but decoding only reads the string
        t.snapshot(new SnapshotObject(0, b("j"), NOW + 60_000, 0, 0, json), out::add);
        assertThat(names()).containsExactly("DEL", "JSON.SET", "PEXPIREAT");
        assertThat(arg(out.get(1), 2)).isEqualTo("$");
        assertThat(arg(out.get(1), 3)).isEqualTo("{\"a\"}");
        assertThatThrownBy(() -> TranslateConfig.builder().policy(DfFamily.JSON, DfTypePolicy.TRANSCODE).build()
                .validate(TargetProfile.redis70(false))).hasMessageContaining("RedisJSON");
    }

    @Test
    void hashFieldTtlsBecomeHpexpireatOn74AndAreDroppedAndReportedElsewhere() {
        long[] ttl = {NOW / 1000 + 3600, -1, NOW / 1000 - 10, NOW / 1000 + 3600};
        RdbValue h = enc.hashWithExpiry(bs("f1", "v1", "f2", "v2", "old", "x", "f3", "v3"), ttl);
        TranslateConfig cfg = TranslateConfig.builder().policy(DfFamily.HASH_FIELD_TTL, DfTypePolicy.TRANSCODE).build();
        translator(cfg, TargetProfile.of("7.4.0", 12, false, Set.of()))
                .snapshot(new SnapshotObject(0, b("hfx"), -1, 0, 0, h), out::add);
        assertThat(names()).containsExactly("DEL", "HSET", "HPEXPIREAT");
        assertThat(out.get(1).args().length).isEqualTo(8); // HSET hfx f1 v1 f2 v2 f3 v3: the expired field is left out
        assertThat(List.of(out.get(2).args()).stream().map(a -> new String(a, StandardCharsets.UTF_8)).toList())
                .containsExactly("HPEXPIREAT", "hfx", Long.toString((NOW / 1000 + 3600) * 1000), "FIELDS", "2", "f1", "f3");
        assertThat(counters.get(Outcome.MEMBERS_EXPIRED_SKIPPED)).isEqualTo(1);
        assertThatThrownBy(() -> translator(cfg, TargetProfile.redis70(false))).hasMessageContaining("7.4");
        out.clear();
        translator(TranslateConfig.builder().policy(DfFamily.HASH_FIELD_TTL, DfTypePolicy.TRANSCODE)
                .dropUnsupportedMemberTtls(true).build(), TargetProfile.redis70(false))
                .snapshot(new SnapshotObject(0, b("hfx"), -1, 0, 0, h), out::add);
        assertThat(names()).containsExactly("DEL", "HSET");
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.reason()).contains("without its field/member TTLs"));
    }

    @Test
    void ignoredAndUnmappedDbs() {
        ObjectTranslator t = translator(TranslateConfig.builder()
                .dbMapping(DbMapping.of(java.util.Map.of(0, 0, 1, DbMapping.IGNORED), false)).build(),
                TargetProfile.redis70(false));
        t.snapshot(new SnapshotObject(1, b("k"), -1, 0, 0, enc.string(b("v"))), out::add);
        assertThat(out).isEmpty();
        assertThat(counters.get(Outcome.DB_IGNORED)).isEqualTo(1);
        assertThatThrownBy(() -> t.snapshot(new SnapshotObject(4, b("k"), -1, 0, 0, enc.string(b("v"))), out::add))
                .isInstanceOf(UnmappedDatabaseException.class).hasMessageContaining("source db 4").hasMessageContaining("\"k\"");
    }
}
