package io.df2redis.testing.dfsim;

import io.df2redis.testing.recordings.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** A mixed dataset and a random write mix for the generated master, shared by the session and job tests. */
public final class SimWorkload {
    private SimWorkload() {}

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A mixed dataset: every encoding the simulator writes, big values that become tagged chunks, three dbs. */
    public static void seed(GeneratedEngine g, Random r) {
        long future = System.currentTimeMillis() + 3_600_000;
        for (int i = 0; i < 60; i++) {
            g.seed(0, "str:" + i, SimValue.string(b("value-" + i)));
            g.seed(0, "int:" + i, SimValue.string(b(Integer.toString(i * 1000 - 7))));
            SimValue ttl = SimValue.string(b("expiring-" + i));
            ttl.expireAtMs(future + i);
            g.seed(1, "ttl:" + i, ttl);
        }
        byte[] big = new byte[300_000];
        r.nextBytes(big);
        g.seed(0, "big:string", SimValue.string(big));
        SimDataset tmp = new SimDataset();
        for (int i = 0; i < 30_000; i++) {
            tmp.apply(0, List.of(b("RPUSH"), b("big:list"), b("element-" + i + "-" + r.nextInt(1000))));
        }
        for (int i = 0; i < 5; i++) {
            tmp.apply(0, List.of(b("RPUSH"), b("small:list"), b("e" + i)));
            tmp.apply(0, List.of(b("SADD"), b("set:ints"), b(Integer.toString(i * 70_000 - 3))));
            tmp.apply(0, List.of(b("SADD"), b("set:words"), b("w" + i)));
            tmp.apply(0, List.of(b("HSET"), b("hash:small"), b("f" + i), b(Integer.toString(i))));
            tmp.apply(0, List.of(b("ZADD"), b("zset:small"), b(i + ".5"), b("m" + i)));
        }
        tmp.apply(0, List.of(b("ZADD"), b("zset:small"), b("inf"), b("top"), b("-inf"), b("bottom")));
        for (int i = 0; i < 3000; i++) {
            tmp.apply(0, List.of(b("HSET"), b("hash:big"), b("field:" + i), b("v" + r.nextLong())));
            tmp.apply(0, List.of(b("ZADD"), b("zset:big"), b(Double.toString(r.nextGaussian() * 1e6)), b("member:" + i)));
        }
        tmp.apply(0, List.of(b("ZADD"), b("zset:big"), b("-inf"), b("floor")));
        for (String k : List.of("big:list", "small:list", "set:ints", "set:words", "hash:small", "hash:big", "zset:small", "zset:big")) {
            g.seed(k.startsWith("small") ? 5 : 0, k, tmp.get(0, Bytes.utf8(k)));
        }
    }

    /** One client write of a random kind, as the application on the master would do. */
    public static void randomWrite(GeneratedEngine g, Random r, int i) {
        int k = r.nextInt(20);
        switch (r.nextInt(9)) {
            case 0 -> g.write(0, "SET", "str:" + k, "w" + i);
            case 1 -> g.write(0, "INCR", "counter:" + k);
            case 2 -> g.write(0, "LPUSH", r.nextBoolean() ? "big:list" : "list:" + k, "x" + i, "y" + i);
            case 3 -> g.write(0, "DEL", "str:" + k, "int:" + k, "counter:" + (k + 1));
            case 4 -> g.write(1, "SET", "ttl:new:" + k, "v" + i, "PX", "3600000");
            case 5 -> g.write(0, "SADD", r.nextBoolean() ? "set:ints" : "set:words", Integer.toString(i));
            case 6 -> g.write(0, "HSET", "hash:big", "field:" + r.nextInt(4000), "n" + i);
            case 7 -> g.write(0, "ZADD", "zset:big", Integer.toString(i), "member:" + r.nextInt(4000));
            default -> g.write(1, "EXPIRE", "ttl:" + k, "7200");
        }
    }


    /**
     * A write whose second application shows (INCR, INCRBY, APPEND, HINCRBY, LPUSH, RPUSH + LPOP,
     * ZINCRBY, SPOP as the master journals it), mixed with deletes and TTL changes: for exactly-once
     * tests.
     */
    public static void nonIdempotentWrite(GeneratedEngine g, Random r, int i) {
        nonIdempotentWrite(g, r, i, false);
    }

    /**
     * As {@link #nonIdempotentWrite(GeneratedEngine, Random, int)}; {@code renames} adds RENAME within
     * a shard (mostly across Redis slots: cross-slot moves on the target).
     */
    public static void nonIdempotentWrite(GeneratedEngine g, Random r, int i, boolean renames) {
        int k = r.nextInt(24);
        int kind = r.nextInt(renames ? 14 : 11);
        if (!renames && kind >= 9) {
            kind = r.nextBoolean() ? 13 : kind; // SPOP stays in the mix
        }
        switch (kind) {
            case 11 -> {
                // RENAME within one Dragonfly shard, mostly into another Redis slot (a cross-slot move).
                String src = "ren:" + k;
                for (int t = 0; t < 64; t++) {
                    String dst = "ren:" + r.nextInt(48);
                    if (!dst.equals(src) && g.shardOf(src.getBytes(StandardCharsets.UTF_8)) == g.shardOf(dst.getBytes(StandardCharsets.UTF_8))) {
                        g.write(0, "RENAME", src, dst);
                        return;
                    }
                }
            }
            case 12 -> g.write(0, "APPEND", "ren:" + r.nextInt(48), "+" + i);
            case 13 -> {
                g.write(0, "SADD", "pool:" + (k % 4), "m" + (i % 9), "n" + (i % 5));
                g.write(0, "SPOP", "pool:" + (k % 4));
            }
            case 0 -> g.write(0, "INCR", "counter:" + k);
            case 1 -> g.write(0, "INCRBY", "counter:" + k, Integer.toString(r.nextInt(1000) - 500));
            case 2 -> g.write(0, "APPEND", "log:" + k, "+" + i);
            case 3 -> g.write(0, "HINCRBY", "hcount:" + (k % 4), "f" + (i % 7), "3");
            case 4 -> g.write(0, "LPUSH", "stack:" + k, "s" + i);
            case 5 -> g.write(0, "RPUSH", "queue:" + (k % 6), "q" + i);
            case 6 -> g.write(0, "LPOP", "queue:" + (k % 6));
            case 7 -> g.write(0, "ZINCRBY", "zcount:" + (k % 3), "1.5", "m" + (i % 11));
            case 8 -> g.write(0, "DEL", "counter:" + k, "log:" + ((k + 1) % 24), "stack:" + ((k + 2) % 24));
            case 9 -> g.write(1, "SET", "ttl:new:" + k, "v" + i, "PX", "3600000");
            default -> g.write(1, "EXPIRE", "ttl:" + k, "7200");
        }
    }

    /** A write whose replay changes nothing (SET, DEL, HSET, SADD, ZADD, PEXPIREAT…): for at-least-once tests. */
    public static void idempotentWrite(GeneratedEngine g, Random r, int i) {
        int k = r.nextInt(20);
        switch (r.nextInt(6)) {
            case 0 -> g.write(0, "SET", "str:" + k, "w" + i);
            case 1 -> g.write(0, "DEL", "str:" + k, "int:" + k);
            case 2 -> g.write(1, "SET", "ttl:new:" + k, "v" + i, "PX", "3600000");
            case 3 -> g.write(0, "SADD", r.nextBoolean() ? "set:ints" : "set:words", Integer.toString(i));
            case 4 -> g.write(0, "HSET", "hash:big", "field:" + r.nextInt(4000), "n" + i);
            default -> g.write(0, "ZADD", "zset:big", Integer.toString(i), "member:" + r.nextInt(4000));
        }
    }
}
