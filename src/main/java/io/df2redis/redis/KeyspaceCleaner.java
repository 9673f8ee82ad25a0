package io.df2redis.redis;

import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Deletes keys by slot and flushes databases on every primary, over plain control connections.
 * Callers flush the writer first: these operations are not ordered with pipelined commands.
 */
final class KeyspaceCleaner {
    private static final int PAGE = 1000;
    private static final int MAX_PASSES = 5;
    private static final byte[] UNLINK = RedisConnection.bytes("UNLINK");

    private final Router router;
    private final RedisTarget target;

    KeyspaceCleaner(Router router, RedisTarget target) {
        this.router = router;
        this.target = target;
    }

    /** Deletes every key of {@code slots} (every database on a standalone target); returns how many. */
    long clearSlots(BitSet slots) throws IOException {
        return clearSlots(null, slots);
    }

    /**
     * Deletes every key of {@code slots} in the databases {@code dbs} ({@code null}: all; a cluster
     * has only db 0); returns how many.
     */
    long clearSlots(java.util.Set<Integer> dbs, BitSet slots) throws IOException {
        return clearSlots(dbs, slots, null);
    }

    /** As {@link #clearSlots(java.util.Set, BitSet)}, keeping the keys {@code keep} accepts (null: none kept). */
    long clearSlots(java.util.Set<Integer> dbs, BitSet slots, Predicate<byte[]> keep) throws IOException {
        if (slots.isEmpty() || (dbs != null && dbs.isEmpty())) {
            return 0;
        }
        if (router.cluster()) {
            if (dbs != null && !dbs.equals(java.util.Set.of(0))) {
                throw new IllegalArgumentException("a cluster has only db 0, cannot clear dbs " + dbs);
            }
            return clearClusterSlots(slots, keep);
        }
        return clearStandaloneSlots(dbs, slots, keep);
    }

    private static boolean kept(byte[] key, Predicate<byte[]> keep) {
        return keep != null && keep.test(key);
    }

    /** Keys per primary and database ({@code host:port/db} → count), from {@code INFO keyspace}. */
    Map<String, Long> keyCounts() throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        java.util.Collection<NodeAddress> nodes = router.cluster() ? refreshedPrimaries() : List.of(target.seed());
        for (NodeAddress n : nodes) {
            try (RedisConnection c = RedisConnection.open(n, target)) {
                for (Map.Entry<String, String> e : c.info("keyspace").entrySet()) {
                    if (e.getKey().startsWith("db")) {
                        // db0:keys=12,expires=0,avg_ttl=0
                        String keys = e.getValue().split(",")[0];
                        long k = Long.parseLong(keys.substring(keys.indexOf('=') + 1));
                        if (k > 0) {
                            counts.put(n + "/" + e.getKey().substring(2), k);
                        }
                    }
                }
            }
        }
        return counts;
    }

    private java.util.Collection<NodeAddress> refreshedPrimaries() throws IOException {
        router.refresh();
        return router.primaries();
    }

    private long clearStandaloneSlots(java.util.Set<Integer> dbs, BitSet slots, Predicate<byte[]> keep) throws IOException {
        long deleted = 0;
        try (RedisConnection c = RedisConnection.open(target.seed(), target)) {
            for (int db : databasesWithKeys(c)) {
                if (dbs != null && !dbs.contains(db)) {
                    continue;
                }
                c.callOk("SELECT", Integer.toString(db));
                String cursor = "0";
                do {
                    List<RespReply> page = c.callOk("SCAN", cursor, "COUNT", Integer.toString(PAGE)).asArray();
                    cursor = page.get(0).asText();
                    List<byte[]> doomed = new ArrayList<>();
                    for (RespReply k : page.get(1).asArray()) {
                        byte[] key = ((RespReply.Bulk) k).bytes();
                        if (slots.get(Slots.slot(key)) && !kept(key, keep)) {
                            doomed.add(key);
                        }
                    }
                    deleted += unlink(c, doomed);
                } while (!cursor.equals("0"));
            }
        }
        return deleted;
    }

    /** Databases holding keys on any primary (only db 0 on a cluster), from {@code INFO keyspace}. */
    java.util.SortedSet<Integer> databasesWithKeys() throws IOException {
        java.util.SortedSet<Integer> dbs = new java.util.TreeSet<>();
        for (NodeAddress n : router.cluster() ? refreshedPrimaries() : List.of(target.seed())) {
            try (RedisConnection c = RedisConnection.open(n, target)) {
                dbs.addAll(databasesWithKeys(c));
            }
        }
        return dbs;
    }

    private static List<Integer> databasesWithKeys(RedisConnection c) throws IOException {
        List<Integer> dbs = new ArrayList<>();
        for (String field : c.info("keyspace").keySet()) {
            if (field.startsWith("db")) {
                dbs.add(Integer.parseInt(field.substring(2)));
            }
        }
        return dbs;
    }

    /**
     * Pass after pass (topology re-read each time) until every owner counts 0 keys in every slot:
     * a slot that moves meanwhile is cleared on its new owner in the next pass.
     */
    private long clearClusterSlots(BitSet slots, Predicate<byte[]> keep) throws IOException {
        long deleted = 0;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            router.refresh();
            Map<NodeAddress, List<Integer>> byOwner = new LinkedHashMap<>();
            for (int s = slots.nextSetBit(0); s >= 0; s = slots.nextSetBit(s + 1)) {
                NodeAddress owner = router.owner(s);
                if (owner == null) {
                    throw new IOException("slot " + s + " is not served by any primary: cannot clear it");
                }
                byOwner.computeIfAbsent(owner, a -> new ArrayList<>()).add(s);
            }
            boolean foundAny = false;
            for (Map.Entry<NodeAddress, List<Integer>> e : byOwner.entrySet()) {
                try (RedisConnection c = RedisConnection.open(e.getKey(), target)) {
                    for (int s : nonEmpty(c, e.getValue())) {
                        int keptInSlot = 0;
                        while (true) {
                            // Kept keys stay in the slot: ask for that many more each round.
                            List<RespReply> keys = c.callOk("CLUSTER", "GETKEYSINSLOT", Integer.toString(s),
                                    Integer.toString(PAGE + keptInSlot)).asArray();
                            List<byte[]> doomed = new ArrayList<>(keys.size());
                            for (RespReply k : keys) {
                                byte[] key = ((RespReply.Bulk) k).bytes();
                                if (!kept(key, keep)) {
                                    doomed.add(key);
                                }
                            }
                            keptInSlot = keys.size() - doomed.size();
                            if (doomed.isEmpty()) {
                                break;
                            }
                            foundAny = true;
                            long n = unlink(c, doomed);
                            if (n < 0) {
                                break; // the slot moved meanwhile: the next pass finds its new owner
                            }
                            deleted += n;
                        }
                    }
                }
            }
            if (!foundAny) {
                return deleted;
            }
        }
        throw new IOException("keys still found after " + MAX_PASSES + " passes over slots " + slots + " (slots moving?)");
    }

    private static List<Integer> nonEmpty(RedisConnection c, List<Integer> slots) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (int from = 0; from < slots.size(); from += 2048) {
            List<Integer> chunk = slots.subList(from, Math.min(slots.size(), from + 2048));
            List<byte[][]> cmds = new ArrayList<>(chunk.size());
            for (int s : chunk) {
                cmds.add(new byte[][] {RedisConnection.bytes("CLUSTER"), RedisConnection.bytes("COUNTKEYSINSLOT"), RedisConnection.bytes(Integer.toString(s))});
            }
            List<RespReply> counts = c.pipeline(cmds);
            for (int i = 0; i < chunk.size(); i++) {
                RespReply r = counts.get(i);
                if (r instanceof RespReply.Error err) {
                    throw new RedisReplyException(c.address(), "CLUSTER COUNTKEYSINSLOT " + chunk.get(i), err);
                }
                if (r.asLong() > 0) {
                    out.add(chunk.get(i));
                }
            }
        }
        return out;
    }

    /** UNLINKs keys (all of one slot on a cluster); -1 if the node redirected (the slot moved). */
    private static long unlink(RedisConnection c, List<byte[]> keys) throws IOException {
        if (keys.isEmpty()) {
            return 0;
        }
        byte[][] args = new byte[keys.size() + 1][];
        args[0] = UNLINK;
        for (int i = 0; i < keys.size(); i++) {
            args[i + 1] = keys.get(i);
        }
        RespReply r = c.call(args);
        if (r instanceof RespReply.Error e) {
            if (e.code().equals("MOVED") || e.code().equals("ASK") || e.code().equals("TRYAGAIN")) {
                return -1;
            }
            throw new RedisReplyException(c.address(), "UNLINK " + new String(keys.get(0), StandardCharsets.UTF_8) + " …", e);
        }
        return keys.size();
    }

    /**
     * Deletes every key whose name starts with {@code prefix}, in every database of every primary
     * ({@code SCAN MATCH}, one {@code UNLINK} per key: the keys may be in any slot); returns how many.
     */
    long deleteWithPrefix(String prefix) throws IOException {
        StringBuilder pattern = new StringBuilder();
        for (char ch : prefix.toCharArray()) {
            if ("*?[]\\".indexOf(ch) >= 0) {
                pattern.append('\\');
            }
            pattern.append(ch);
        }
        pattern.append('*');
        long deleted = 0;
        java.util.Collection<NodeAddress> nodes = router.cluster() ? refreshedPrimaries() : List.of(target.seed());
        for (NodeAddress n : nodes) {
            try (RedisConnection c = RedisConnection.open(n, target)) {
                for (int db : databasesWithKeys(c)) {
                    c.callOk("SELECT", Integer.toString(db));
                    String cursor = "0";
                    do {
                        List<RespReply> page = c.callOk("SCAN", cursor, "MATCH", pattern.toString(), "COUNT",
                                Integer.toString(PAGE)).asArray();
                        cursor = page.get(0).asText();
                        List<byte[][]> unlinks = new ArrayList<>();
                        for (RespReply k : page.get(1).asArray()) {
                            unlinks.add(new byte[][] {UNLINK, ((RespReply.Bulk) k).bytes()});
                        }
                        for (RespReply r : unlinks.isEmpty() ? List.<RespReply>of() : c.pipeline(unlinks)) {
                            if (r instanceof RespReply.Error e) {
                                throw new RedisReplyException(n, "UNLINK of a " + prefix + "* key", e);
                            }
                            deleted += r.asLong();
                        }
                    } while (!cursor.equals("0"));
                }
            }
        }
        return deleted;
    }

    /** FLUSHALL on every primary. */
    void flushAll() throws IOException {
        onEveryPrimary("FLUSHALL");
    }

    /** FLUSHDB of {@code db} on every primary (db 0 only on a cluster). */
    void flushDb(int db) throws IOException {
        if (router.cluster()) {
            if (db != 0) {
                throw new IllegalArgumentException("a cluster has only db 0, cannot flush db " + db);
            }
            onEveryPrimary("FLUSHDB");
            return;
        }
        try (RedisConnection c = RedisConnection.open(target.seed(), target)) {
            c.callOk("SELECT", Integer.toString(db));
            c.callOk("FLUSHDB");
        }
    }

    /** As {@link #onEveryPrimary}, passing over replies that start with {@code ignored}; returns on how many it succeeded. */
    int onEveryPrimaryIgnoring(String ignored, String... command) throws IOException {
        router.refresh();
        int ok = 0;
        for (NodeAddress p : router.primaries()) {
            try (RedisConnection c = RedisConnection.open(p, target)) {
                c.callOk(command);
                ok++;
            } catch (RedisReplyException e) {
                if (e.reply() == null || !e.reply().startsWith(ignored)) {
                    throw new IOException(command[0] + " " + command[1] + " failed on " + p + ": " + e.reply(), e);
                }
            }
        }
        return ok;
    }

    void onEveryPrimary(String... command) throws IOException {
        router.refresh();
        Map<NodeAddress, String> failed = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        for (NodeAddress p : router.primaries()) {
            try (RedisConnection c = RedisConnection.open(p, target)) {
                c.callOk(command);
            } catch (RedisReplyException e) {
                failed.put(p, e.reply());
            }
        }
        if (!failed.isEmpty()) {
            throw new IOException(command[0] + (command.length > 1 ? " " + command[1] : "") + " failed on " + failed);
        }
    }
}
