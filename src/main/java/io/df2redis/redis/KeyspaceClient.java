package io.df2redis.redis;

import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * Reads a keyspace, standalone or cluster, for checks (no writes): the databases holding keys,
 * {@code SCAN} pages per primary, and pipelined reads routed by each command's key slot. One
 * connection per node, opened on first use; not thread-safe (one client per thread).
 *
 * <p>A read answered {@code MOVED}/{@code ASK} (slots moving meanwhile) re-reads the topology and is
 * asked again once; a second redirect is returned to the caller as the error it is.
 */
public final class KeyspaceClient implements AutoCloseable {
    private final RedisTarget target;
    private final boolean cluster;
    private final Map<NodeAddress, RedisConnection> connections = new HashMap<>();
    private NodeAddress[] owners;
    /** The selected db per connection (standalone). */
    private final Map<NodeAddress, Integer> selected = new HashMap<>();

    private KeyspaceClient(RedisTarget target, boolean cluster) {
        this.target = target;
        this.cluster = cluster;
    }

    /** Connects to {@code target}'s seed; detects a cluster unless the target's mode says. */
    public static KeyspaceClient open(RedisTarget target) throws IOException {
        RedisConnection seed = RedisConnection.open(target.seed(), target);
        boolean cluster;
        try {
            cluster = switch (target.mode()) {
                case CLUSTER -> true;
                case STANDALONE -> false;
                case AUTO -> RedisWriter.detectCluster(seed);
            };
        } catch (IOException | RuntimeException e) {
            seed.close();
            throw e;
        }
        KeyspaceClient k = new KeyspaceClient(target, cluster);
        k.connections.put(target.seed(), seed);
        if (cluster) {
            k.refresh();
        }
        return k;
    }

    public boolean cluster() {
        return cluster;
    }

    /** The nodes to scan: every primary of a cluster, else the one server. */
    public List<NodeAddress> scanNodes() {
        if (!cluster) {
            return List.of(target.seed());
        }
        return List.copyOf(primaries());
    }

    private Collection<NodeAddress> primaries() {
        LinkedHashMap<NodeAddress, Boolean> p = new LinkedHashMap<>();
        for (NodeAddress a : owners) {
            if (a != null) {
                p.put(a, true);
            }
        }
        return p.keySet();
    }

    /** Databases holding keys on any node (only db 0 on a cluster), from {@code INFO keyspace}. */
    public SortedSet<Integer> databasesWithKeys() throws IOException {
        SortedSet<Integer> dbs = new java.util.TreeSet<>();
        for (NodeAddress n : scanNodes()) {
            for (String field : connection(n).info("keyspace").keySet()) {
                if (field.startsWith("db")) {
                    dbs.add(Integer.parseInt(field.substring(2)));
                }
            }
        }
        return dbs;
    }

    /**
     * One {@code SCAN} step on {@code node} in {@code db}: the next cursor ("0" when done) and the
     * page's keys.
     */
    public ScanPage scan(NodeAddress node, int db, String cursor, int count) throws IOException {
        RedisConnection c = connection(node);
        select(node, c, db);
        RespReply r = c.call("SCAN", cursor, "COUNT", Integer.toString(count));
        if (r instanceof RespReply.Error e) {
            throw new RedisReplyException(node, "SCAN " + cursor, e);
        }
        List<RespReply> page = r.asArray();
        List<byte[]> keys = new ArrayList<>(page.get(1).asArray().size());
        for (RespReply k : page.get(1).asArray()) {
            keys.add(((RespReply.Bulk) k).bytes());
        }
        return new ScanPage(page.get(0).asText(), keys);
    }

    public record ScanPage(String cursor, List<byte[]> keys) {
        public boolean last() {
            return cursor.equals("0");
        }
    }

    /**
     * Runs {@code commands} in {@code db}, each routed by the slot of its key ({@code args[1]}),
     * pipelined per node; the replies in the commands' order (errors as {@link RespReply.Error}).
     */
    public List<RespReply> read(int db, List<byte[][]> commands) throws IOException {
        RespReply[] out = new RespReply[commands.size()];
        List<Integer> redirected = send(db, commands, allIndexes(commands.size()), out);
        if (!redirected.isEmpty()) {
            refresh();
            send(db, commands, redirected, out);
        }
        return List.of(out);
    }

    private static List<Integer> allIndexes(int n) {
        List<Integer> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return all;
    }

    /** Sends the commands at {@code which}; returns those answered MOVED/ASK. */
    private List<Integer> send(int db, List<byte[][]> commands, List<Integer> which, RespReply[] out) throws IOException {
        Map<NodeAddress, List<Integer>> byNode = new LinkedHashMap<>();
        for (int i : which) {
            byNode.computeIfAbsent(nodeOf(commands.get(i)), a -> new ArrayList<>()).add(i);
        }
        List<Integer> redirected = new ArrayList<>();
        for (Map.Entry<NodeAddress, List<Integer>> e : byNode.entrySet()) {
            RedisConnection c = connection(e.getKey());
            select(e.getKey(), c, db);
            List<byte[][]> batch = new ArrayList<>(e.getValue().size());
            for (int i : e.getValue()) {
                batch.add(commands.get(i));
            }
            List<RespReply> replies = c.pipeline(batch);
            for (int j = 0; j < replies.size(); j++) {
                int i = e.getValue().get(j);
                RespReply r = replies.get(j);
                out[i] = r;
                if (r instanceof RespReply.Error err && (err.message().startsWith("MOVED ") || err.message().startsWith("ASK "))) {
                    redirected.add(i);
                }
            }
        }
        return redirected;
    }

    private NodeAddress nodeOf(byte[][] command) throws IOException {
        if (!cluster) {
            return target.seed();
        }
        NodeAddress owner = owners[Slots.slot(command[1])];
        if (owner == null) {
            throw new IOException("slot " + Slots.slot(command[1]) + " is served by no primary of " + target);
        }
        return owner;
    }

    private void select(NodeAddress node, RedisConnection c, int db) throws IOException {
        if (cluster) {
            if (db != 0) {
                throw new IllegalArgumentException("a cluster has only db 0, not db " + db);
            }
            return;
        }
        Integer now = selected.get(node);
        if (now == null || now != db) {
            c.callOk("SELECT", Integer.toString(db));
            selected.put(node, db);
        }
    }

    private RedisConnection connection(NodeAddress a) throws IOException {
        RedisConnection c = connections.get(a);
        if (c == null || c.isClosed()) {
            c = RedisConnection.open(a, target);
            connections.put(a, c);
            selected.remove(a);
        }
        return c;
    }

    private void refresh() throws IOException {
        if (!cluster) {
            return;
        }
        RedisConnection c = connection(target.seed());
        RespReply r = c.call("CLUSTER", "SHARDS");
        owners = !r.isError() ? ClusterTopology.fromShards(r, target.tlsEnabled()) : ClusterTopology.fromSlots(c.callOk("CLUSTER", "SLOTS"));
    }

    @Override
    public void close() {
        for (RedisConnection c : connections.values()) {
            c.close();
        }
        connections.clear();
    }

    @Override
    public String toString() {
        return target.toString();
    }
}
