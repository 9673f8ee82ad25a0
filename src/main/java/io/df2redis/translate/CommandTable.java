package io.df2redis.translate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the keys of a journaled write command are, and whether a command whose keys fall into
 * several Redis slots can be split per slot without changing its meaning. Built from Redis 7.0's
 * {@code COMMAND} output (first key, last key, step of every write command) plus the Dragonfly-only
 * commands. Names are matched case-insensitively.
 */
public final class CommandTable {

    /** How a command's keys are laid out. */
    public enum Shape {
        /** No key (SCRIPT LOAD, FLUSHALL …). */
        NONE,
        /** One key at {@link Spec#first()}. */
        SINGLE,
        /** Every argument from {@code first} on is a key; splits per slot (DEL, UNLINK). */
        KEYS,
        /** Key/value pairs from {@code first} on; splits per slot (MSET; MSETNX as journaled). */
        PAIRS,
        /** Key/path/value triples; splits per slot (JSON.MSET). */
        TRIPLES,
        /** RENAME / RENAMENX / COPY: source at 1, destination at 2; cross-slot needs staging. */
        MOVE,
        /** Several keys whose command cannot be split (SINTERSTORE, SMOVE, …): one slot or nothing. */
        FIXED,
        /** Keys counted by an argument (ZUNIONSTORE dst n k…, LMPOP n k…): one slot or nothing. */
        COUNTED
    }

    /**
     * @param first position of the first key (0 = the name)
     * @param last position of the last key; negative counts from the end (-1 = last argument)
     * @param step distance between keys
     * @param family the Dragonfly family governing the command, {@code null} for plain Redis commands
     */
    public record Spec(String name, Shape shape, int first, int last, int step, DfFamily family) {}

    private static final Map<String, Spec> TABLE = new HashMap<>();

    // name first last step (Redis 7.0 COMMAND, write commands; "subcommand" entries use their key pos)
    private static final String REDIS_WRITES = String.join("\n",
            "append 1 1 1", "bitfield 1 1 1", "bitop 2 -1 1", "blmove 1 2 1", "blpop 1 -2 1", "brpop 1 -2 1",
            "brpoplpush 1 2 1", "bzpopmax 1 -2 1", "bzpopmin 1 -2 1", "decr 1 1 1", "decrby 1 1 1",
            "expire 1 1 1", "expireat 1 1 1", "geoadd 1 1 1", "geosearchstore 1 2 1", "getdel 1 1 1",
            "getex 1 1 1", "getset 1 1 1", "hdel 1 1 1", "hincrby 1 1 1", "hincrbyfloat 1 1 1", "hmset 1 1 1",
            "hset 1 1 1", "hsetnx 1 1 1", "incr 1 1 1", "incrby 1 1 1", "incrbyfloat 1 1 1", "linsert 1 1 1",
            "lmove 1 2 1", "lpop 1 1 1", "lpush 1 1 1", "lpushx 1 1 1", "lrem 1 1 1", "lset 1 1 1",
            "ltrim 1 1 1", "move 1 1 1", "persist 1 1 1", "pexpire 1 1 1", "pexpireat 1 1 1", "pfadd 1 1 1",
            "pfmerge 1 -1 1", "psetex 1 1 1", "restore 1 1 1", "rpop 1 1 1", "rpoplpush 1 2 1", "rpush 1 1 1",
            "rpushx 1 1 1", "sadd 1 1 1", "sdiffstore 1 -1 1", "set 1 1 1", "setbit 1 1 1", "setex 1 1 1",
            "setnx 1 1 1", "setrange 1 1 1", "sinterstore 1 -1 1", "smove 1 2 1", "spop 1 1 1", "srem 1 1 1",
            "sunionstore 1 -1 1", "xack 1 1 1", "xadd 1 1 1", "xautoclaim 1 1 1", "xclaim 1 1 1", "xdel 1 1 1",
            "xgroup 2 2 1", "xsetid 1 1 1", "xtrim 1 1 1", "zadd 1 1 1", "zincrby 1 1 1", "zpopmax 1 1 1",
            "zpopmin 1 1 1", "zrangestore 1 2 1", "zrem 1 1 1", "zremrangebylex 1 1 1", "zremrangebyrank 1 1 1",
            "zremrangebyscore 1 1 1", "sort 1 1 1", "georadius 1 1 1", "georadiusbymember 1 1 1",
            // Redis 7.4 hash-field TTL commands: key at 1
            "hexpire 1 1 1", "hpexpire 1 1 1", "hexpireat 1 1 1", "hpexpireat 1 1 1", "hpersist 1 1 1",
            "hgetdel 1 1 1", "hgetex 1 1 1");

    static {
        for (String line : REDIS_WRITES.split("\n")) {
            String[] p = line.split(" ");
            int first = Integer.parseInt(p[1]);
            int last = Integer.parseInt(p[2]);
            int step = Integer.parseInt(p[3]);
            Shape shape = first == last ? Shape.SINGLE : Shape.FIXED;
            put(new Spec(p[0], shape, first, last, step, null));
        }
        put(new Spec("del", Shape.KEYS, 1, -1, 1, null));
        put(new Spec("unlink", Shape.KEYS, 1, -1, 1, null));
        put(new Spec("mset", Shape.PAIRS, 1, -1, 2, null));
        put(new Spec("msetnx", Shape.PAIRS, 1, -1, 2, null));
        put(new Spec("rename", Shape.MOVE, 1, 2, 1, null));
        put(new Spec("renamenx", Shape.MOVE, 1, 2, 1, null));
        put(new Spec("copy", Shape.MOVE, 1, 2, 1, null));
        for (String n : new String[] {"zunionstore", "zinterstore", "zdiffstore"}) {
            put(new Spec(n, Shape.COUNTED, 1, 2, 1, null)); // dst, numkeys at 2
        }
        for (String n : new String[] {"lmpop", "zmpop", "sintercard"}) {
            put(new Spec(n, Shape.COUNTED, 0, 1, 1, null)); // numkeys at 1
        }
        for (String n : new String[] {"blmpop", "bzmpop"}) {
            put(new Spec(n, Shape.COUNTED, 0, 2, 1, null)); // timeout, numkeys at 2
        }
        // keyless commands that reach the journal (FLUSH* as global commands); anything else keyless
        // that changes data (SWAPDB, FUNCTION …; Dragonfly journals neither) stays unknown
        for (String n : new String[] {"flushall", "flushdb", "script", "ping", "select", "dflycluster", "dfly"}) {
            put(new Spec(n, Shape.NONE, 0, 0, 0, null));
        }
        // Dragonfly-only commands
        put(new Spec("stick", Shape.KEYS, 1, -1, 1, null));
        put(new Spec("saddex", Shape.SINGLE, 1, 1, 1, DfFamily.SET_MEMBER_TTL));
        put(new Spec("hsetex", Shape.SINGLE, 1, 1, 1, DfFamily.HASH_FIELD_TTL));
        put(new Spec("fieldexpire", Shape.SINGLE, 1, 1, 1, DfFamily.HASH_FIELD_TTL));
        for (String n : new String[] {"hexpire", "hpexpire", "hexpireat", "hpexpireat", "hpersist", "hgetex"}) {
            put(new Spec(n, Shape.SINGLE, 1, 1, 1, DfFamily.HASH_FIELD_TTL));
        }
        put(new Spec("json.mset", Shape.TRIPLES, 1, -1, 3, DfFamily.JSON));
        put(new Spec("json.merge", Shape.SINGLE, 1, 1, 1, DfFamily.JSON));
        put(new Spec("cl.throttle", Shape.SINGLE, 1, 1, 1, DfFamily.OTHER));
        put(new Spec("cms.merge", Shape.COUNTED, 1, 2, 1, DfFamily.CMS)); // dest numkeys src…
        put(new Spec("topk.reserve", Shape.SINGLE, 1, 1, 1, DfFamily.TOPK));
    }

    private static void put(Spec s) {
        TABLE.put(s.name(), s);
    }

    private CommandTable() {}

    /** The spec of a command name, or {@code null} when the command is unknown. */
    public static Spec spec(byte[] name) {
        String n = new String(name, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        Spec s = TABLE.get(n);
        if (s != null) {
            return s;
        }
        DfFamily f = familyByPrefix(n);
        if (f != null) {
            // Module-style commands of Dragonfly's families: the key comes first (FT.* have none).
            return new Spec(n, f == DfFamily.SEARCH ? Shape.NONE : Shape.SINGLE, 1, 1, 1, f);
        }
        return null;
    }

    static DfFamily familyByPrefix(String lower) {
        if (lower.startsWith("json.")) {
            return DfFamily.JSON;
        }
        if (lower.startsWith("bf.")) {
            return DfFamily.BLOOM;
        }
        if (lower.startsWith("cf.")) {
            return DfFamily.CUCKOO;
        }
        if (lower.startsWith("cms.")) {
            return DfFamily.CMS;
        }
        if (lower.startsWith("topk.")) {
            return DfFamily.TOPK;
        }
        if (lower.startsWith("ft.")) {
            return DfFamily.SEARCH;
        }
        return null;
    }

    /**
     * What a command that never reaches the target is counted as (STICK, SCRIPT, PING, SELECT,
     * DFLY, DFLYCLUSTER other than the global FLUSHSLOTS), or {@code null} for any other command.
     */
    public static Outcome dropped(String upperName) {
        switch (upperName) {
            case "STICK":
                return Outcome.STICK_DROPPED;
            case "SCRIPT":
                return Outcome.SCRIPT_SKIPPED;
            case "PING":
            case "SELECT":
            case "DFLY":
            case "DFLYCLUSTER":
                return Outcome.SERVER_COMMAND_SKIPPED;
            default:
                return null;
        }
    }

    /**
     * Positions of every key of {@code args} under {@code spec}; empty for {@link Shape#NONE}. A
     * malformed command (too few arguments, a bad key count) gives an empty list for SINGLE-less
     * shapes and is reported by the caller.
     */
    public static List<Integer> keyPositions(Spec spec, List<byte[]> args) {
        List<Integer> out = new ArrayList<>();
        int n = args.size();
        switch (spec.shape()) {
            case NONE:
                return out;
            case SINGLE:
                if (spec.first() < n) {
                    out.add(spec.first());
                }
                if (spec.name().equals("sort") || spec.name().startsWith("georadius")) {
                    // SORT … STORE dst, GEORADIUS … STORE|STOREDIST dst: the destination is a key too
                    for (int i = 2; i + 1 < n; i++) {
                        String a = new String(args.get(i), StandardCharsets.US_ASCII);
                        if (a.equalsIgnoreCase("STORE") || a.equalsIgnoreCase("STOREDIST")) {
                            out.add(i + 1);
                        }
                    }
                }
                return out;
            case COUNTED: {
                int countAt = spec.last();
                if (countAt >= n) {
                    return out;
                }
                if (spec.first() > 0) {
                    out.add(spec.first());
                }
                long count = parseCount(args.get(countAt));
                for (long i = 0; i < count && countAt + 1 + i < n; i++) {
                    out.add((int) (countAt + 1 + i));
                }
                return out;
            }
            default: {
                int last = spec.last() < 0 ? n + spec.last() : Math.min(spec.last(), n - 1);
                for (int i = spec.first(); i <= last; i += spec.step()) {
                    out.add(i);
                }
                return out;
            }
        }
    }

    private static long parseCount(byte[] b) {
        try {
            return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
