package io.df2redis.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.redis.RedisTarget;
import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.commands.JedisBinaryCommands;
import redis.clients.jedis.params.RestoreParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@code --mode verify}'s comparison on real redis-servers: a source standalone server, a
 * standalone and a 6-node cluster target. Equal datasets of every type (small and big keys, the
 * latter compared in chunks) compare equal; each kind of difference is found exactly once, with its
 * kind; a difference repaired while the rechecks wait is not reported but counted as converged.
 */
@Timeout(300)
class VerifierTest {
    static RedisServerProcess source;
    static RedisServerProcess target;
    static RedisClusterProcesses cluster;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        source = RedisServerProcess.builder().start();
        target = RedisServerProcess.builder().start();
        cluster = RedisClusterProcesses.start();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {source, target, cluster}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the others are still stopped
            }
        }
    }

    @BeforeEach
    void empty() throws Exception {
        source.call("FLUSHALL");
        target.call("FLUSHALL");
        for (RedisServerProcess n : cluster.primaries()) {
            n.call("FLUSHALL");
        }
    }

    /** Small chunks so that the big-key paths run on small data; short waits between rechecks. */
    static VerifyConfig config() {
        return VerifyConfig.defaults().withChunks(50, 20, 64).withRechecks(2, Duration.ofMillis(100)).withParallelism(3);
    }

    static final long EXPIRE_AT = System.currentTimeMillis() + 3_600_000;
    /** Keys {@link #fill} writes per db. */
    static final int KEYS = 300 + 1 + 1 + 2 + 4 + 4;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every type, small and big (above {@link #config()}'s chunks), some with expiries, one binary key. */
    static void fill(Jedis j, int db) {
        j.select(db);
        String p = "d" + db + ":";
        for (int i = 0; i < 300; i++) {
            j.set(p + "s:" + i, "v" + i);
        }
        j.set(p + "big-string", "x".repeat(1000) + "y");
        j.pexpireAt(p + "s:7", EXPIRE_AT);
        j.set(b(p + "bin:\u00e9\\"), new byte[] {0, (byte) 0xff, 1});
        Map<String, String> small = new HashMap<>();
        Map<String, String> big = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            small.put("f" + i, "v" + i);
        }
        for (int i = 0; i < 200; i++) {
            big.put("f" + i, "v" + i);
        }
        j.hset(p + "h:small", small);
        j.hset(p + "h:big", big);
        j.pexpireAt(p + "h:big", EXPIRE_AT + 1);
        for (int i = 0; i < 150; i++) {
            j.sadd(p + "set:big", "m" + i);
            j.zadd(p + "z:big", i * 0.1, "m" + i);
            j.rpush(p + "l:big", "e" + i);
            j.xadd(p + "x:big", new StreamEntryID(1000 + i / 3, i % 3), Map.of("k", "v" + i));
        }
        j.sadd(p + "set:small", "a", "b", "c");
        j.zadd(p + "z:small", Double.POSITIVE_INFINITY, "top");
        j.zadd(p + "z:small", Double.NEGATIVE_INFINITY, "bottom");
        j.zadd(p + "z:small", 1.0 / 3, "third");
        j.rpush(p + "l:small", "1", "2", "1");
        j.xadd(p + "x:small", new StreamEntryID(5, 0), Map.of("a", "1"));
    }

    /** Copies source db {@code db} exactly (DUMP/RESTORE ABSTTL) into {@code to} (db {@code toDb} when standalone). */
    static void copy(int db, JedisBinaryCommands to) {
        try (Jedis s = new Jedis(source.host(), source.port())) {
            s.select(db);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<byte[]> page = s.scan(b(cursor), new ScanParams().count(100));
                cursor = page.getCursor();
                for (byte[] k : page.getResult()) {
                    long at = (Long) s.sendCommand(redis.clients.jedis.Protocol.Command.PEXPIRETIME, k);
                    byte[] dump = s.dump(k);
                    RestoreParams rp = RestoreParams.restoreParams().replace();
                    if (at > 0) {
                        rp.absTtl();
                    }
                    to.restore(k, at > 0 ? at : 0, dump, rp);
                }
            } while (!cursor.equals("0"));
        }
    }

    Jedis targetJedis(int db) {
        Jedis j = new Jedis(target.host(), target.port());
        j.select(db);
        return j;
    }

    JedisCluster clusterJedis() throws Exception {
        RedisServerProcess n = cluster.nodes().get(0);
        return new JedisCluster(new HostAndPort(n.host(), n.port()));
    }

    Verifier.Result verify(RedisTarget to, VerifyConfig c) throws Exception {
        return new Verifier(RedisTarget.parse(source.url()), to, c).run();
    }

    static Map<String, Difference.Kind> kinds(Verifier.Result r) {
        return r.differences().stream().collect(Collectors.toMap(d -> d.db() + "/" + VerifyReport.printable(d.key()),
                Difference::kind, (a, c) -> {
                    throw new AssertionError("a key reported twice");
                }, TreeMap::new));
    }

    @Test
    void equalDatasetsOfEveryTypeCompareEqual() throws Exception {
        try (Jedis s = new Jedis(source.host(), source.port()); Jedis t0 = targetJedis(0); Jedis t3 = targetJedis(3)) {
            fill(s, 0);
            fill(s, 3);
            copy(0, t0);
            copy(3, t3);
        }
        target.call("SET", "__df2redis:wm:{a}", "x"); // the job's own keys are not extra
        Verifier.Result r = verify(RedisTarget.parse(target.url()), config());
        assertThat(r.differences()).isEmpty();
        assertThat(r.compared()).isEqualTo(2L * KEYS);
        assertThat(r.converged()).isZero();
        assertThat(r.summary()).startsWith("EQUAL: " + 2 * KEYS + " keys compared, " + 2 * KEYS + " equal, 0 different");
    }

    @Test
    void aClusterTargetWithTheSameKeysIsEqual() throws Exception {
        try (Jedis s = new Jedis(source.host(), source.port()); JedisCluster c = clusterJedis()) {
            fill(s, 0);
            copy(0, c);
        }
        Verifier.Result r = verify(RedisTarget.parse(cluster.url()), config());
        assertThat(r.differences()).isEmpty();
        assertThat(r.compared()).isEqualTo(KEYS);
    }

    @Test
    void eachKindOfDifferenceIsFoundOnceWithItsKind() throws Exception {
        try (Jedis s = new Jedis(source.host(), source.port()); Jedis t = targetJedis(0)) {
            fill(s, 0);
            copy(0, t);
            t.del("d0:s:1"); // missing
            t.set("only-in-target", "1"); // extra
            t.del("d0:s:2");
            t.rpush("d0:s:2", "v2"); // type
            t.hset("d0:h:big", "f150", "other"); // value, deep in a big hash
            t.lset("d0:l:big", 140, "other"); // value, in a big list's last chunk
            t.zadd("d0:z:big", Math.nextUp(14.0 * 0.1 + 0.0), "m140"); // value: a score one ulp off
            t.srem("d0:set:big", "m99");
            t.sadd("d0:set:big", "m99x"); // value: same size, other member
            t.setrange("d0:big-string", 999, "z"); // value, in the big string's middle chunk
            t.xdel("d0:x:big", new StreamEntryID(1049, 2));
            t.xadd("d0:x:big", new StreamEntryID(2000, 0), Map.of("k", "v")); // value: same length, other entry
            t.pexpireAt("d0:s:7", EXPIRE_AT + 1); // ttl, by one millisecond
            t.pexpireAt("d0:s:8", EXPIRE_AT); // ttl: the source has none
            t.persist("d0:h:big"); // ttl: the target has none
            t.set("d0:s:9", "changed");
            t.pexpireAt("d0:s:9", EXPIRE_AT); // value and ttl: reported once, as value
        }
        Path report = tmp.resolve("report.jsonl");
        Verifier.Result r = verify(RedisTarget.parse(target.url()), config().withReport(report));
        assertThat(kinds(r)).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("0/d0:s:1", Difference.Kind.MISSING),
                Map.entry("0/only-in-target", Difference.Kind.EXTRA),
                Map.entry("0/d0:s:2", Difference.Kind.TYPE),
                Map.entry("0/d0:h:big", Difference.Kind.VALUE),
                Map.entry("0/d0:l:big", Difference.Kind.VALUE),
                Map.entry("0/d0:z:big", Difference.Kind.VALUE),
                Map.entry("0/d0:set:big", Difference.Kind.VALUE),
                Map.entry("0/d0:big-string", Difference.Kind.VALUE),
                Map.entry("0/d0:x:big", Difference.Kind.VALUE),
                Map.entry("0/d0:s:7", Difference.Kind.TTL),
                Map.entry("0/d0:s:8", Difference.Kind.TTL),
                Map.entry("0/d0:s:9", Difference.Kind.VALUE)));
        // d0:h:big differs in value and ttl: value is its first kind.
        assertThat(r.compared()).isEqualTo(KEYS + 1);
        assertThat(r.byKind()).containsEntry(Difference.Kind.VALUE, 7L).containsEntry(Difference.Kind.TTL, 2L);
        assertThat(r.summary()).startsWith("DIFFERENT: " + (KEYS + 1) + " keys compared, " + (KEYS + 1 - 12) + " equal, 12 different"
                + " (missing 1, extra 1, type 1, value 7, ttl 2)");
        List<String> lines = Files.readAllLines(report);
        assertThat(lines).hasSize(12);
        assertThat(lines).contains("{\"db\":0,\"key\":\"d0:s:1\",\"kind\":\"missing\",\"source\":{\"type\":\"string\",\"expire_at_ms\":-1,"
                + "\"size\":-1},\"target\":{\"type\":\"none\",\"expire_at_ms\":-1,\"size\":-1}}");
        assertThat(lines).contains("{\"db\":0,\"key\":\"d0:s:2\",\"kind\":\"type\",\"source\":{\"type\":\"string\",\"expire_at_ms\":-1,"
                + "\"size\":-1},\"target\":{\"type\":\"list\",\"expire_at_ms\":-1,\"size\":-1}}");
        assertThat(lines).contains("{\"db\":0,\"key\":\"d0:s:7\",\"kind\":\"ttl\",\"source\":{\"type\":\"string\",\"expire_at_ms\":"
                + EXPIRE_AT + ",\"size\":2},\"target\":{\"type\":\"string\",\"expire_at_ms\":" + (EXPIRE_AT + 1) + ",\"size\":2}}");
    }

    @Test
    void differencesOnAClusterTargetAreFoundOnce() throws Exception {
        try (Jedis s = new Jedis(source.host(), source.port()); JedisCluster c = clusterJedis()) {
            fill(s, 0);
            copy(0, c);
            c.del("d0:s:1");
            for (int i = 0; i < 5; i++) {
                c.set("extra:" + i, "x"); // spread over the primaries
            }
            c.hset("d0:h:small", "f3", "other");
            c.pexpireAt("d0:z:small", EXPIRE_AT);
        }
        Verifier.Result r = verify(RedisTarget.parse(cluster.url()), config());
        Map<String, Difference.Kind> expected = new HashMap<>(Map.of("0/d0:s:1", Difference.Kind.MISSING,
                "0/d0:h:small", Difference.Kind.VALUE, "0/d0:z:small", Difference.Kind.TTL));
        for (int i = 0; i < 5; i++) {
            expected.put("0/extra:" + i, Difference.Kind.EXTRA);
        }
        assertThat(kinds(r)).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void aDifferenceRepairedDuringTheRechecksIsNotReported() throws Exception {
        try (Jedis s = new Jedis(source.host(), source.port()); Jedis t = targetJedis(0)) {
            fill(s, 0);
            copy(0, t);
            t.del("d0:s:3");
            t.set("d0:s:4", "stale");
            t.set("late-extra", "x");
        }
        // A "job" repairs two of the three while the verifier waits for its first recheck.
        Thread repair = new Thread(() -> {
            try {
                Thread.sleep(700);
                try (Jedis t = targetJedis(0)) {
                    t.set("d0:s:3", "v3");
                    t.set("d0:s:4", "v4");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        repair.start();
        Verifier.Result r = verify(RedisTarget.parse(target.url()), config().withRechecks(3, Duration.ofMillis(1000)));
        repair.join();
        assertThat(kinds(r)).containsExactly(Map.entry("0/late-extra", Difference.Kind.EXTRA));
        assertThat(r.converged()).isEqualTo(2);
        assertThat(r.summary()).contains("2 differed, then converged");
    }

    @Test
    void withoutRechecksEveryDifferenceOfThePassIsReported() throws Exception {
        try (Jedis s = new Jedis(source.host(), source.port()); Jedis t = targetJedis(0)) {
            fill(s, 0);
            copy(0, t);
            t.del("d0:s:3");
        }
        Verifier.Result r = verify(RedisTarget.parse(target.url()), config().withRechecks(0, Duration.ZERO));
        assertThat(kinds(r)).containsExactly(Map.entry("0/d0:s:3", Difference.Kind.MISSING));
    }

    @Test
    void aSampleComparesTheSameKeysBothWays() throws Exception {
        try (Jedis s = new Jedis(source.host(), source.port()); Jedis t = targetJedis(0)) {
            fill(s, 0);
            copy(0, t);
            for (int i = 0; i < 200; i++) {
                t.del("d0:s:" + i);
                t.set("extra:" + i, "x");
            }
        }
        Verifier.Result r = verify(RedisTarget.parse(target.url()), config().withSample(0.25));
        long missing = r.byKind().get(Difference.Kind.MISSING);
        long extra = r.byKind().get(Difference.Kind.EXTRA);
        // About a quarter of each, chosen by the key's hash: never all, never none.
        assertThat(missing).isBetween(20L, 90L);
        assertThat(extra).isBetween(20L, 90L);
        assertThat(r.compared()).isLessThan(KEYS);
        assertThat(r.summary()).contains("(sample 0.2500 of the keys)");
        Set<String> sampledAgain = kinds(verify(RedisTarget.parse(target.url()), config().withSample(0.25))).keySet();
        assertThat(sampledAgain).isEqualTo(kinds(r).keySet());
    }

    @Test
    void aMappedDbIsComparedWithItsTargetDbAndAnIgnoredOneNotAtAll() throws Exception {
        try (Jedis s = new Jedis(source.host(), source.port()); Jedis t5 = targetJedis(5)) {
            fill(s, 1);
            copy(1, t5);
            fill(s, 2); // ignored: nothing of it in the target
        }
        VerifyConfig c = config().withDbMapping(db -> db == 1 ? 5 : VerifyConfig.IGNORED, db -> db == 5 ? List.of(1) : List.of());
        Verifier.Result r = verify(RedisTarget.parse(target.url()), c);
        assertThat(r.differences()).isEmpty();
        assertThat(r.compared()).isEqualTo(KEYS);
    }

    @Test
    void differencesCheckedAgainAreKeptOnlyWhileTheyLast() throws Exception {
        try (Jedis s = new Jedis(source.host(), source.port()); Jedis t = targetJedis(0)) {
            fill(s, 0);
            copy(0, t);
            t.del("d0:s:1");
            t.set("only-in-target", "1");
            t.set("d0:s:2", "other");
        }
        RedisTarget to = RedisTarget.parse(target.url());
        List<Difference> found = verify(to, config().withRechecks(0, Duration.ZERO)).differences();
        assertThat(found).hasSize(3);
        try (Jedis t = targetJedis(0)) {
            t.set("d0:s:1", "v1"); // repaired
            t.del("only-in-target"); // repaired
        }
        List<Difference> still = new Verifier(RedisTarget.parse(source.url()), to, config()).stillDifferent(found);
        assertThat(still).extracting(d -> VerifyReport.printable(d.key()) + "=" + d.kind().label()).containsExactly("d0:s:2=value");
    }

    @Test
    void keysArePrintedAsTextWithOtherBytesEscaped() {
        assertThat(VerifyReport.printable(b("user:1"))).isEqualTo("user:1");
        assertThat(VerifyReport.printable(new byte[] {'a', (byte) 0xff, 'b', (byte) 0xc3, (byte) 0xa9})).isEqualTo("a\\xffbé");
        assertThat(VerifyReport.printable(b("a\\xff"))).isEqualTo("a\\\\xff"); // a real backslash, doubled
        assertThat(VerifyReport.json("a\"b\\c\n\u0001")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\"");
    }

    @Test
    void theNextStreamIdFollowsTheLastOne() {
        assertThat(KeyComparator.nextStreamId("5-0")).isEqualTo("5-1");
        assertThat(KeyComparator.nextStreamId("5-18446744073709551615")).isEqualTo("6-0");
    }
}
