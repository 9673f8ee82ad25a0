package io.df2redis.testing.recordings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares datasets by the recordings' rules: keys, types and values exactly (sets and hashes in
 * canonical order, zset scores as doubles), expiry on the absolute {@code expire_at_ms} within a
 * tolerance, member TTLs within a tolerance in seconds, never {@code pttl}.
 */
public final class Datasets {
    private Datasets() {}

    /** A key's identity across dumps. */
    public record DbKey(int db, Bytes key) implements Comparable<DbKey> {
        @Override
        public int compareTo(DbKey o) {
            int c = Integer.compare(db, o.db);
            return c != 0 ? c : key.compareTo(o.key);
        }

        @Override
        public String toString() {
            return db + ":" + key;
        }
    }

    /**
     * Drops the rows whose expiry is at or before {@code nowMs}: the recorded expiries are absolute
     * and mostly in the past by the time tests run, so tests inject "now" (e.g. meta.json
     * {@code started_at_unix_ms}) and drop expired keys from both sides.
     */
    public static List<DatasetRow> dropExpired(List<DatasetRow> rows, long nowMs) {
        return rows.stream().filter(r -> r.expireAtMs() == null || r.expireAtMs() > nowMs).toList();
    }

    public static Map<DbKey, DatasetRow> byKey(List<DatasetRow> rows) {
        Map<DbKey, DatasetRow> m = new TreeMap<>();
        for (DatasetRow r : rows) {
            if (m.put(new DbKey(r.db(), r.key()), r) != null) {
                throw new IllegalArgumentException("duplicate key " + r.db() + ":" + r.key());
            }
        }
        return m;
    }

    /**
     * The differences between two datasets, one readable line per key; empty when they are equal
     * under the rules above.
     */
    public static List<String> diff(
            List<DatasetRow> expected, List<DatasetRow> actual, long expiryToleranceMs, long memberTtlToleranceS) {
        Map<DbKey, DatasetRow> e = byKey(expected);
        Map<DbKey, DatasetRow> a = byKey(actual);
        List<String> out = new ArrayList<>();
        for (Map.Entry<DbKey, DatasetRow> x : e.entrySet()) {
            DatasetRow act = a.get(x.getKey());
            if (act == null) {
                out.add("missing " + x.getKey() + " (" + x.getValue().type() + ")");
                continue;
            }
            DatasetRow exp = x.getValue();
            if (!exp.type().equals(act.type())) {
                out.add(x.getKey() + ": type " + act.type() + ", expected " + exp.type());
            } else if (!exp.value().equals(act.value())) {
                out.add(x.getKey() + ": value differs: expected " + brief(exp.value()) + " got " + brief(act.value()));
            }
            if (!expiryMatches(exp.expireAtMs(), act.expireAtMs(), expiryToleranceMs)) {
                out.add(x.getKey() + ": expire_at_ms " + act.expireAtMs() + ", expected " + exp.expireAtMs());
            }
            if (!memberTtlsMatch(exp.memberExpireAtS(), act.memberExpireAtS(), memberTtlToleranceS)) {
                out.add(x.getKey() + ": member TTLs " + act.memberExpireAtS() + ", expected " + exp.memberExpireAtS());
            }
        }
        for (DbKey k : a.keySet()) {
            if (!e.containsKey(k)) {
                out.add("unexpected " + k + " (" + a.get(k).type() + ")");
            }
        }
        return out;
    }

    private static boolean expiryMatches(Long e, Long a, long tol) {
        if (e == null || a == null) {
            return e == null && a == null;
        }
        return Math.abs(e - a) <= tol;
    }

    private static boolean memberTtlsMatch(Map<Bytes, Long> e, Map<Bytes, Long> a, long tol) {
        if (e == null || a == null) {
            return (e == null || e.isEmpty()) && (a == null || a.isEmpty());
        }
        if (!e.keySet().equals(a.keySet())) {
            return false;
        }
        for (Map.Entry<Bytes, Long> x : e.entrySet()) {
            if (Math.abs(x.getValue() - a.get(x.getKey())) > tol) {
                return false;
            }
        }
        return true;
    }

    private static String brief(DatasetValue v) {
        String s = String.valueOf(v);
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
