package io.df2redis.translate;

import io.df2redis.dragonfly.rdb.RdbType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the job copies and under which names ({@code filter.*}, {@code map.key-prefix}), applied
 * alike to the snapshot and the journal, before the shuffle:
 *
 * <ul>
 *   <li>{@code filter.keys.include} / {@code filter.keys.exclude}: {@link KeyPattern}s; a key is
 *       copied when it matches an include pattern (or none is given) and no exclude pattern;
 *   <li>{@code filter.dbs}: the source dbs copied (default: all);
 *   <li>{@code filter.types}: the types copied ({@code string, list, set, zset, hash, stream, json,
 *       bloom, cuckoo, cms, topk, module}); a journal command counts as of a type when its name says
 *       so (HSET: hash); generic ones (DEL, EXPIRE, RENAME…) pass;
 *   <li>{@code filter.commands}: journal commands dropped by name (e.g. {@code PUBLISH, XADD});
 *   <li>{@code map.key-prefix}: {@code old:new} pairs; a key starting with {@code old} is written
 *       as {@code new} + the rest (the first pair that matches). Prefixes ending in a colon are
 *       written as they are: {@code user::u:} maps {@code user:} to {@code u:} (the separator is
 *       the second colon of the first {@code ::}). Filters see the source's names.
 * </ul>
 *
 * The patterns see source key names; mapping happens after filtering.
 */
public final class FilterConfig {
    public static final FilterConfig NONE = new FilterConfig(List.of(), List.of(), null, null, Set.of(), List.of());

    private final List<KeyPattern> include;
    private final List<KeyPattern> exclude;
    private final Set<Integer> dbs;
    private final Set<String> types;
    private final Set<String> commands;
    private final List<byte[][]> prefixes;

    /**
     * @param dbs null: every db
     * @param types null: every type (lower-case names as {@link #typeName} gives)
     * @param commands upper-case names
     * @param prefixes pairs (old, new)
     */
    public FilterConfig(List<KeyPattern> include, List<KeyPattern> exclude, Set<Integer> dbs, Set<String> types,
            Set<String> commands, List<byte[][]> prefixes) {
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.dbs = dbs == null ? null : Set.copyOf(dbs);
        this.types = types == null ? null : Set.copyOf(types);
        this.commands = Set.copyOf(commands);
        this.prefixes = List.copyOf(prefixes);
    }

    /** The type names {@code filter.types} takes. */
    public static final Set<String> TYPE_NAMES = typeNames();

    private static Set<String> typeNames() {
        Set<String> s = new TreeSet<>();
        for (RdbType.Kind k : RdbType.Kind.values()) {
            s.add(k.name().toLowerCase(Locale.ROOT));
        }
        return s;
    }

    public static String typeName(RdbType type) {
        return type.kind().name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the settings' values (null or blank: not set). Lists are comma-separated.
     *
     * @throws IllegalArgumentException naming the setting and what is wrong
     */
    public static FilterConfig parse(String include, String exclude, String dbs, String types, String commands,
            String keyPrefixMap) {
        List<KeyPattern> in = patterns("filter.keys.include", include);
        List<KeyPattern> ex = patterns("filter.keys.exclude", exclude);
        Set<Integer> d = null;
        if (set(dbs)) {
            d = new TreeSet<>();
            for (String p : items(dbs)) {
                try {
                    int db = Integer.parseInt(p);
                    if (db < 0) {
                        throw new NumberFormatException();
                    }
                    d.add(db);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("filter.dbs: '" + p + "' is not a db number");
                }
            }
        }
        Set<String> t = null;
        if (set(types)) {
            t = new TreeSet<>();
            for (String p : items(types)) {
                String n = p.toLowerCase(Locale.ROOT);
                if (!TYPE_NAMES.contains(n)) {
                    throw new IllegalArgumentException("filter.types: '" + p + "' is not a type; one of " + String.join(", ", TYPE_NAMES));
                }
                t.add(n);
            }
        }
        Set<String> c = new TreeSet<>();
        if (set(commands)) {
            for (String p : items(commands)) {
                c.add(p.toUpperCase(Locale.ROOT));
            }
        }
        List<byte[][]> m = new ArrayList<>();
        if (set(keyPrefixMap)) {
            for (String p : items(keyPrefixMap)) {
                // old:new; prefixes usually end in ':' themselves, so "user::u:" maps "user:" to "u:"
                // (the separator is the second colon of the first "::").
                int pair = p.indexOf("::");
                int colon = pair > 0 ? pair + 1 : p.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("map.key-prefix: '" + p + "' is not old:new (old must not be empty)");
                }
                m.add(new byte[][] {p.substring(0, colon).getBytes(StandardCharsets.UTF_8),
                    p.substring(colon + 1).getBytes(StandardCharsets.UTF_8)});
            }
        }
        return new FilterConfig(in, ex, d, t, c, m);
    }

    private static boolean set(String v) {
        return v != null && !v.isBlank();
    }

    private static List<String> items(String v) {
        List<String> out = new ArrayList<>();
        for (String p : v.split(",")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        return out;
    }

    private static List<KeyPattern> patterns(String setting, String v) {
        List<KeyPattern> out = new ArrayList<>();
        if (set(v)) {
            for (String p : items(v)) {
                try {
                    out.add(KeyPattern.parse(p));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(setting + ": " + e.getMessage());
                }
            }
        }
        return out;
    }

    /** Whether nothing is filtered or renamed. */
    public boolean isNone() {
        return include.isEmpty() && exclude.isEmpty() && dbs == null && types == null && commands.isEmpty() && prefixes.isEmpty();
    }

    public boolean keyIncluded(byte[] key) {
        if (!include.isEmpty()) {
            boolean any = false;
            for (KeyPattern p : include) {
                if (p.matches(key)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        for (KeyPattern p : exclude) {
            if (p.matches(key)) {
                return false;
            }
        }
        return true;
    }

    /** Whether only some keys of a db are the job's (key patterns or renaming): a flush must not take the others. */
    public boolean selectsKeys() {
        return !include.isEmpty() || !exclude.isEmpty() || mapsKeys();
    }

    /** Whether the target key {@code targetKey} is one the job writes (its source name is included). */
    public boolean ownsTargetKey(byte[] targetKey) {
        byte[] source = unmapKey(targetKey);
        return source != null && keyIncluded(source);
    }

    /** Whether {@code filter.dbs} names the dbs copied. */
    public boolean dbsSelected() {
        return dbs != null;
    }

    /** The dbs {@code filter.dbs} names (empty when not set: every db). */
    public Set<Integer> dbs() {
        return dbs == null ? Set.of() : dbs;
    }

    public boolean dbIncluded(int db) {
        return dbs == null || dbs.contains(db);
    }

    public boolean typeIncluded(String typeName) {
        return types == null || typeName == null || types.contains(typeName);
    }

    public boolean commandDropped(String upperName) {
        return commands.contains(upperName);
    }

    public boolean mapsKeys() {
        return !prefixes.isEmpty();
    }

    /** The key's name in the target ({@code key} itself when no prefix matches). */
    public byte[] mapKey(byte[] key) {
        for (byte[][] p : prefixes) {
            if (startsWith(key, p[0])) {
                byte[] out = new byte[p[1].length + key.length - p[0].length];
                System.arraycopy(p[1], 0, out, 0, p[1].length);
                System.arraycopy(key, p[0].length, out, p[1].length, key.length - p[0].length);
                return out;
            }
        }
        return key;
    }

    /**
     * The source name of a target key ({@code mapKey} backwards), or null when no source key maps
     * to it (e.g. it starts with an old prefix that every source key would have left).
     */
    public byte[] unmapKey(byte[] target) {
        for (byte[][] p : prefixes) {
            if (startsWith(target, p[1])) {
                byte[] source = new byte[p[0].length + target.length - p[1].length];
                System.arraycopy(p[0], 0, source, 0, p[0].length);
                System.arraycopy(target, p[1].length, source, p[0].length, target.length - p[1].length);
                if (Arrays.equals(mapKey(source), target)) {
                    return source;
                }
            }
        }
        return Arrays.equals(mapKey(target), target) ? target : null;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The type a journal command writes, by its name, or null for generic commands (DEL, EXPIRE,
     * RENAME…) and those not known.
     */
    public static String commandType(String upperName) {
        if (upperName.startsWith("JSON.")) {
            return "json";
        }
        if (upperName.startsWith("BF.")) {
            return "bloom";
        }
        if (upperName.startsWith("CF.")) {
            return "cuckoo";
        }
        if (upperName.startsWith("CMS.")) {
            return "cms";
        }
        if (upperName.startsWith("TOPK.")) {
            return "topk";
        }
        return switch (upperName) {
            case "SET", "SETEX", "PSETEX", "SETNX", "SETRANGE", "APPEND", "INCR", "INCRBY", "INCRBYFLOAT", "DECR", "DECRBY",
                    "GETSET", "GETDEL", "GETEX", "MSET", "MSETNX", "PFADD", "PFMERGE", "SETBIT", "BITOP", "BITFIELD" -> "string";
            case "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LPOP", "RPOP", "LSET", "LREM", "LTRIM", "LINSERT", "LMOVE", "RPOPLPUSH",
                    "BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "LMPOP" -> "list";
            case "SADD", "SREM", "SPOP", "SMOVE", "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE", "SADDEX" -> "set";
            case "HSET", "HSETNX", "HMSET", "HDEL", "HINCRBY", "HINCRBYFLOAT", "HSETEX", "HEXPIRE", "HPEXPIRE", "HPERSIST",
                    "FIELDEXPIRE" -> "hash";
            case "ZADD", "ZREM", "ZINCRBY", "ZPOPMIN", "ZPOPMAX", "ZREMRANGEBYSCORE", "ZREMRANGEBYRANK", "ZREMRANGEBYLEX",
                    "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE", "ZRANGESTORE", "ZMPOP", "BZPOPMIN", "BZPOPMAX" -> "zset";
            case "XADD", "XDEL", "XTRIM", "XSETID", "XGROUP", "XACK", "XCLAIM", "XAUTOCLAIM" -> "stream";
            default -> null;
        };
    }

    @Override
    public String toString() {
        return isNone() ? "none" : "include " + include + ", exclude " + exclude + ", dbs " + (dbs == null ? "all" : dbs)
                + ", types " + (types == null ? "all" : types) + ", dropped commands " + commands + ", " + prefixes.size()
                + " key prefix mappings";
    }
}
