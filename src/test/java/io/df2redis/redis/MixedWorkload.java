package io.df2redis.redis;

import io.df2redis.dragonfly.rdb.Crc64;
import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * A deterministic stream of mixed writes whose expected end state is tracked per key, so that any
 * lost, duplicated or reordered command shows: each key gets its own increasing sequence numbers
 * and the state of every key after the stream is a function of that key's sequence only.
 *
 * <p>Kinds (by key index): list (RPUSH seq: the list must be exactly first..last), string (SET
 * seq, sometimes with PX), hash (HSET f(seq%4) seq), counter (INCR), sorted set (ZADD seq m(seq%8)),
 * RESTORE (a DUMP payload carrying seq, REPLACE). One command in 200 is a DEL of the key.
 */
final class MixedWorkload {
    static final int LIST = 0;
    static final int STRING = 1;
    static final int HASH = 2;
    static final int COUNTER = 3;
    static final int ZSET = 4;
    static final int RESTORE = 5;
    private static final int KINDS = 6;

    private final byte[][] keys;
    private final int[] dbs;
    private final int[] kinds;
    private final long[] seq;
    private final long[] first;
    private final long[] count;
    private final boolean[] ttl;
    private final long[][] fields;
    private final SplittableRandom random;
    private final int rdbVersion;
    private final boolean idempotentOnly;
    private long emitted;

    /**
     * @param keyNames key bytes, one per key
     * @param databases keys are spread over dbs 0..databases-1
     * @param idempotentOnly only kinds whose replay is harmless (string, hash, zset, RESTORE)
     */
    MixedWorkload(List<byte[]> keyNames, int databases, long seed, int rdbVersion, boolean idempotentOnly) {
        int n = keyNames.size();
        this.keys = keyNames.toArray(new byte[0][]);
        this.dbs = new int[n];
        this.kinds = new int[n];
        this.seq = new long[n];
        this.first = new long[n];
        this.count = new long[n];
        this.ttl = new boolean[n];
        this.fields = new long[n][];
        this.random = new SplittableRandom(seed);
        this.rdbVersion = rdbVersion;
        this.idempotentOnly = idempotentOnly;
        int[] idem = {STRING, HASH, ZSET, RESTORE};
        for (int i = 0; i < n; i++) {
            dbs[i] = i % databases;
            kinds[i] = idempotentOnly ? idem[(i / databases) % idem.length] : (i / databases) % KINDS;
            if (kinds[i] == HASH) {
                fields[i] = new long[4];
            } else if (kinds[i] == ZSET) {
                fields[i] = new long[8];
            }
        }
    }

    /** {@code n} keys named {@code prefix + i}, every tenth sharing one of 50 hash tags (several keys per slot). */
    static List<byte[]> keyNames(String prefix, int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String k = i % 10 == 0 ? prefix + "{t" + (i / 10) % 50 + "}" + i : prefix + i;
            out.add(k.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    int keyCount() {
        return keys.length;
    }

    long emitted() {
        return emitted;
    }

    /** The next command (updating the expected state as if it were applied). */
    RedisCommand next() {
        return next(random.nextInt(keys.length));
    }

    RedisCommand next(int i) {
        emitted++;
        byte[] k = keys[i];
        int db = dbs[i];
        if (random.nextInt(200) == 0) {
            first[i] = 0;
            count[i] = 0;
            ttl[i] = false;
            if (fields[i] != null) {
                java.util.Arrays.fill(fields[i], 0);
            }
            return RedisCommand.of(db, k, b("DEL"), k);
        }
        long s = ++seq[i];
        byte[] v = b(Long.toString(s));
        switch (kinds[i]) {
            case LIST -> {
                if (count[i] == 0) {
                    first[i] = s;
                }
                count[i]++;
                return RedisCommand.of(db, k, b("RPUSH"), k, v);
            }
            case STRING -> {
                count[i] = s;
                ttl[i] = s % 7 == 0;
                return ttl[i] ? RedisCommand.of(db, k, b("SET"), k, v, b("PX"), b("3600000")) : RedisCommand.of(db, k, b("SET"), k, v);
            }
            case HASH -> {
                fields[i][(int) (s % 4)] = s;
                return RedisCommand.of(db, k, b("HSET"), k, b("f" + s % 4), v);
            }
            case COUNTER -> {
                count[i]++;
                return RedisCommand.of(db, k, b("INCR"), k);
            }
            case ZSET -> {
                fields[i][(int) (s % 8)] = s;
                return RedisCommand.of(db, k, b("ZADD"), k, v, b("m" + s % 8));
            }
            default -> {
                count[i] = s;
                return RedisCommand.of(db, k, b("RESTORE"), k, b("0"), dumpPayload(v, rdbVersion), b("REPLACE"));
            }
        }
    }

    /** A DUMP payload of a string value: type 0, length-prefixed bytes, RDB version, CRC64. */
    static byte[] dumpPayload(byte[] value, int rdbVersion) {
        if (value.length >= 64) {
            throw new IllegalArgumentException("short values only");
        }
        byte[] p = new byte[2 + value.length + 10];
        p[0] = 0;
        p[1] = (byte) value.length;
        System.arraycopy(value, 0, p, 2, value.length);
        int o = 2 + value.length;
        p[o] = (byte) rdbVersion;
        p[o + 1] = (byte) (rdbVersion >> 8);
        long crc = Crc64.update(0, p, 0, o + 2);
        for (int j = 0; j < 8; j++) {
            p[o + 2 + j] = (byte) (crc >>> (8 * j));
        }
        return p;
    }

    /**
     * Reads every key back (pipelined, per node) and returns a description of each difference from
     * the expected state (empty when all match; at most 20).
     *
     * @param nodeForSlot a connection to the node serving a slot
     */
    List<String> verify(IntFunction<RedisConnection> nodeForSlot) throws IOException {
        List<String> problems = new ArrayList<>();
        java.util.Map<RedisConnection, List<Integer>> byNode = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            byNode.computeIfAbsent(nodeForSlot.apply(Slots.slot(keys[i])), c -> new ArrayList<>()).add(i);
        }
        for (java.util.Map.Entry<RedisConnection, List<Integer>> e : byNode.entrySet()) {
            List<Integer> all = e.getValue();
            for (int from = 0; from < all.size() && problems.size() < 20; from += 500) {
                List<Integer> chunk = all.subList(from, Math.min(all.size(), from + 500));
                List<byte[][]> cmds = new ArrayList<>();
                for (int i : chunk) {
                    cmds.add(new byte[][] {b("SELECT"), b(Integer.toString(dbs[i]))});
                    cmds.addAll(reads(i));
                }
                List<RespReply> replies = e.getKey().pipeline(cmds);
                int at = 0;
                for (int i : chunk) {
                    int n = reads(i).size();
                    if (replies.get(at).isError()) {
                        problems.add("SELECT failed: " + replies.get(at).describe());
                    }
                    String p = check(i, replies.subList(at + 1, at + 1 + n));
                    at += 1 + n;
                    if (p != null && problems.size() < 20) {
                        problems.add(p);
                    }
                }
            }
        }
        return problems;
    }

    private List<byte[][]> reads(int i) {
        byte[] k = keys[i];
        return switch (kinds[i]) {
            case LIST -> List.<byte[][]>of(new byte[][] {b("LRANGE"), k, b("0"), b("-1")});
            case STRING -> List.of(new byte[][] {b("GET"), k}, new byte[][] {b("PTTL"), k});
            case HASH -> List.<byte[][]>of(new byte[][] {b("HGETALL"), k});
            case ZSET -> List.<byte[][]>of(new byte[][] {b("ZRANGE"), k, b("0"), b("-1"), b("WITHSCORES")});
            default -> List.<byte[][]>of(new byte[][] {b("GET"), k});
        };
    }

    private String check(int i, List<RespReply> r) {
        String name = new String(keys[i], StandardCharsets.UTF_8) + " (db " + dbs[i] + ", " + kindName(kinds[i]) + ")";
        for (RespReply x : r) {
            if (x.isError()) {
                return name + ": read failed: " + x.describe();
            }
        }
        switch (kinds[i]) {
            case LIST -> {
                List<RespReply> items = r.get(0).asArray();
                if (items.size() != count[i]) {
                    return name + ": " + items.size() + " items, expected " + count[i] + " (" + first[i] + ".." + seq[i] + ")";
                }
                for (int j = 0; j < items.size(); j++) {
                    long v = Long.parseLong(items.get(j).asText());
                    if (v != first[i] + j) {
                        return name + ": item " + j + " is " + v + ", expected " + (first[i] + j);
                    }
                }
                return null;
            }
            case STRING, RESTORE -> {
                RespReply v = r.get(0);
                String expected = count[i] == 0 ? null : Long.toString(count[i]);
                String got = v instanceof RespReply.Null ? null : v.asText();
                if (expected == null ? got != null : !expected.equals(got)) {
                    return name + ": value " + got + ", expected " + expected;
                }
                if (kinds[i] == STRING && count[i] != 0) {
                    long pttl = r.get(1).asLong();
                    if (ttl[i] != (pttl > 0)) {
                        return name + ": PTTL " + pttl + ", expected " + (ttl[i] ? "a TTL" : "none");
                    }
                }
                return null;
            }
            case COUNTER -> {
                RespReply v = r.get(0);
                long got = v instanceof RespReply.Null ? 0 : v.asLong();
                return got == count[i] ? null : name + ": counter " + got + ", expected " + count[i];
            }
            case HASH -> {
                return compareFields(name, r.get(0).asArray(), fields[i], "f");
            }
            default -> {
                // ZRANGE WITHSCORES: member, score, member, score…
                return compareFields(name, r.get(0).asArray(), fields[i], "m");
            }
        }
    }

    private static String compareFields(String name, List<RespReply> pairs, long[] expected, String prefix) {
        long[] got = new long[expected.length];
        for (int j = 0; j + 1 < pairs.size(); j += 2) {
            String f = pairs.get(j).asText();
            got[Integer.parseInt(f.substring(prefix.length()))] = (long) Double.parseDouble(pairs.get(j + 1).asText());
        }
        for (int j = 0; j < expected.length; j++) {
            if (got[j] != expected[j]) {
                return name + ": " + prefix + j + " = " + got[j] + ", expected " + expected[j];
            }
        }
        return null;
    }

    private static String kindName(int k) {
        return switch (k) {
            case LIST -> "list";
            case STRING -> "string";
            case HASH -> "hash";
            case COUNTER -> "counter";
            case ZSET -> "zset";
            default -> "restore";
        };
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
