package io.df2redis.translate;

import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.StreamConsumerInfo;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * Every row of the protocol doc's §7.6 table ("what the consumer will actually see") and its notes,
 * plus the recordings' "observed protocol facts": the journaled form, as Dragonfly wrote it (taken
 * from journal-rewrites where it appears there), goes through the splitter and the translation into
 * a real redis-server 7.0, and the key ends the way Dragonfly had it.
 */
@Timeout(120)
class ProtocolRewritesRedisTest {
    static RedisServerProcess redis;
    Harness h;
    Jedis j;
    long now;

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
        now = System.currentTimeMillis();
        h = harness(TranslateConfig.builder()
                .policy(DfFamily.HASH_FIELD_TTL, DfTypePolicy.TRANSCODE)
                .policy(DfFamily.SET_MEMBER_TTL, DfTypePolicy.TRANSCODE)
                .policy(DfFamily.JSON, DfTypePolicy.SKIP)
                .policy(DfFamily.BLOOM, DfTypePolicy.SKIP)
                .policy(DfFamily.CMS, DfTypePolicy.SKIP)
                .policy(DfFamily.TOPK, DfTypePolicy.SKIP)
                .policy(DfFamily.CUCKOO, DfTypePolicy.SKIP)
                .dropUnsupportedMemberTtls(true).build());
        j = TestRedis.jedis(redis);
        j.flushAll();
    }

    Harness harness(TranslateConfig cfg) {
        return new Harness(cfg, TargetProfile.redis70(false), JedisTargetIo.standalone(redis.host(), redis.port()), 4,
                () -> now);
    }

    @AfterEach
    void tearDown() {
        h.close();
        j.close();
    }

    /** Applies the journal entry at {@code @offset} of journal-rewrites' flow {@code flow}. */
    void recorded(int flow, int at) {
        h.journalBytes(flow, 0, RecordedJournal.at("journal-rewrites", flow, at));
    }

    static String shardKey(String key) {
        return key;
    }

    // §7.6 row: EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT → PEXPIREAT key <abs_ms>; DEL key when already expired
    @Test
    void expireFamilyIsPexpireatOrDel() {
        j.set("e2", "v");
        j.set("e3", "v");
        h.journal(1, 0, "PEXPIREAT", "e2", Long.toString(now + 900_000));
        recorded(3, 417); // PEXPIREAT e3 1956528000000 (EXPIREAT e3 1956528000)
        assertThat(j.pexpireTime("e2")).isEqualTo(now + 900_000);
        assertThat(j.pexpireTime("e3")).isEqualTo(1956528000000L);
        j.set("gone", "v");
        h.journal(DragonflySharding.XXH64.shard(b("gone"), 4), 0, "DEL", "gone");
        assertThat(j.exists("gone")).isFalse();
    }

    // §7.6 row: SET with EX/PX/EXAT/PXAT/NX/XX/GET/KEEPTTL → SET key value [PXAT|KEEPTTL] [STICK] [_MCFLAGS n]
    @Test
    void setWithOptionsKeepsPxatAndKeepttlAndLosesStickAndMcflags() {
        h.journal(flowOf("k2"), 0, "SET", "k2", "v", "PXAT", Long.toString(now + 100_000));
        assertThat(j.get("k2")).isEqualTo("v");
        assertThat(j.pexpireTime("k2")).isEqualTo(now + 100_000);
        j.set("sticky:1", "old");
        j.pexpireAt("sticky:1", now + 50_000);
        h.journal(flowOf("sticky:1"), 0, "SET", "sticky:1", "overwritten", "KEEPTTL", "STICK");
        assertThat(j.get("sticky:1")).isEqualTo("overwritten");
        assertThat(j.pexpireTime("sticky:1")).isEqualTo(now + 50_000);
        h.journal(flowOf("mc:stable"), 0, "SET", "mc:stable", "memcached-in-stable", "_MCFLAGS", "77");
        assertThat(j.get("mc:stable")).isEqualTo("memcached-in-stable");
        assertThat(j.pexpireTime("mc:stable")).isEqualTo(-1);
        // a value that looks like a token stays a value
        h.journal(flowOf("tok"), 0, "SET", "tok", "STICK", "PXAT", Long.toString(now + 1000), "_MCFLAGS", "1");
        assertThat(j.get("tok")).isEqualTo("STICK");
        assertThat(h.counters.get(Outcome.STICKY_DROPPED)).isEqualTo(1);
        assertThat(h.counters.get(Outcome.MC_FLAGS_DROPPED)).isEqualTo(2);
    }

    // §7.6 row: SETEX, PSETEX → SET key value PXAT <abs_ms>
    @Test
    void setexAndPsetexArrivesAsSetPxat() {
        List<byte[]> k3 = RecordedJournal.at("journal-rewrites", 0, 388); // SET k3 v3 PXAT 1795296844274
        assertThat(RecordedJournal.at("journal-rewrites", 2, 631)).isNotNull(); // SET k4 v4 PXAT …
        k3.set(4, b(Long.toString(now + 100_000)));
        h.journalBytes(0, 0, k3);
        assertThat(j.get("k3")).isEqualTo("v3");
        assertThat(j.pexpireTime("k3")).isEqualTo(now + 100_000);
    }

    // §7.6 row: GETEX with EX/PX/EXAT/PXAT/PERSIST → PEXPIREAT / PERSIST / DEL
    @Test
    void getexArrivesAsPexpireatPersistOrDel() {
        j.set("k", "v");
        j.set("e4", "v");
        j.pexpireAt("e4", now + 1_000_000);
        h.journal(1, 0, "PEXPIREAT", "k", Long.toString(now + 50_000));
        recorded(3, 453); // PERSIST e4
        assertThat(j.pexpireTime("k")).isEqualTo(now + 50_000);
        assertThat(j.pexpireTime("e4")).isEqualTo(-1);
    }

    // §7.6 row: SPOP → SREM key m… (DEL key when emptied)
    @Test
    void spopArrivesAsSrem() {
        j.sadd("set:a", "a", "b", "c");
        recorded(3, 743); // SREM set:a b
        assertThat(j.smembers("set:a")).containsExactlyInAnyOrder("a", "c");
        j.sadd("one", "x");
        h.journal(flowOf("one"), 0, "DEL", "one");
        assertThat(j.exists("one")).isFalse();
    }

    // §7.6 row: SMOVE → SREM src m (src flow) + SADD dst m (dst flow)
    @Test
    void smoveArrivesAsSremAndSadd() {
        j.sadd("set:a", "a", "c");
        recorded(3, 763); // SREM set:a a
        recorded(3, 783); // SADD set:c a
        assertThat(j.smembers("set:a")).containsExactly("c");
        assertThat(j.smembers("set:c")).containsExactly("a");
    }

    // §7.6 row: SDIFFSTORE/SINTERSTORE/SUNIONSTORE → DEL dst + SADD dst m…
    @Test
    void setStoreCommandsArriveAsDelAndSadd() {
        j.set("set:inter", "stale");
        recorded(1, 524); // DEL set:inter
        recorded(1, 545); // SADD set:inter d c e
        assertThat(j.smembers("set:inter")).containsExactlyInAnyOrder("c", "d", "e");
    }

    // §7.6 row: ZDIFFSTORE/ZINTERSTORE/ZUNIONSTORE/ZRANGESTORE, GEORADIUS … STORE → DEL dst + ZADD (full precision)
    @Test
    void zsetStoreCommandsArriveAsDelAndZaddWithExactScores() {
        recorded(1, 624); // DEL z:union
        recorded(1, 643); // ZADD z:union 3 z 11.5 x 2 y 24.25 w
        assertThat(j.zscore("z:union", "x")).isEqualTo(11.5);
        assertThat(j.zscore("z:union", "w")).isEqualTo(24.25);
        h.journal(flowOf("zp"), 0, "ZADD", "zp", "0.30000000000000004", "m", "1e-300", "n", "-inf", "o");
        assertThat(j.zscore("zp", "m")).isEqualTo(0.30000000000000004);
        assertThat(j.zscore("zp", "n")).isEqualTo(1e-300);
        assertThat(j.zscore("zp", "o")).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    // §7.6 rows: BZPOPMIN/BZPOPMAX → ZPOPMIN/ZPOPMAX key; ZMPOP/BZMPOP → ZPOPMIN/ZPOPMAX key <count>
    @Test
    void blockingAndMultiZsetPopsArriveAsZpop() {
        j.zadd("z:a", Map.of("x", 1.5, "y", 2.0, "z", 3.0, "w", 4.25));
        recorded(2, 878); // ZPOPMIN z:a
        assertThat(j.zrange("z:a", 0, -1)).containsExactly("y", "z", "w");
        h.journal(2, 0, "ZPOPMAX", "z:a", "2");
        assertThat(j.zrange("z:a", 0, -1)).containsExactly("y");
    }

    // §7.6 rows: BLPOP/BRPOP → LPOP/RPOP key; LMPOP/BLMPOP → LPOP/RPOP key (count dropped upstream)
    @Test
    void blockingListPopsArriveAsLpopRpop() {
        j.rpush("l:b", "b1", "a0");
        recorded(1, 726); // LPOP l:b
        assertThat(j.lrange("l:b", 0, -1)).containsExactly("a0");
        j.rpush("l:x", "1", "2", "3");
        h.journal(flowOf("l:x"), 0, "RPOP", "l:x");
        assertThat(j.lrange("l:x", 0, -1)).containsExactly("1", "2");
    }

    // §7.6 row: LMOVE/BLMOVE/RPOPLPUSH/BRPOPLPUSH → LPOP/RPOP src + LPUSH/RPUSH dst value
    @Test
    void listMovesArriveAsPopAndPushOnTwoFlows() {
        j.rpush("l:a", "a0", "a1", "a2", "a3", "a4");
        j.rpush("l:b", "b1");
        recorded(3, 839); // LPOP l:a (LMOVE l:a l:b LEFT RIGHT)
        recorded(1, 686); // RPUSH l:b a0
        recorded(3, 855); // RPOP l:a (RPOPLPUSH l:a l:c)
        recorded(1, 706); // LPUSH l:c a4
        assertThat(j.lrange("l:a", 0, -1)).containsExactly("a1", "a2", "a3");
        assertThat(j.lrange("l:b", 0, -1)).containsExactly("b1", "a0");
        assertThat(j.lrange("l:c", 0, -1)).containsExactly("a4");
    }

    // §7.6 row: RENAME/RENAMENX/COPY on one Dragonfly shard → verbatim (keys in different Redis slots)
    @Test
    void sameShardRenameIsAppliedAcrossSlots() {
        j.set("rn:src", "rename-me");
        j.pexpireAt("rn:src", now + 600_000);
        assertThat(io.df2redis.redis.Slots.slot(b("rn:src"))).isNotEqualTo(io.df2redis.redis.Slots.slot(b("rn:same:3")));
        recorded(0, 575); // RENAME rn:src rn:same:3
        assertThat(j.exists("rn:src")).isFalse();
        assertThat(j.get("rn:same:3")).isEqualTo("rename-me");
        assertThat(j.pexpireTime("rn:same:3")).isEqualTo(now + 600_000);
        assertThat(h.counters.get(Outcome.CROSS_SLOT_MOVES)).isEqualTo(1);
        // RENAMENX and COPY of one shard, one slot and two slots
        String[] oneSlot = sameShardPair("{r}a", "{r}b:", true);
        j.set(oneSlot[0], "1");
        h.journal(flowOf(oneSlot[0]), 0, "RENAMENX", oneSlot[0], oneSlot[1]);
        assertThat(j.get(oneSlot[1])).isEqualTo("1");
        assertThat(j.exists(oneSlot[0])).isFalse();
        String[] twoSlots = sameShardPair("copy:src", "copy:dst:", false);
        String src = twoSlots[0];
        String dst = twoSlots[1];
        j.set(src, "copy-me");
        h.journal(flowOf(src), 0, "COPY", src, dst);
        assertThat(j.get(src)).isEqualTo("copy-me");
        assertThat(j.get(dst)).isEqualTo("copy-me");
        // a replayed RENAME whose source is gone is not an error
        h.journal(0, 0, "RENAME", "rn:src", "rn:same:3");
        assertThat(j.get("rn:same:3")).isEqualTo("rename-me");
        assertThat(j.keys("__df2redis:*")).isNotEmpty().allMatch(k -> "D".equals(j.get(k)));
    }

    // §7.6 row: RENAME/RENAMENX cross-shard → DEL src + RESTORE dst <abs|0> <DUMP> REPLACE ABSTTL [STICK];
    // COPY = the RESTORE half
    @Test
    void crossShardRenameArrivesAsDelAndRestoreOfADragonflyDump() {
        j.set("rn:src2", "rename-me-too");
        recorded(1, 378); // DEL rn:src2
        List<byte[]> restore = RecordedJournal.at("journal-rewrites", 3, 565);
        restore.set(2, b(Long.toString(now + 3_600_000)));
        h.journalBytes(3, 0, restore);
        assertThat(j.exists("rn:src2")).isFalse();
        assertThat(j.get("rn:other:1003")).isEqualTo("rename-me-too");
        assertThat(j.pexpireTime("rn:other:1003")).isEqualTo(now + 3_600_000);
        recorded(1, 397); // RESTORE rnx:dst:3 0 "…renamenx…" REPLACE ABSTTL
        assertThat(j.get("rnx:dst:3")).isEqualTo("renamenx");
        assertThat(j.pexpireTime("rnx:dst:3")).isEqualTo(-1);
        j.set("cp:list:copy", "overwritten by the copy");
        recorded(2, 757); // RESTORE cp:list:copy 0 <type 18 quicklist> REPLACE ABSTTL
        assertThat(j.lrange("cp:list:copy", 0, -1)).containsExactly("1", "2", "3");
        // the journaled TTL already past (the key expired in between): the destination goes
        restore.set(2, b(Long.toString(now - 1)));
        h.journalBytes(3, 0, restore);
        assertThat(j.exists("rn:other:1003")).isFalse();
        // STICK flag on RESTORE
        List<byte[]> sticky = RecordedJournal.at("journal-rewrites", 1, 397);
        sticky.add(b("STICK"));
        h.journalBytes(1, 0, sticky);
        assertThat(j.get("rnx:dst:3")).isEqualTo("renamenx");
        assertThat(h.counters.get(Outcome.STICKY_DROPPED)).isEqualTo(1);
    }

    // §7.6 row: BITOP → SET dest <bytes> or DEL dest
    @Test
    void bitopArrivesAsSet() {
        h.journal(3, 0, "SET", "bits:and", "``b");
        assertThat(j.get("bits:and")).isEqualTo("``b");
        recorded(3, 13261); // SETBIT bits:set 7 1
        assertThat(j.getbit("bits:set", 7)).isTrue();
    }

    // §7.6 row: PFMERGE → SET dest <HLL bytes> (dest's flow, and a stray copy on the sources' flow)
    @Test
    void pfmergeArrivesAsSetOfAnHllThatRedisReads() {
        j.pfadd("src1", "a", "b", "c");
        j.pfadd("src2", "c", "d", "e");
        j.sendCommand(() -> b("PFDEBUG"), b("TODENSE"), b("src1"));
        j.pfmerge("merged", "src1", "src2");
        j.sendCommand(() -> b("PFDEBUG"), b("TODENSE"), b("merged"));
        byte[] dense = j.get(b("merged"));
        j.del("merged");
        String dest = "hll:m";
        int owner = flowOf(dest);
        int other = owner == 2 ? 3 : 2;
        h.journalBytes(owner, 0, List.of(b("SET"), b(dest), dense));
        h.journal(owner, 0, "PFADD", dest, "z");
        // the copy on the other flow comes later: it must not undo the PFADD
        h.journalBytes(other, 0, List.of(b("SET"), b(dest), dense));
        assertThat(j.pfcount(dest)).isEqualTo(6);
        assertThat(h.counters.get(Outcome.STRAY_DROPPED)).isEqualTo(1);
    }

    // §7.6 rows: XADD with * / approximate trim / MAXLEN → XADD key [NOMKSTREAM] [MINID id | MAXLEN 0] <id> …;
    // XTRIM approximate / MAXLEN → XTRIM key MINID id | MAXLEN 0
    @Test
    void xaddAndXtrimArriveWithExplicitIdsAndExactTrims() {
        for (int i = 0; i < 20; i++) {
            j.sendCommand(() -> b("XADD"), b("x:s"), b((1000 + i) + "-1"), b("i"), b(Integer.toString(i)));
        }
        recorded(2, 1013); // XADD x:s MINID 1000-1 1795296744281-0 i new
        recorded(2, 1064); // XTRIM x:s MINID 1006-1
        assertThat(j.xlen("x:s")).isEqualTo(15);
        h.journal(2, 0, "XTRIM", "x:s", "MAXLEN", "0");
        assertThat(j.xlen("x:s")).isZero();
        assertThat(j.exists("x:s")).isTrue();
    }

    // §7.6 row: XREADGROUP → XGROUP CREATECONSUMER, XCLAIM … FORCE JUSTID LASTID, XGROUP SETID … ENTRIESREAD n
    @Test
    void xreadgroupArrivesAsConsumerClaimsAndSetid() {
        for (int i = 6; i < 20; i++) {
            j.sendCommand(() -> b("XADD"), b("x:s"), b((1000 + i) + "-1"), b("i"), b(Integer.toString(i)));
        }
        j.sendCommand(() -> b("XGROUP"), b("CREATE"), b("x:s"), b("grp"), b("0"));
        recorded(2, 1094); // XGROUP CREATECONSUMER x:s grp alice
        recorded(2, 1137); // XCLAIM x:s grp alice 0 1006-1 TIME … RETRYCOUNT 1 FORCE JUSTID LASTID 1006-1
        recorded(2, 1234); // XCLAIM … 1007-1
        recorded(2, 1331); // XGROUP SETID x:s grp 1007-1 ENTRIESREAD 8
        recorded(2, 1380); // XACK x:s grp 1006-1
        StreamGroupInfo g = j.xinfoGroups("x:s").get(0);
        assertThat(g.getName()).isEqualTo("grp");
        assertThat(g.getLastDeliveredId().toString()).isEqualTo("1007-1");
        assertThat(g.getPending()).isEqualTo(1);
        assertThat(g.getGroupInfo().get("entries-read")).isEqualTo(8L);
        StreamConsumerInfo c = j.xinfoConsumers2("x:s", "grp").get(0);
        assertThat(c.getName()).isEqualTo("alice");
        assertThat(c.getPending()).isEqualTo(1);
    }

    // §7.6 row: MSET partially failed → MSET with only the stored pairs (per shard, then per slot)
    @Test
    void msetSlicesArePerShardAndSplitPerSlot() {
        recorded(0, 504); // MSET m:c 3 m:e 5 m:f 6
        recorded(1, 360); // MSET m:d 4
        recorded(3, 522); // MSET m:a 1 m:b 2
        recorded(2, 703); // MSET m:g 7
        assertThat(j.mget("m:a", "m:b", "m:c", "m:d", "m:e", "m:f", "m:g")).containsExactly("1", "2", "3", "4", "5", "6", "7");
        recorded(3, 546); // DEL m:a m:b
        assertThat(j.exists("m:a", "m:b")).isZero();
    }

    // §7.6 row: field/member TTL commands (HEXPIRE, FIELDEXPIRE, HSETEX, SADDEX …) verbatim + compensating
    // HDEL/SREM/DEL; Notes: SADDEX, FIELDEXPIRE, Dragonfly's HSETEX are rejected by Redis
    @Test
    void memberTtlCommandsBecomeTheirTtlLessEquivalentOnRedis70() {
        h.journal(flowOf("hfx:1"), 0, "HSETEX", "hfx:1", "600", "f4", "v4-stable");
        assertThat(j.hget("hfx:1", "f4")).isEqualTo("v4-stable");
        h.journal(flowOf("h8"), 0, "HSETEX", "h8", "FNX", "EX", "60", "FIELDS", "2", "a", "1", "b", "2");
        assertThat(j.hgetAll("h8")).isEqualTo(Map.of("a", "1", "b", "2"));
        h.journal(flowOf("h8"), 0, "HSETEX", "h8", "FNX", "60", "a", "9", "c", "3"); // a exists: nothing set
        assertThat(j.hgetAll("h8")).isEqualTo(Map.of("a", "1", "b", "2"));
        h.journal(flowOf("h8"), 0, "HSETEX", "h8", "NX", "60", "a", "9", "c", "3"); // only c is new
        assertThat(j.hgetAll("h8")).isEqualTo(Map.of("a", "1", "b", "2", "c", "3"));
        h.journal(flowOf("h8"), 0, "HSETEX", "h8", "FXX", "KEEPTTL", "60", "a", "5", "b", "6");
        assertThat(j.hgetAll("h8")).isEqualTo(Map.of("a", "5", "b", "6", "c", "3"));
        h.journal(flowOf("hfx:2"), 0, "FIELDEXPIRE", "hfx:2", "900", "c");
        h.journal(flowOf("sx:1"), 0, "SADDEX", "sx:1", "600", "m4-stable");
        h.journal(flowOf("sx:1"), 0, "SADDEX", "sx:1", "KEEPTTL", "600", "m5");
        assertThat(j.smembers("sx:1")).containsExactlyInAnyOrder("m4-stable", "m5");
        h.journal(flowOf("h8"), 0, "HDEL", "h8", "c"); // compensating HDEL
        assertThat(j.hexists("h8", "c")).isFalse();
        h.journal(flowOf("h8"), 0, "HEXPIRE", "h8", "60", "FIELDS", "1", "a");
        assertThat(h.counters.get(Outcome.MEMBER_TTL_DROPPED)).isEqualTo(9);
        assertThat(h.reports).hasSize(9).allSatisfy(r -> assertThat(r.reason()).contains("TTLs dropped"));
    }

    // §7.6 row: ordinary writes (HSET, LPUSH, INCR, INCRBYFLOAT, HINCRBYFLOAT, SETRANGE, APPEND …) verbatim
    @Test
    void ordinaryWritesAreVerbatim() {
        j.set("cnt", "10");
        j.set("s1", "hello world");
        j.hset("h:a", Map.of("f", "v", "n", "5", "fl", "1.5", "gone", "x"));
        recorded(0, 424); // INCR cnt
        recorded(0, 440); // INCRBY cnt 10
        recorded(0, 488); // DECR cnt
        recorded(3, 471); // APPEND s1 -appended
        recorded(3, 498); // SETRANGE s1 2 XY
        recorded(2, 897); // HSET h:a new field
        recorded(2, 923); // HINCRBY h:a n 3
        recorded(2, 946); // HINCRBYFLOAT h:a fl 0.25
        recorded(2, 978); // HDEL h:a gone missing-field
        recorded(3, 803); // LPUSH l:a a0
        recorded(2, 13731); // GEOADD geo:1 …
        assertThat(j.get("cnt")).isEqualTo("20");
        assertThat(j.get("s1")).isEqualTo("heXYo world-appended");
        assertThat(j.hgetAll("h:a")).isEqualTo(Map.of("f", "v", "n", "8", "fl", "1.75", "new", "field"));
        assertThat(j.lrange("l:a", 0, -1)).containsExactly("a0");
        assertThat(j.geopos("geo:1", "Palermo")).hasSize(1);
        assertThat(h.counters.get(Outcome.JOURNAL_VERBATIM)).isGreaterThanOrEqualTo(10);
    }

    // Notes: STICK, SCRIPT CONFIG/LOAD, DFLYCLUSTER, JSON.*, BF.*, CMS.*, TOPK.*, CF.*, FT.* — decided per command
    @Test
    void dragonflyOnlyCommandsAreDroppedOrSkippedWithAReport() {
        h.journal(flowOf("sticky:2"), 0, "STICK", "sticky:2");
        recorded(0, 705); // SCRIPT LOAD "…"
        h.journal(0, 0, "SCRIPT", "CONFIG", "x", "y");
        h.journal(0, 0, "DFLYCLUSTER", "CONFIG", "{}");
        h.journal(flowOf("json:obj"), 0, "JSON.SET", "json:obj", "$.n", "2");
        h.journal(flowOf("bf:1"), 0, "BF.ADD", "bf:1", "durian");
        h.journal(flowOf("cms:1"), 0, "CMS.INCRBY", "cms:1", "a", "1");
        h.journal(flowOf("topk:1"), 0, "TOPK.ADD", "topk:1", "e", "e");
        h.journal(flowOf("cf:1"), 0, "CF.ADD", "cf:1", "item-3");
        assertThat(h.counters.get(Outcome.STICK_DROPPED)).isEqualTo(1);
        assertThat(h.counters.get(Outcome.SCRIPT_SKIPPED)).isEqualTo(2);
        assertThat(h.counters.get(Outcome.SERVER_COMMAND_SKIPPED)).isEqualTo(1);
        assertThat(h.counters.get(Outcome.DF_SKIPPED)).isEqualTo(5);
        assertThat(h.reports).extracting(SkipReport::family)
                .containsExactly(DfFamily.JSON, DfFamily.BLOOM, DfFamily.CMS, DfFamily.TOPK, DfFamily.CUCKOO);
        assertThat(j.dbSize()).isZero();
        Harness strict = harness(TranslateConfig.builder().build());
        try {
            assertThatThrownBy(() -> strict.journal(flowOf("bf:1"), 0, "BF.ADD", "bf:1", "durian"))
                    .isInstanceOf(UnsupportedValueException.class).hasMessageContaining("\"bf:1\"")
                    .hasMessageContaining("bloom");
        } finally {
            strict.close();
        }
    }

    // Observed facts: MOVE journaled once (mapped db); an expired key → DEL (txid 0); FLUSHDB/FLUSHALL global
    @Test
    void moveExpiryDelAndFlushes() {
        j.set("mv:key", "move-me");
        recorded(3, 722); // MOVE mv:key 2
        assertThat(j.exists("mv:key")).isFalse();
        j.select(2);
        assertThat(j.get("mv:key")).isEqualTo("move-me");
        j.select(0);
        j.set("short:ttl", "v");
        recorded(3, 13389); // DEL short:ttl
        assertThat(j.exists("short:ttl")).isFalse();
        GlobalTranslator g = new GlobalTranslator(TranslateConfig.builder().build(), TargetProfile.redis70(false),
                h.counters);
        h.applier.global(g.translate(2, RecordedJournal.at("journal-rewrites", 0, 771))); // FLUSHDB (db 2)
        j.select(2);
        assertThat(j.dbSize()).isZero();
        j.select(0);
        j.set("x", "1");
        h.applier.global(g.translate(0, RecordedJournal.at("journal-rewrites", 0, 786))); // FLUSHALL
        assertThat(j.dbSize()).isZero();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static int flowOf(String key) {
        return DragonflySharding.XXH64.shard(b(key), 4);
    }

    /** Two keys on one Dragonfly shard (of 4), in one Redis slot or in two. */
    static String[] sameShardPair(String a, String prefix, boolean sameSlot) {
        for (int i = 0; ; i++) {
            String b = prefix + i;
            boolean oneSlot = io.df2redis.redis.Slots.slot(b(a)) == io.df2redis.redis.Slots.slot(b(b));
            if (flowOf(b) == flowOf(a) && oneSlot == sameSlot) {
                return new String[] {a, b};
            }
        }
    }
}
