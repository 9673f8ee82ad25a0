package io.df2redis.verify;

import io.df2redis.redis.KeyspaceClient;
import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares keys of one source db with the target, by content: a page at a time, pipelined (type
 * and expiry, then sizes, then the values of small keys in one round trip per side); a big key in
 * chunks, so that memory stays bounded whatever its size (strings by {@code GETRANGE}, lists and
 * streams by range, hashes, sets and zsets by a source {@code *SCAN} checked against the target with
 * {@code HMGET}/{@code SMISMEMBER}/{@code ZMSCORE}: with equal sizes, every source element found
 * equal in the target means the two are equal). Zset scores compare as doubles, exactly.
 *
 * <p>Types other than Redis's six (e.g. {@code ReJSON-RL}) compare by their type and, for JSON, by
 * {@code JSON.GET}; others by type and expiry only ({@link #typeOnly()} counts them).
 *
 * <p>Not thread-safe: one per thread, with its own clients.
 */
final class KeyComparator {
    private final KeyspaceClient source;
    private final KeyspaceClient target;
    private final VerifyConfig config;
    private final boolean absoluteExpiry;
    private long typeOnly;

    KeyComparator(KeyspaceClient source, KeyspaceClient target, VerifyConfig config) throws IOException {
        this.source = source;
        this.target = target;
        this.config = config;
        this.absoluteExpiry = supportsPexpiretime(source) && supportsPexpiretime(target);
    }

    /** Whether PEXPIRETIME is there (Redis ≥ 7); otherwise expiries are compared from PTTL. */
    private static boolean supportsPexpiretime(KeyspaceClient c) throws IOException {
        byte[] probe = "__df2redis:verify-probe".getBytes(StandardCharsets.UTF_8);
        RespReply r = c.read(0, List.<byte[][]>of(new byte[][] {b("PEXPIRETIME"), probe})).get(0);
        return !(r instanceof RespReply.Error);
    }

    /**
     * Reads the target with the commands written for source keys: each command's key ({@code
     * args[1]}) renamed to the key's target name.
     */
    private List<RespReply> readTarget(int db, List<byte[][]> commands) throws IOException {
        if (config.scope() == KeyScope.ALL) {
            return target.read(db, commands);
        }
        List<byte[][]> renamed = new ArrayList<>(commands.size());
        for (byte[][] c : commands) {
            byte[][] r = c.clone();
            r[1] = config.scope().targetName(c[1]);
            renamed.add(r);
        }
        return target.read(db, renamed);
    }

    long typeOnly() {
        return typeOnly;
    }

    /**
     * Compares {@code keys} of source db {@code db} with target db {@code targetDb}.
     *
     * @return the differences; {@code compared} gets how many keys exist on at least one side
     */
    List<Difference> compare(int db, int targetDb, List<byte[]> keys, long[] compared) throws IOException {
        List<byte[][]> meta = new ArrayList<>(keys.size() * 2);
        for (byte[] k : keys) {
            meta.add(new byte[][] {b("TYPE"), k});
            meta.add(new byte[][] {b(absoluteExpiry ? "PEXPIRETIME" : "PTTL"), k});
        }
        long t0 = System.currentTimeMillis();
        List<RespReply> sm = source.read(db, meta);
        long t1 = System.currentTimeMillis();
        List<RespReply> tm = readTarget(targetDb, meta);
        long t2 = System.currentTimeMillis();
        long tolerance = config.ttlToleranceMs() + (absoluteExpiry ? 0 : t2 - t0);
        KeyState[] s = states(keys, sm, t1);
        KeyState[] t = states(keys, tm, t2);

        List<Difference> out = new ArrayList<>();
        List<Integer> same = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (!s[i].exists() && !t[i].exists()) {
                continue; // gone from both since the scan
            }
            if (s[i].exists() && !config.scope().type(s[i].type())) {
                continue; // a type the migration leaves out
            }
            compared[0]++;
            if (!t[i].exists()) {
                out.add(new Difference(db, keys.get(i), Difference.Kind.MISSING, s[i], t[i]));
            } else if (!s[i].exists()) {
                // Gone from the source since the scan: an extra key, named as the target has it.
                out.add(new Difference(targetDb, config.scope().targetName(keys.get(i)), Difference.Kind.EXTRA, s[i], t[i]));
            } else if (!s[i].type().equals(t[i].type())) {
                out.add(new Difference(db, keys.get(i), Difference.Kind.TYPE, s[i], t[i]));
            } else {
                same.add(i);
            }
        }
        if (same.isEmpty()) {
            return out;
        }
        // Sizes, both sides; a string's first smallBytes + 1 bytes instead (its whole value when
        // shorter: one command per key where STRLEN then GET would be two).
        List<byte[][]> sizes = new ArrayList<>(same.size());
        for (int i : same) {
            sizes.add(s[i].type().equals("string")
                    ? new byte[][] {b("GETRANGE"), keys.get(i), b("0"), b(Integer.toString(config.smallBytes()))}
                    : sizeCommand(s[i].type(), keys.get(i)));
        }
        List<RespReply> ss = source.read(db, sizes);
        List<RespReply> ts = readTarget(targetDb, sizes);
        List<Integer> small = new ArrayList<>();
        List<Integer> big = new ArrayList<>();
        List<Integer> bigStrings = new ArrayList<>();
        boolean[] valueDiffers = new boolean[keys.size()];
        for (int j = 0; j < same.size(); j++) {
            int i = same.get(j);
            if (s[i].type().equals("string")) {
                if (!(ss.get(j) instanceof RespReply.Bulk sb) || !(ts.get(j) instanceof RespReply.Bulk tb)) {
                    valueDiffers[i] = true; // changed type meanwhile: rechecked
                } else if (sb.bytes().length <= config.smallBytes() || tb.bytes().length <= config.smallBytes()) {
                    s[i] = s[i].withSize(sb.bytes().length);
                    t[i] = t[i].withSize(tb.bytes().length);
                    valueDiffers[i] = !java.util.Arrays.equals(sb.bytes(), tb.bytes());
                } else {
                    bigStrings.add(i);
                }
                continue;
            }
            s[i] = s[i].withSize(size(ss.get(j)));
            t[i] = t[i].withSize(size(ts.get(j)));
            if (s[i].size() != t[i].size()) {
                valueDiffers[i] = true;
            } else if (fetchWhole(s[i])) {
                small.add(i);
            } else if (comparable(s[i].type())) {
                big.add(i);
            } else {
                typeOnly++;
            }
        }
        if (!bigStrings.isEmpty()) {
            List<byte[][]> lengths = new ArrayList<>(bigStrings.size());
            for (int i : bigStrings) {
                lengths.add(new byte[][] {b("STRLEN"), keys.get(i)});
            }
            List<RespReply> sl = source.read(db, lengths);
            List<RespReply> tl = readTarget(targetDb, lengths);
            for (int j = 0; j < bigStrings.size(); j++) {
                int i = bigStrings.get(j);
                s[i] = s[i].withSize(size(sl.get(j)));
                t[i] = t[i].withSize(size(tl.get(j)));
                if (s[i].size() != t[i].size()) {
                    valueDiffers[i] = true;
                } else {
                    big.add(i);
                }
            }
        }
        if (!small.isEmpty()) {
            List<byte[][]> fetch = new ArrayList<>(small.size());
            for (int i : small) {
                fetch.add(wholeCommand(s[i].type(), keys.get(i)));
            }
            List<RespReply> sv = source.read(db, fetch);
            List<RespReply> tv = readTarget(targetDb, fetch);
            for (int j = 0; j < small.size(); j++) {
                int i = small.get(j);
                valueDiffers[i] = !sameValue(s[i].type(), sv.get(j), tv.get(j));
            }
        }
        for (int i : big) {
            valueDiffers[i] = !sameBigValue(db, targetDb, s[i], keys.get(i));
        }
        for (int i : same) {
            if (valueDiffers[i]) {
                out.add(new Difference(db, keys.get(i), Difference.Kind.VALUE, s[i], t[i]));
            } else if (!sameExpiry(s[i].expireAtMs(), t[i].expireAtMs(), tolerance)) {
                out.add(new Difference(db, keys.get(i), Difference.Kind.TTL, s[i], t[i]));
            }
        }
        return out;
    }

    /** The target's view of keys (for keys only in the target). */
    KeyState[] targetStates(int targetDb, List<byte[]> keys) throws IOException {
        List<byte[][]> meta = new ArrayList<>(keys.size() * 2);
        for (byte[] k : keys) {
            meta.add(new byte[][] {b("TYPE"), k});
            meta.add(new byte[][] {b(absoluteExpiry ? "PEXPIRETIME" : "PTTL"), k});
        }
        return states(keys, target.read(targetDb, meta), System.currentTimeMillis());
    }

    private KeyState[] states(List<byte[]> keys, List<RespReply> meta, long now) throws IOException {
        KeyState[] out = new KeyState[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            RespReply type = meta.get(2 * i);
            RespReply ttl = meta.get(2 * i + 1);
            if (type instanceof RespReply.Error e) {
                throw new IOException("TYPE " + printable(keys.get(i)) + ": " + e.message());
            }
            if (ttl instanceof RespReply.Error e) {
                throw new IOException((absoluteExpiry ? "PEXPIRETIME " : "PTTL ") + printable(keys.get(i)) + ": " + e.message());
            }
            String t = type.asText();
            if (t.equals("none")) {
                out[i] = KeyState.ABSENT;
                continue;
            }
            long v = ttl.asLong();
            long at = v < 0 ? -1 : absoluteExpiry ? v : now + v;
            out[i] = new KeyState(t, at, -1);
        }
        return out;
    }

    private static boolean sameExpiry(long a, long b, long tolerance) {
        if (a < 0 || b < 0) {
            return a < 0 && b < 0;
        }
        return Math.abs(a - b) <= tolerance;
    }

    private static boolean comparable(String type) {
        return switch (type) {
            case "string", "hash", "set", "zset", "list", "stream", "ReJSON-RL" -> true;
            default -> false;
        };
    }

    private boolean fetchWhole(KeyState k) {
        return switch (k.type()) {
            case "string" -> k.size() <= config.smallBytes();
            case "hash", "set", "zset", "list", "stream" -> k.size() <= config.smallElements();
            case "ReJSON-RL" -> true;
            default -> false;
        };
    }

    private static byte[][] sizeCommand(String type, byte[] key) {
        String cmd = switch (type) {
            case "string" -> "STRLEN";
            case "hash" -> "HLEN";
            case "set" -> "SCARD";
            case "zset" -> "ZCARD";
            case "list" -> "LLEN";
            case "stream" -> "XLEN";
            default -> "EXISTS"; // no size: 1
        };
        return new byte[][] {b(cmd), key};
    }

    private static long size(RespReply r) {
        return r instanceof RespReply.Integer n ? n.value() : -1;
    }

    private static byte[][] wholeCommand(String type, byte[] key) {
        return switch (type) {
            case "string" -> new byte[][] {b("GET"), key};
            case "hash" -> new byte[][] {b("HGETALL"), key};
            case "set" -> new byte[][] {b("SMEMBERS"), key};
            case "zset" -> new byte[][] {b("ZRANGE"), key, b("0"), b("-1"), b("WITHSCORES")};
            case "list" -> new byte[][] {b("LRANGE"), key, b("0"), b("-1")};
            case "stream" -> new byte[][] {b("XRANGE"), key, b("-"), b("+")};
            case "ReJSON-RL" -> new byte[][] {b("JSON.GET"), key};
            default -> throw new IllegalArgumentException("no value read for type " + type);
        };
    }

    private static boolean sameValue(String type, RespReply s, RespReply t) {
        if (s instanceof RespReply.Error || t instanceof RespReply.Error) {
            return false; // e.g. changed type meanwhile: rechecked
        }
        return switch (type) {
            case "hash" -> pairs(s.asArray()).equals(pairs(t.asArray()));
            case "set" -> members(s.asArray()).equals(members(t.asArray()));
            case "zset" -> scores(s.asArray()).equals(scores(t.asArray()));
            default -> equalReplies(s, t);
        };
    }

    /** A key too big to read whole, in chunks of {@code smallElements} (or {@code smallBytes}). */
    private boolean sameBigValue(int db, int targetDb, KeyState k, byte[] key) throws IOException {
        int n = config.smallElements();
        switch (k.type()) {
            case "string": {
                int chunk = config.smallBytes();
                for (long from = 0; from < k.size(); from += chunk) {
                    byte[][] c = {b("GETRANGE"), key, b(Long.toString(from)), b(Long.toString(Math.min(k.size(), from + chunk) - 1))};
                    if (!equalReplies(source.read(db, List.<byte[][]>of(c)).get(0), readTarget(targetDb, List.<byte[][]>of(c)).get(0))) {
                        return false;
                    }
                }
                return true;
            }
            case "list": {
                for (long from = 0; from < k.size(); from += n) {
                    byte[][] c = {b("LRANGE"), key, b(Long.toString(from)), b(Long.toString(from + n - 1))};
                    if (!equalReplies(source.read(db, List.<byte[][]>of(c)).get(0), readTarget(targetDb, List.<byte[][]>of(c)).get(0))) {
                        return false;
                    }
                }
                return true;
            }
            case "stream": {
                String start = "-";
                while (true) {
                    byte[][] c = {b("XRANGE"), key, b(start), b("+"), b("COUNT"), b(Integer.toString(n))};
                    RespReply s = source.read(db, List.<byte[][]>of(c)).get(0);
                    RespReply t = readTarget(targetDb, List.<byte[][]>of(c)).get(0);
                    if (!equalReplies(s, t)) {
                        return false;
                    }
                    List<RespReply> entries = s.asArray();
                    if (entries.size() < n) {
                        return true;
                    }
                    start = nextStreamId(entries.get(entries.size() - 1).asArray().get(0).asText());
                }
            }
            case "hash":
            case "set":
            case "zset":
                return sameByScan(db, targetDb, k.type(), key);
            default:
                return true;
        }
    }

    /** Every element the source's {@code *SCAN} returns is equal in the target (sizes already equal). */
    private boolean sameByScan(int db, int targetDb, String type, byte[] key) throws IOException {
        String scan = switch (type) {
            case "hash" -> "HSCAN";
            case "set" -> "SSCAN";
            default -> "ZSCAN";
        };
        String cursor = "0";
        do {
            RespReply r = source.read(db, List.<byte[][]>of(new byte[][] {b(scan), key, b(cursor), b("COUNT"),
                b(Integer.toString(config.smallElements()))})).get(0);
            if (r instanceof RespReply.Error) {
                return false;
            }
            List<RespReply> page = r.asArray();
            cursor = page.get(0).asText();
            List<RespReply> items = page.get(1).asArray();
            if (items.isEmpty()) {
                continue;
            }
            boolean pairs = !type.equals("set");
            List<byte[]> args = new ArrayList<>();
            args.add(b(switch (type) {
                case "hash" -> "HMGET";
                case "set" -> "SMISMEMBER";
                default -> "ZMSCORE";
            }));
            args.add(key);
            for (int i = 0; i < items.size(); i += pairs ? 2 : 1) {
                args.add(((RespReply.Bulk) items.get(i)).bytes());
            }
            RespReply t = readTarget(targetDb, List.<byte[][]>of(args.toArray(new byte[0][]))).get(0);
            if (t instanceof RespReply.Error) {
                return false;
            }
            List<RespReply> got = t.asArray();
            for (int i = 0, j = 0; i < items.size(); i += pairs ? 2 : 1, j++) {
                RespReply g = got.get(j);
                boolean equal = switch (type) {
                    case "hash" -> g instanceof RespReply.Bulk gb && java.util.Arrays.equals(gb.bytes(), ((RespReply.Bulk) items.get(i + 1)).bytes());
                    case "set" -> g instanceof RespReply.Integer gi && gi.value() == 1;
                    default -> g instanceof RespReply.Bulk gb && score(gb) == score((RespReply.Bulk) items.get(i + 1));
                };
                if (!equal) {
                    return false;
                }
            }
        } while (!cursor.equals("0"));
        return true;
    }

    /** The smallest stream id after {@code id} ({@code ms-seq}). */
    static String nextStreamId(String id) {
        int dash = id.indexOf('-');
        long ms = Long.parseUnsignedLong(id.substring(0, dash));
        long seq = Long.parseUnsignedLong(id.substring(dash + 1));
        return seq == -1L ? Long.toUnsignedString(ms + 1) + "-0" : Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq + 1);
    }

    private static Map<ByteBuffer, ByteBuffer> pairs(List<RespReply> flat) {
        Map<ByteBuffer, ByteBuffer> m = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            m.put(buf(flat.get(i)), buf(flat.get(i + 1)));
        }
        return m;
    }

    private static Set<ByteBuffer> members(List<RespReply> flat) {
        Set<ByteBuffer> s = new HashSet<>();
        for (RespReply r : flat) {
            s.add(buf(r));
        }
        return s;
    }

    private static Map<ByteBuffer, Double> scores(List<RespReply> flat) {
        Map<ByteBuffer, Double> m = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            m.put(buf(flat.get(i)), score((RespReply.Bulk) flat.get(i + 1)));
        }
        return m;
    }

    /** A score as both servers print it ({@code inf}, {@code -inf}, or a decimal). */
    static double score(RespReply.Bulk b) {
        String s = b.text();
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static ByteBuffer buf(RespReply r) {
        return ByteBuffer.wrap(((RespReply.Bulk) r).bytes());
    }

    /** Structural equality of two replies, bulk strings byte for byte. */
    static boolean equalReplies(RespReply a, RespReply b) {
        if (a instanceof RespReply.Bulk x && b instanceof RespReply.Bulk y) {
            return java.util.Arrays.equals(x.bytes(), y.bytes());
        }
        if (a instanceof RespReply.Array x && b instanceof RespReply.Array y) {
            if (x.elements().size() != y.elements().size()) {
                return false;
            }
            for (int i = 0; i < x.elements().size(); i++) {
                if (!equalReplies(x.elements().get(i), y.elements().get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b) && !(a instanceof RespReply.Error);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String printable(byte[] key) {
        return VerifyReport.printable(key);
    }
}
