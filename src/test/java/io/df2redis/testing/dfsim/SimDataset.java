package io.df2redis.testing.dfsim;

import io.df2redis.testing.recordings.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Databases of keys and values, changed by the deterministic command forms a Dragonfly master
 * journals. The simulator keeps its authoritative data in one; a test rebuilds another from the
 * events a client produced and compares the two.
 */
public final class SimDataset {
    private final TreeMap<Integer, TreeMap<Bytes, SimValue>> dbs = new TreeMap<>();

    public synchronized SimValue get(int db, Bytes key) {
        TreeMap<Bytes, SimValue> m = dbs.get(db);
        return m == null ? null : m.get(key);
    }

    /** Sets a key with replace semantics (a snapshot entry). Empty containers are dropped. */
    public synchronized void put(int db, Bytes key, SimValue value) {
        if (value.isEmptyContainer()) {
            remove(db, key);
            return;
        }
        dbs.computeIfAbsent(db, d -> new TreeMap<>()).put(key, value);
    }

    public synchronized boolean remove(int db, Bytes key) {
        TreeMap<Bytes, SimValue> m = dbs.get(db);
        if (m == null || m.remove(key) == null) {
            return false;
        }
        if (m.isEmpty()) {
            dbs.remove(db);
        }
        return true;
    }

    public synchronized void clear() {
        dbs.clear();
    }

    public synchronized int size() {
        int n = 0;
        for (TreeMap<Bytes, SimValue> m : dbs.values()) {
            n += m.size();
        }
        return n;
    }

    /** Deep copy of the keys for which {@code filter} holds, per db. */
    public synchronized TreeMap<Integer, TreeMap<Bytes, SimValue>> copy(java.util.function.Predicate<Bytes> filter) {
        TreeMap<Integer, TreeMap<Bytes, SimValue>> out = new TreeMap<>();
        for (Map.Entry<Integer, TreeMap<Bytes, SimValue>> db : dbs.entrySet()) {
            TreeMap<Bytes, SimValue> m = new TreeMap<>();
            for (Map.Entry<Bytes, SimValue> e : db.getValue().entrySet()) {
                if (filter.test(e.getKey())) {
                    m.put(e.getKey(), e.getValue().copy());
                }
            }
            if (!m.isEmpty()) {
                out.put(db.getKey(), m);
            }
        }
        return out;
    }

    public synchronized SimDataset snapshot() {
        SimDataset d = new SimDataset();
        d.dbs.putAll(copy(k -> true));
        return d;
    }

    /** Removes keys whose expiry is at or before {@code nowMs}, returning them per db. */
    public synchronized List<Map.Entry<Integer, Bytes>> expire(long nowMs) {
        List<Map.Entry<Integer, Bytes>> out = new ArrayList<>();
        for (Map.Entry<Integer, TreeMap<Bytes, SimValue>> db : dbs.entrySet()) {
            for (Map.Entry<Bytes, SimValue> e : db.getValue().entrySet()) {
                if (e.getValue().expireAtMs >= 0 && e.getValue().expireAtMs <= nowMs) {
                    out.add(Map.entry(db.getKey(), e.getKey()));
                }
            }
        }
        for (Map.Entry<Integer, Bytes> e : out) {
            remove(e.getKey(), e.getValue());
        }
        return out;
    }

    /**
     * Applies one command in the form a master journals it: SET [PXAT|KEEPTTL], INCR, INCRBY,
     * DECR, APPEND, LPUSH, RPUSH, LPOP, RPOP, HINCRBY, ZINCRBY, DEL, PEXPIREAT, PERSIST, SADD, SREM, HSET, HDEL, ZADD, FLUSHDB, FLUSHALL.
     */
    public synchronized void apply(int db, List<byte[]> args) {
        String cmd = text(args.get(0)).toUpperCase(Locale.ROOT);
        switch (cmd) {
            case "SET": {
                Bytes k = Bytes.of(args.get(1));
                SimValue old = get(db, k);
                SimValue v = SimValue.string(args.get(2));
                for (int i = 3; i < args.size(); i++) {
                    String opt = text(args.get(i)).toUpperCase(Locale.ROOT);
                    if (opt.equals("PXAT")) {
                        v.expireAtMs = Long.parseLong(text(args.get(++i)));
                    } else if (opt.equals("KEEPTTL")) {
                        v.expireAtMs = old == null ? -1 : old.expireAtMs;
                    } else {
                        throw new IllegalArgumentException("SET option " + opt + " is not in the journal form");
                    }
                }
                put(db, k, v);
                break;
            }
            case "INCR", "DECR", "INCRBY": {
                Bytes k = Bytes.of(args.get(1));
                long by = cmd.equals("INCR") ? 1 : cmd.equals("DECR") ? -1 : Long.parseLong(text(args.get(2)));
                SimValue old = get(db, k);
                long cur = old == null ? 0 : Long.parseLong(text(old.str));
                SimValue v = SimValue.string(Long.toString(cur + by).getBytes(StandardCharsets.US_ASCII));
                v.expireAtMs = old == null ? -1 : old.expireAtMs;
                put(db, k, v);
                break;
            }
            case "LPUSH", "RPUSH": {
                SimValue v = container(db, args.get(1), SimValue.Kind.LIST);
                for (int i = 2; i < args.size(); i++) {
                    if (cmd.equals("LPUSH")) {
                        v.list.add(0, Bytes.of(args.get(i)));
                    } else {
                        v.list.add(Bytes.of(args.get(i)));
                    }
                }
                break;
            }
            case "APPEND": {
                Bytes k = Bytes.of(args.get(1));
                SimValue old = get(db, k);
                byte[] cur = old == null ? new byte[0] : old.str;
                byte[] add = args.get(2);
                byte[] joined = java.util.Arrays.copyOf(cur, cur.length + add.length);
                System.arraycopy(add, 0, joined, cur.length, add.length);
                SimValue v = SimValue.string(joined);
                v.expireAtMs = old == null ? -1 : old.expireAtMs;
                put(db, k, v);
                break;
            }
            case "HINCRBY": {
                SimValue v = container(db, args.get(1), SimValue.Kind.HASH);
                Bytes f = Bytes.of(args.get(2));
                Bytes cur = v.hash.get(f);
                long n = (cur == null ? 0 : Long.parseLong(cur.utf8())) + Long.parseLong(text(args.get(3)));
                v.hash.put(f, Bytes.of(Long.toString(n).getBytes(StandardCharsets.US_ASCII)));
                break;
            }
            case "ZINCRBY": {
                SimValue v = container(db, args.get(1), SimValue.Kind.ZSET);
                Bytes m = Bytes.of(args.get(3));
                v.zset.put(m, v.zset.getOrDefault(m, 0.0) + parseScore(text(args.get(2))));
                break;
            }
            case "RENAME": {
                SimValue v = get(db, Bytes.of(args.get(1)));
                if (v != null) {
                    remove(db, Bytes.of(args.get(1)));
                    put(db, Bytes.of(args.get(2)), v);
                }
                break;
            }
            case "LPOP", "RPOP": {
                SimValue v = get(db, Bytes.of(args.get(1)));
                if (v != null && !v.list.isEmpty()) {
                    v.list.remove(cmd.equals("LPOP") ? 0 : v.list.size() - 1);
                    dropIfEmpty(db, args.get(1), v);
                }
                break;
            }
            case "DEL":
                for (int i = 1; i < args.size(); i++) {
                    remove(db, Bytes.of(args.get(i)));
                }
                break;
            case "PEXPIREAT": {
                SimValue v = get(db, Bytes.of(args.get(1)));
                if (v != null) {
                    v.expireAtMs = Long.parseLong(text(args.get(2)));
                }
                break;
            }
            case "PERSIST": {
                SimValue v = get(db, Bytes.of(args.get(1)));
                if (v != null) {
                    v.expireAtMs = -1;
                }
                break;
            }
            case "SADD", "SREM": {
                SimValue v = container(db, args.get(1), SimValue.Kind.SET);
                for (int i = 2; i < args.size(); i++) {
                    if (cmd.equals("SADD")) {
                        v.set.add(Bytes.of(args.get(i)));
                    } else {
                        v.set.remove(Bytes.of(args.get(i)));
                    }
                }
                dropIfEmpty(db, args.get(1), v);
                break;
            }
            case "HSET": {
                SimValue v = container(db, args.get(1), SimValue.Kind.HASH);
                for (int i = 2; i + 1 < args.size(); i += 2) {
                    v.hash.put(Bytes.of(args.get(i)), Bytes.of(args.get(i + 1)));
                }
                break;
            }
            case "HDEL": {
                SimValue v = container(db, args.get(1), SimValue.Kind.HASH);
                for (int i = 2; i < args.size(); i++) {
                    v.hash.remove(Bytes.of(args.get(i)));
                }
                dropIfEmpty(db, args.get(1), v);
                break;
            }
            case "ZADD": {
                SimValue v = container(db, args.get(1), SimValue.Kind.ZSET);
                for (int i = 2; i + 1 < args.size(); i += 2) {
                    v.zset.put(Bytes.of(args.get(i + 1)), parseScore(text(args.get(i))));
                }
                break;
            }
            case "FLUSHDB":
                dbs.remove(db);
                break;
            case "FLUSHALL":
                dbs.clear();
                break;
            default:
                throw new IllegalArgumentException("the simulator's model does not know " + cmd);
        }
    }

    public static double parseScore(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private SimValue container(int db, byte[] key, SimValue.Kind kind) {
        Bytes k = Bytes.of(key);
        SimValue v = get(db, k);
        if (v == null) {
            v = SimValue.empty(kind);
            dbs.computeIfAbsent(db, d -> new TreeMap<>()).put(k, v);
        } else if (v.kind() != kind) {
            throw new IllegalArgumentException("WRONGTYPE: " + k + " is a " + v.kind() + ", not a " + kind);
        }
        return v;
    }

    private void dropIfEmpty(int db, byte[] key, SimValue v) {
        if (v.isEmptyContainer()) {
            remove(db, Bytes.of(key));
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A readable list of differences (at most {@code max}), empty when equal. */
    public synchronized List<String> diff(SimDataset other, int max) {
        List<String> out = new ArrayList<>();
        TreeMap<Integer, TreeMap<Bytes, SimValue>> a = copy(k -> true);
        TreeMap<Integer, TreeMap<Bytes, SimValue>> b = other.copy(k -> true);
        java.util.TreeSet<Integer> allDbs = new java.util.TreeSet<>(a.keySet());
        allDbs.addAll(b.keySet());
        for (int db : allDbs) {
            TreeMap<Bytes, SimValue> ma = a.getOrDefault(db, new TreeMap<>());
            TreeMap<Bytes, SimValue> mb = b.getOrDefault(db, new TreeMap<>());
            java.util.TreeSet<Bytes> keys = new java.util.TreeSet<>(ma.keySet());
            keys.addAll(mb.keySet());
            for (Bytes k : keys) {
                SimValue va = ma.get(k);
                SimValue vb = mb.get(k);
                if (va == null || vb == null || !va.equals(vb)) {
                    out.add("db " + db + " key " + k + ": expected " + va + ", got " + vb);
                    if (out.size() >= max) {
                        return out;
                    }
                }
            }
        }
        return out;
    }

    @Override
    public synchronized boolean equals(Object o) {
        return o instanceof SimDataset d && diff(d, 1).isEmpty();
    }

    @Override
    public int hashCode() {
        return size();
    }
}
