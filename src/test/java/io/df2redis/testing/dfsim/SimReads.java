package io.df2redis.testing.dfsim;

import io.df2redis.testing.recordings.Bytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The read commands a Dragonfly master answers on a normal connection, served from the simulator's
 * dataset: what {@code --mode verify} and a cut-over's repair read from the source. Keys past their
 * expiry are absent, as on a real master. One SCAN page is the whole db (cursor 0 in, "0" out);
 * {@code *SCAN} of a value likewise.
 */
final class SimReads {
    private SimReads() {}

    /** The reply, or null when {@code args} is not a read command served here. */
    static byte[] handle(SimDataset data, int[] db, List<byte[]> args) {
        String cmd = text(args.get(0)).toUpperCase(Locale.ROOT);
        synchronized (data) {
            long now = System.currentTimeMillis();
            switch (cmd) {
                case "SELECT":
                    db[0] = Integer.parseInt(text(args.get(1)));
                    return DfSim.simple("OK");
                case "DBSIZE":
                    return integer(keys(data, db[0], now).size());
                case "SCAN": {
                    List<byte[]> page = new ArrayList<>();
                    for (Bytes k : keys(data, db[0], now)) {
                        page.add(k.toByteArray());
                    }
                    return array(List.of(bulk("0"), array(page.stream().map(SimReads::bulk).toList())));
                }
                default:
                    break;
            }
            if (args.size() < 2) {
                return null;
            }
            Bytes key = Bytes.of(args.get(1));
            SimValue v = data.get(db[0], key);
            if (v != null && v.expireAtMs() >= 0 && v.expireAtMs() <= now) {
                v = null;
            }
            switch (cmd) {
                case "TYPE":
                    return DfSim.simple(v == null ? "none" : v.kind().name().toLowerCase(Locale.ROOT));
                case "EXISTS":
                    return integer(v == null ? 0 : 1);
                case "PEXPIRETIME":
                    return integer(v == null ? -2 : v.expireAtMs());
                case "PTTL":
                    return integer(v == null ? -2 : v.expireAtMs() < 0 ? -1 : v.expireAtMs() - now);
                case "STRLEN", "HLEN", "SCARD", "ZCARD", "LLEN":
                    return integer(v == null ? 0 : wrongType(v, cmd) ? -1 : v.size());
                default:
                    break;
            }
            if (v != null && wrongType(v, cmd)) {
                return DfSim.error("WRONGTYPE Operation against a key holding the wrong kind of value");
            }
            switch (cmd) {
                case "GET":
                    return v == null ? NULL : bulk(v.str);
                case "DUMP": {
                    if (v == null) {
                        return NULL;
                    }
                    // As a Dragonfly master dumps: its own type bytes, RDB version 9.
                    io.df2redis.dragonfly.event.RdbValue rv = new io.df2redis.dragonfly.encode.ValueEncoder().encode(v.toDecoded());
                    return bulk(io.df2redis.dragonfly.rdb.DumpPayload.build(io.df2redis.dragonfly.encode.DragonflyTypes.typeByte(rv.type()),
                            rv.encoded(), io.df2redis.dragonfly.rdb.DumpPayload.DRAGONFLY_RDB_VERSION));
                }
                case "GETRANGE": {
                    byte[] s = v == null ? new byte[0] : v.str;
                    int from = (int) Math.max(0, Math.min(s.length, Long.parseLong(text(args.get(2)))));
                    int to = (int) Math.min(s.length - 1, Long.parseLong(text(args.get(3))));
                    return bulk(to < from ? new byte[0] : java.util.Arrays.copyOfRange(s, from, to + 1));
                }
                case "HGETALL", "HSCAN": {
                    List<byte[]> out = new ArrayList<>();
                    if (v != null) {
                        for (Map.Entry<Bytes, Bytes> e : v.hash.entrySet()) {
                            out.add(bulk(e.getKey().toByteArray()));
                            out.add(bulk(e.getValue().toByteArray()));
                        }
                    }
                    return cmd.equals("HSCAN") ? array(List.of(bulk("0"), array(out))) : array(out);
                }
                case "SMEMBERS", "SSCAN": {
                    List<byte[]> out = new ArrayList<>();
                    if (v != null) {
                        for (Bytes m : v.set) {
                            out.add(bulk(m.toByteArray()));
                        }
                    }
                    return cmd.equals("SSCAN") ? array(List.of(bulk("0"), array(out))) : array(out);
                }
                case "ZRANGE", "ZSCAN": {
                    // ZRANGE key 0 -1 WITHSCORES: by score, then member
                    List<Map.Entry<Bytes, Double>> es = v == null ? List.of() : new ArrayList<>(v.zset.entrySet());
                    if (cmd.equals("ZRANGE")) {
                        es = es.stream().sorted(Map.Entry.<Bytes, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey())).toList();
                    }
                    List<byte[]> out = new ArrayList<>();
                    for (Map.Entry<Bytes, Double> e : es) {
                        out.add(bulk(e.getKey().toByteArray()));
                        out.add(bulk(score(e.getValue())));
                    }
                    return cmd.equals("ZSCAN") ? array(List.of(bulk("0"), array(out))) : array(out);
                }
                case "LRANGE": {
                    List<Bytes> l = v == null ? List.of() : v.list;
                    int n = l.size();
                    long from = Long.parseLong(text(args.get(2)));
                    long to = Long.parseLong(text(args.get(3)));
                    from = from < 0 ? Math.max(0, n + from) : from;
                    to = to < 0 ? n + to : Math.min(n - 1, to);
                    List<byte[]> out = new ArrayList<>();
                    for (long i = from; i <= to; i++) {
                        out.add(bulk(l.get((int) i).toByteArray()));
                    }
                    return array(out);
                }
                case "HMGET": {
                    List<byte[]> out = new ArrayList<>();
                    for (byte[] f : args.subList(2, args.size())) {
                        Bytes val = v == null ? null : v.hash.get(Bytes.of(f));
                        out.add(val == null ? NULL : bulk(val.toByteArray()));
                    }
                    return array(out);
                }
                case "SMISMEMBER": {
                    List<byte[]> out = new ArrayList<>();
                    for (byte[] m : args.subList(2, args.size())) {
                        out.add(integer(v != null && v.set.contains(Bytes.of(m)) ? 1 : 0));
                    }
                    return array(out);
                }
                case "ZMSCORE": {
                    List<byte[]> out = new ArrayList<>();
                    for (byte[] m : args.subList(2, args.size())) {
                        Double s = v == null ? null : v.zset.get(Bytes.of(m));
                        out.add(s == null ? NULL : bulk(score(s)));
                    }
                    return array(out);
                }
                default:
                    return null;
            }
        }
    }

    /** {@code # Keyspace} lines of INFO for the dbs holding keys. */
    static String keyspaceInfo(SimDataset data) {
        StringBuilder sb = new StringBuilder("\r\n# Keyspace\r\n");
        synchronized (data) {
            long now = System.currentTimeMillis();
            for (int db = 0; db < 16; db++) {
                int n = keys(data, db, now).size();
                if (n > 0) {
                    sb.append("db").append(db).append(":keys=").append(n).append(",expires=0,avg_ttl=0\r\n");
                }
            }
        }
        return sb.toString();
    }

    private static List<Bytes> keys(SimDataset data, int db, long now) {
        TreeMap<Integer, TreeMap<Bytes, SimValue>> copy = data.copy(k -> true);
        List<Bytes> out = new ArrayList<>();
        TreeMap<Bytes, SimValue> m = copy.get(db);
        if (m != null) {
            for (Map.Entry<Bytes, SimValue> e : m.entrySet()) {
                if (e.getValue().expireAtMs() < 0 || e.getValue().expireAtMs() > now) {
                    out.add(e.getKey());
                }
            }
        }
        return out;
    }

    private static boolean wrongType(SimValue v, String cmd) {
        SimValue.Kind want = switch (cmd) {
            case "GET", "GETRANGE", "STRLEN" -> SimValue.Kind.STRING;
            case "DUMP" -> v.kind();
            case "HGETALL", "HSCAN", "HMGET", "HLEN" -> SimValue.Kind.HASH;
            case "SMEMBERS", "SSCAN", "SMISMEMBER", "SCARD" -> SimValue.Kind.SET;
            case "ZRANGE", "ZSCAN", "ZMSCORE", "ZCARD" -> SimValue.Kind.ZSET;
            case "LRANGE", "LLEN" -> SimValue.Kind.LIST;
            default -> v.kind();
        };
        return v.kind() != want;
    }

    /** A score as Dragonfly prints it: the shortest text that reads back as the same double. */
    private static String score(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    private static final byte[] NULL = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);

    private static byte[] integer(long n) {
        return (":" + n + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bulk(String s) {
        return bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bulk(byte[] b) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(b.length + 16);
        o.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        o.writeBytes(b);
        o.writeBytes(new byte[] {'\r', '\n'});
        return o.toByteArray();
    }

    private static byte[] array(List<byte[]> encoded) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("*" + encoded.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] e : encoded) {
            o.writeBytes(e);
        }
        return o.toByteArray();
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
