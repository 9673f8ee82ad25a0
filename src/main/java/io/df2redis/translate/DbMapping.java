package io.df2redis.translate;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Source database → target database. Either the identity (the standalone default: every source db
 * goes to the same number) or an explicit table whose entries name a target db or {@link #IGNORED}.
 * A cluster target only has db 0, so there every source db other than 0 must be mapped to 0 or
 * ignored explicitly. Two source dbs never share a target db silently: an explicit table that
 * would merge them is rejected unless {@code allowMerge} is set.
 */
public final class DbMapping {
    /** Marks a source db whose records are dropped (and counted) on purpose. */
    public static final int IGNORED = -1;

    private final TreeMap<Integer, Integer> table;
    private final boolean identity;
    private final boolean allowMerge;

    private DbMapping(Map<Integer, Integer> table, boolean identity, boolean allowMerge) {
        this.table = new TreeMap<>(table);
        this.identity = identity;
        this.allowMerge = allowMerge;
        for (Map.Entry<Integer, Integer> e : this.table.entrySet()) {
            if (e.getKey() < 0) {
                throw new IllegalArgumentException("db mapping: source db " + e.getKey() + " is negative");
            }
            if (e.getValue() < IGNORED) {
                throw new IllegalArgumentException("db mapping: target db " + e.getValue() + " is negative");
            }
        }
        if (!allowMerge) {
            Map<Integer, Integer> firstSource = new TreeMap<>();
            for (Map.Entry<Integer, Integer> e : this.table.entrySet()) {
                if (e.getValue() == IGNORED) {
                    continue;
                }
                Integer other = firstSource.putIfAbsent(e.getValue(), e.getKey());
                if (other != null) {
                    throw new IllegalArgumentException("db mapping: source dbs " + other + " and " + e.getKey()
                            + " both map to target db " + e.getValue()
                            + "; their keys would merge. Set allow-merge to accept that");
                }
            }
        }
    }

    /** Every source db to the db of the same number (db 0 only on a cluster). */
    public static DbMapping identity() {
        return new DbMapping(Map.of(), true, false);
    }

    /** An explicit table: source db → target db or {@link #IGNORED}; other source dbs are errors. */
    public static DbMapping of(Map<Integer, Integer> table, boolean allowMerge) {
        return new DbMapping(table, false, allowMerge);
    }

    /**
     * Parses {@code "0:0, 1:3, 5:ignore"} (or {@code "identity"}).
     */
    public static DbMapping parse(String spec, boolean allowMerge) {
        String s = spec.trim();
        if (s.isEmpty() || s.equalsIgnoreCase("identity")) {
            return identity();
        }
        Map<Integer, Integer> t = new TreeMap<>();
        for (String part : s.split(",")) {
            String[] kv = part.trim().split(":");
            if (kv.length != 2) {
                throw new IllegalArgumentException("db mapping: '" + part.trim() + "' is not source:target");
            }
            int src = Integer.parseInt(kv[0].trim());
            String dst = kv[1].trim();
            t.put(src, dst.equalsIgnoreCase("ignore") ? IGNORED : Integer.parseInt(dst));
        }
        return of(t, allowMerge);
    }

    /** Rejects a mapping the target cannot hold (a db other than 0 on a cluster). */
    public void validate(TargetProfile target) {
        if (!target.cluster()) {
            return;
        }
        for (Map.Entry<Integer, Integer> e : table.entrySet()) {
            if (e.getValue() != IGNORED && e.getValue() != 0) {
                throw new IllegalArgumentException("db mapping: source db " + e.getKey() + " maps to db "
                        + e.getValue() + " but a cluster target only has db 0");
            }
        }
    }

    public boolean ignored(int sourceDb) {
        Integer t = table.get(sourceDb);
        return t != null && t == IGNORED;
    }

    /**
     * The target db of a source db on this target, {@link #IGNORED}, or an {@link
     * UnmappedDatabaseException} naming the key that needed it.
     */
    public int target(int sourceDb, boolean cluster, byte[] key) {
        Integer t = table.get(sourceDb);
        if (t != null) {
            return t;
        }
        if (identity && (!cluster || sourceDb == 0)) {
            return sourceDb;
        }
        throw new UnmappedDatabaseException(sourceDb, key);
    }

    /** Whether some other source db also writes into {@code targetDb}. */
    public boolean shared(int sourceDb, int targetDb) {
        if (identity && table.isEmpty()) {
            return false;
        }
        for (Map.Entry<Integer, Integer> e : table.entrySet()) {
            if (e.getKey() != sourceDb && e.getValue() == targetDb) {
                return true;
            }
        }
        return false;
    }

    public boolean isIdentity() {
        return identity && table.isEmpty();
    }

    /** Target dbs of every mapped source db (empty for the identity: "all"). */
    public Set<Integer> targets() {
        Set<Integer> s = new TreeSet<>();
        for (int v : table.values()) {
            if (v != IGNORED) {
                s.add(v);
            }
        }
        return s;
    }

    public boolean allowMerge() {
        return allowMerge;
    }

    @Override
    public String toString() {
        if (isIdentity()) {
            return "identity";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Integer, Integer> e : table.entrySet()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append(':').append(e.getValue() == IGNORED ? "ignore" : e.getValue());
        }
        return (identity ? "identity + " : "") + sb + (allowMerge ? " (merge allowed)" : "");
    }
}
