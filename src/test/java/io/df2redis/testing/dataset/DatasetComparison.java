package io.df2redis.testing.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;

/**
 * Compares an expected dataset (a recording's dataset file) with an actual one (a dump of the
 * target) under the comparison rules of the recordings' README:
 *
 * <ul>
 *   <li>keys, types and values exactly; sets and hashes in canonical (sorted) order; zset scores
 *       as doubles ({@code inf}/{@code -inf} included) since Redis and Dragonfly print some
 *       differently; JSON documents as parsed trees; stream groups in name order;
 *   <li>expiry on the absolute {@code expire_at_ms}, within a tolerance;
 *   <li>keys whose expiry is before the test's "now" (plus a margin) are dropped from both sides:
 *       the recorded times are absolute and in the past by the time tests run;
 *   <li>field/member TTLs ({@code member_expire_at_s}) within ±2 s, only when the target can hold
 *       them; otherwise ignored (and listed by the test as such);
 *   <li>an explicit set of skipped types: expected keys of those types (Dragonfly-only types the
 *       target cannot hold) are left out and must not exist on the target;
 *   <li>an optional source-db → target-db mapping applied to the expected side (a cluster has db 0).
 * </ul>
 */
public final class DatasetComparison {
    private long nowMs = System.currentTimeMillis();
    private long expiredMarginMs = 60_000;
    private long expiryToleranceMs = 1_000;
    private boolean compareMemberTtls = false;
    private long memberTtlToleranceS = 2;
    private final Set<String> skippedTypes = new LinkedHashSet<>();
    private IntUnaryOperator dbMapping = IntUnaryOperator.identity();
    private byte[] ignoredPrefix;
    private java.util.function.Predicate<DatasetRow> ignored = r -> false;
    private int lastCompared;

    public static DatasetComparison rules() {
        return new DatasetComparison();
    }

    /** The test's "now": keys expiring before now + margin are dropped from both sides. */
    public DatasetComparison now(long ms, long marginMs) {
        this.nowMs = ms;
        this.expiredMarginMs = marginMs;
        return this;
    }

    public DatasetComparison expiryTolerance(long ms) {
        this.expiryToleranceMs = ms;
        return this;
    }

    /** Compare {@code member_expire_at_s} (targets with field TTLs); off by default. */
    public DatasetComparison compareMemberTtls(boolean on) {
        this.compareMemberTtls = on;
        return this;
    }

    /** Expected keys of these TYPE names are left out (and must be absent on the target). */
    public DatasetComparison skipTypes(String... types) {
        skippedTypes.addAll(Arrays.asList(types));
        return this;
    }

    public Set<String> skippedTypes() {
        return Set.copyOf(skippedTypes);
    }

    /** Maps expected rows' dbs (source) to the target's; rows mapped to a negative db are dropped. */
    public DatasetComparison mapDbs(IntUnaryOperator mapping) {
        this.dbMapping = mapping;
        return this;
    }

    /** Actual keys starting with this prefix (the tool's own bookkeeping keys) are ignored. */
    public DatasetComparison ignoreKeyPrefix(String prefix) {
        this.ignoredPrefix = prefix.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /**
     * Keys (by their expected row, source db) left out on both sides, for a reason the test states:
     * e.g. keys that had a TTL already past at test time and were persisted later in the recording.
     */
    public DatasetComparison ignoreKeys(java.util.function.Predicate<DatasetRow> which) {
        this.ignored = this.ignored.or(which);
        return this;
    }

    /** Every difference, one line each; empty when the datasets are equal under these rules. */
    public List<String> differences(Dataset expected, Dataset actual) {
        long cutoff = nowMs + expiredMarginMs;
        TreeMap<String, DatasetRow> exp = new TreeMap<>();
        for (DatasetRow r : expected.rows()) {
            if (skippedTypes.contains(r.type()) || expired(r, cutoff) || ignored.test(r)) {
                continue;
            }
            int db = dbMapping.applyAsInt(r.db());
            if (db < 0) {
                continue;
            }
            DatasetRow mapped = r.withDb(db);
            DatasetRow clash = exp.put(id(mapped), mapped);
            if (clash != null) {
                throw new IllegalArgumentException("db mapping merges two expected keys " + mapped.keyText() + " into db " + db);
            }
        }
        Set<String> ignoredIds = new java.util.HashSet<>();
        for (DatasetRow r : expected.rows()) {
            if (ignored.test(r)) {
                ignoredIds.add(id(r.withDb(dbMapping.applyAsInt(r.db()))));
            }
        }
        Map<String, DatasetRow> act = new HashMap<>();
        for (DatasetRow r : actual.rows()) {
            if (ignoredPrefix(r.key()) || expired(r, cutoff) || ignoredIds.contains(id(r))) {
                continue;
            }
            act.put(id(r), r);
        }
        List<String> diffs = new ArrayList<>();
        lastCompared = exp.size();
        for (Map.Entry<String, DatasetRow> e : exp.entrySet()) {
            DatasetRow a = act.remove(e.getKey());
            DatasetRow x = e.getValue();
            if (a == null) {
                diffs.add("missing db " + x.db() + " key " + x.keyText() + " (" + x.type() + ")");
                continue;
            }
            compare(x, a, diffs);
        }
        for (DatasetRow a : act.values()) {
            diffs.add("unexpected db " + a.db() + " key " + a.keyText() + " (" + a.type()
                    + (skippedTypes.contains(a.type()) ? ", a skipped type" : "") + ")");
        }
        return diffs;
    }

    /** How many expected keys the last comparison checked (after the rules left some out). */
    public int lastCompared() {
        return lastCompared;
    }

    /** Fails with the first differences when there are any. */
    public void assertEqual(Dataset expected, Dataset actual) {
        List<String> d = differences(expected, actual);
        if (!d.isEmpty()) {
            throw new AssertionError(d.size() + " differences between expected and actual dataset:\n  "
                    + String.join("\n  ", d.subList(0, Math.min(d.size(), 40))));
        }
    }

    private void compare(DatasetRow x, DatasetRow a, List<String> diffs) {
        String where = "db " + x.db() + " key " + x.keyText();
        if (!x.type().equals(a.type())) {
            diffs.add(where + ": type " + a.type() + ", expected " + x.type());
            return;
        }
        if ((x.expireAtMs() == null) != (a.expireAtMs() == null)
                || (x.expireAtMs() != null && Math.abs(x.expireAtMs() - a.expireAtMs()) > expiryToleranceMs)) {
            diffs.add(where + ": expire_at_ms " + a.expireAtMs() + ", expected " + x.expireAtMs());
        }
        String why = valueDifference(x.type(), x.value(), a.value());
        if (why != null) {
            diffs.add(where + " (" + x.type() + "): " + why);
        }
        if (compareMemberTtls) {
            String m = memberTtlDifference(x.memberExpireAtS(), a.memberExpireAtS());
            if (m != null) {
                diffs.add(where + ": member_expire_at_s " + m);
            }
        }
    }

    static String valueDifference(String type, JsonNode x, JsonNode a) {
        switch (type) {
            case "zset":
                return zsetDifference(x, a);
            case "stream":
                return streamDifference(normalizeStream(x), normalizeStream(a));
            case "ReJSON-RL":
                try {
                    return Dataset.JSON.readTree(x.asText()).equals(Dataset.JSON.readTree(a.asText())) ? null
                            : "document " + a.asText() + ", expected " + x.asText();
                } catch (java.io.IOException e) {
                    return "unreadable JSON: " + e.getMessage();
                }
            default:
                return x.equals(a) ? null : "value " + abbreviate(a) + ", expected " + abbreviate(x);
        }
    }

    private static String zsetDifference(JsonNode x, JsonNode a) {
        if (x.size() != a.size()) {
            return "zset of " + a.size() + " members, expected " + x.size();
        }
        for (int i = 0; i < x.size(); i++) {
            JsonNode xm = x.get(i);
            JsonNode am = a.get(i);
            if (!xm.get(0).equals(am.get(0))) {
                return "member #" + i + " " + am.get(0).asText() + ", expected " + xm.get(0).asText();
            }
            double xs = score(xm.get(1).asText());
            double as = score(am.get(1).asText());
            if (Double.compare(xs, as) != 0) {
                return "score of member #" + i + " " + am.get(1).asText() + ", expected " + xm.get(1).asText();
            }
        }
        return null;
    }

    private static String streamDifference(JsonNode x, JsonNode a) {
        if (x.equals(a)) {
            return null;
        }
        for (String f : new String[] {"length", "last_generated_id", "groups"}) {
            if (!x.path(f).equals(a.path(f))) {
                return "stream " + f + " " + a.path(f) + ", expected " + x.path(f);
            }
        }
        JsonNode xe = x.path("entries");
        JsonNode ae = a.path("entries");
        for (int i = 0; i < Math.max(xe.size(), ae.size()); i++) {
            if (!xe.path(i).equals(ae.path(i))) {
                return "stream entry #" + i + " " + ae.path(i) + ", expected " + xe.path(i);
            }
        }
        return "stream " + abbreviate(a) + ", expected " + abbreviate(x);
    }

    static double score(String s) {
        switch (s.toLowerCase()) {
            case "inf":
            case "+inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(s);
        }
    }

    private static JsonNode normalizeStream(JsonNode s) {
        JsonNode copy;
        try {
            copy = Dataset.JSON.readTree(s.toString()); // one numeric node type for both sides
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        JsonNode groups = copy.get("groups");
        if (groups instanceof ArrayNode g) {
            List<JsonNode> l = new ArrayList<>();
            g.forEach(l::add);
            l.sort(Comparator.comparing(n -> n.get("name").asText()));
            g.removeAll();
            l.forEach(g::add);
        }
        return copy;
    }

    private String memberTtlDifference(JsonNode x, JsonNode a) {
        Map<String, Long> xm = memberTtls(x);
        Map<String, Long> am = memberTtls(a);
        if (!xm.keySet().equals(am.keySet())) {
            return "members " + am.keySet() + ", expected " + xm.keySet();
        }
        for (Map.Entry<String, Long> e : xm.entrySet()) {
            if (Math.abs(e.getValue() - am.get(e.getKey())) > memberTtlToleranceS) {
                return "of " + e.getKey() + " " + am.get(e.getKey()) + ", expected " + e.getValue();
            }
        }
        return null;
    }

    private static Map<String, Long> memberTtls(JsonNode n) {
        Map<String, Long> m = new TreeMap<>();
        if (n != null) {
            n.forEach(p -> m.put(p.get(0).asText(), p.get(1).asLong()));
        }
        return m;
    }

    private boolean expired(DatasetRow r, long cutoff) {
        return r.expireAtMs() != null && r.expireAtMs() < cutoff;
    }

    private boolean ignoredPrefix(byte[] key) {
        return ignoredPrefix != null && key.length >= ignoredPrefix.length
                && Arrays.equals(key, 0, ignoredPrefix.length, ignoredPrefix, 0, ignoredPrefix.length);
    }

    private static String id(DatasetRow r) {
        return r.db() + "/" + r.keyB64();
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 200 ? s.substring(0, 200) + "…(" + s.length() + " chars)" : s;
    }
}
