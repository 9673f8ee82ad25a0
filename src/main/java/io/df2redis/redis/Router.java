package io.df2redis.redis;

import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slot → primary routes (all slots → the one node on a standalone target) and the nodes'
 * connections. Routes come from {@code CLUSTER SHARDS}/{@code CLUSTER SLOTS} and are patched by
 * MOVED replies in between.
 */
final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final long MIN_REFRESH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long NODE_DOWN_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    interface ConnectionFactory {
        PipelinedConnection create(Node node, int db, int index, RedisConnection raw, String runId);
    }

    /** Told about every new connection and every topology, for loss detection. */
    interface Observer {
        void connected(Node node, String runId, boolean primary);

        void primaries(Set<NodeAddress> primaries);
    }

    private final RedisTarget target;
    private final int connectionsPerNode;
    private final boolean cluster;
    private final WriterMetrics metrics;
    private final AtomicReferenceArray<Node> owners = new AtomicReferenceArray<>(Slots.COUNT);
    private final ConcurrentHashMap<NodeAddress, Node> nodes = new ConcurrentHashMap<>();
    private volatile Set<NodeAddress> primaries = Set.of();
    private volatile ConnectionFactory factory;
    private volatile Observer observer;
    private final Object refreshLock = new Object();
    private volatile long lastRefreshStartNanos = Long.MIN_VALUE / 2;
    /** Set by closeAll: no connection is opened after it (a recovery thread may be connecting meanwhile). */
    private volatile boolean closed;
    /**
     * Bumped after every change of a slot's owner or of a node's connections: a slot whose connection
     * was resolved at the current version needs no new lookup ({@link #routesVersion}).
     */
    private final java.util.concurrent.atomic.AtomicLong routesVersion = new java.util.concurrent.atomic.AtomicLong();

    Router(RedisTarget target, int connectionsPerNode, boolean cluster, WriterMetrics metrics) {
        this.target = target;
        this.connectionsPerNode = connectionsPerNode;
        this.cluster = cluster;
        this.metrics = metrics;
        if (!cluster) {
            Node only = node(target.seed());
            for (int s = 0; s < Slots.COUNT; s++) {
                owners.set(s, only);
            }
            primaries = Set.of(target.seed());
        }
    }

    void bind(ConnectionFactory f, Observer o) {
        this.factory = f;
        this.observer = o;
    }

    boolean cluster() {
        return cluster;
    }

    /**
     * Changes whenever {@link #ownerConnectionIfLive} could answer differently, except for a
     * connection dying (which refuses every command from then on, so a caller finds out anyway).
     */
    long routesVersion() {
        return routesVersion.get();
    }

    NodeAddress owner(int slot) {
        Node n = owners.get(slot);
        return n == null ? null : n.address;
    }

    private Node node(NodeAddress a) {
        return nodes.computeIfAbsent(a, x -> new Node(x, connectionsPerNode));
    }

    /** The open connection for {@code (db, slot)} on the slot's current owner; never blocks. */
    PipelinedConnection ownerConnectionIfLive(int slot, int db) {
        Node n = owners.get(slot);
        if (n == null) {
            return null;
        }
        PipelinedConnection c = n.get(db, n.indexOf(slot));
        return c != null && c.live() ? c : null;
    }

    Set<NodeAddress> primaries() {
        return primaries;
    }

    Collection<Node> nodes() {
        return nodes.values();
    }

    /** The connection for {@code (db, slot)} on {@code address} if it is open; never blocks. */
    PipelinedConnection connectionIfLive(NodeAddress address, int slot, int db) {
        if (address == null) {
            return null;
        }
        Node n = nodes.get(address);
        if (n == null) {
            return null;
        }
        PipelinedConnection c = n.get(db, n.indexOf(slot));
        return c != null && c.live() ? c : null;
    }

    /** The connection for {@code (db, slot)} on {@code address}, connecting if needed (blocking; recovery thread). */
    PipelinedConnection connect(NodeAddress address, int slot, int db) throws IOException {
        Node n = node(address);
        int index = n.indexOf(slot);
        synchronized (n) {
            PipelinedConnection c = n.get(db, index);
            if (c != null && c.live()) {
                return c;
            }
            if (closed) {
                throw new IOException("the writer is closed");
            }
            long now = System.nanoTime();
            if (now - n.downUntilNanos < 0) {
                throw new IOException(n.downReason);
            }
            RedisConnection raw;
            String runId = null;
            boolean primary = true;
            try {
                raw = RedisConnection.open(address, target);
                if (db != 0) {
                    try {
                        raw.callOk("SELECT", Integer.toString(db));
                    } catch (IOException | RuntimeException e) {
                        raw.close();
                        throw e;
                    }
                }
                try {
                    Map<String, String> server = raw.info("server");
                    runId = server.get("run_id");
                    Map<String, String> replication = raw.info("replication");
                    primary = !"slave".equals(replication.get("role"));
                    n.connectedReplicas = Integer.parseInt(replication.getOrDefault("connected_slaves", "0"));
                } catch (RedisReplyException e) {
                    LOG.debug("INFO not allowed on {}: {}", address, e.reply()); // no run_id: losses found by topology only
                }
            } catch (IOException | RedisReplyException e) {
                n.downUntilNanos = now + NODE_DOWN_NANOS;
                n.downReason = "cannot connect to " + address + ": " + e.getMessage();
                throw new IOException(n.downReason, e);
            }
            String previous = n.runId;
            n.runId = runId;
            if (c != null) {
                LOG.info("reconnected to {} (db {}, connection {}{})", address, db, index,
                        previous != null && runId != null && !previous.equals(runId) ? ", new process run_id " + runId : "");
            }
            Observer o = observer;
            if (o != null) {
                o.connected(n, runId, primary);
            }
            PipelinedConnection fresh = factory.create(n, db, index, raw, runId);
            fresh.start();
            n.put(db, index, fresh);
            routesVersion.incrementAndGet();
            if (closed) {
                // closeAll ran while this connected: it may not have seen this connection (both shutting it down is harmless)
                fresh.shutdown();
                throw new IOException("the writer is closed");
            }
            return fresh;
        }
    }

    /** Opens every connection of every primary now (at start and after a topology change). */
    void connectPrimaries() {
        for (NodeAddress p : primaries) {
            for (int i = 0; i < connectionsPerNode; i++) {
                try {
                    connect(p, i, 0);
                } catch (IOException e) {
                    LOG.warn("{}", e.getMessage());
                }
            }
        }
    }

    void noteMoved(int slot, NodeAddress to) {
        owners.set(slot, node(to));
        routesVersion.incrementAndGet();
    }

    /**
     * Re-reads the topology unless a refresh started after {@code sinceNanos} or less than 100 ms
     * ago. Returns false when no node answered (the old routes stay).
     */
    boolean refreshIfOlderThan(long sinceNanos) {
        if (!cluster) {
            return true;
        }
        synchronized (refreshLock) {
            long now = System.nanoTime();
            if (lastRefreshStartNanos - sinceNanos > 0 || now - lastRefreshStartNanos < MIN_REFRESH_INTERVAL_NANOS) {
                return true;
            }
            lastRefreshStartNanos = now;
            try {
                refresh();
                return true;
            } catch (IOException e) {
                LOG.warn("topology refresh failed: {}", e.getMessage());
                return false;
            }
        }
    }

    /** Reads the topology from the first node that answers. */
    void refresh() throws IOException {
        if (!cluster) {
            return;
        }
        Set<NodeAddress> candidates = new LinkedHashSet<>(primaries);
        candidates.addAll(nodes.keySet());
        candidates.add(target.seed());
        IOException last = null;
        for (NodeAddress a : candidates) {
            Node n = nodes.get(a);
            if (n != null && System.nanoTime() - n.downUntilNanos < 0) {
                continue;
            }
            try (RedisConnection c = RedisConnection.open(a, target)) {
                apply(fetch(c), a);
                return;
            } catch (IOException | RuntimeException e) {
                last = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
        }
        throw new IOException("no node answered CLUSTER SHARDS/SLOTS (tried " + candidates + ")", last);
    }

    private NodeAddress[] fetch(RedisConnection c) throws IOException {
        RespReply r = c.call("CLUSTER", "SHARDS");
        if (!r.isError()) {
            return ClusterTopology.fromShards(r, target.tlsEnabled());
        }
        RespReply slots = c.call("CLUSTER", "SLOTS");
        if (slots instanceof RespReply.Error e) {
            throw new RedisReplyException(c.address(), "CLUSTER SLOTS", e);
        }
        return ClusterTopology.fromSlots(slots);
    }

    private void apply(NodeAddress[] fresh, NodeAddress from) {
        metrics.topologyRefreshes.increment();
        int changed = 0;
        int unserved = 0;
        Set<NodeAddress> ps = new LinkedHashSet<>();
        for (int s = 0; s < Slots.COUNT; s++) {
            NodeAddress a = fresh[s];
            if (a == null) {
                unserved++;
            } else {
                ps.add(a);
            }
            Node old = owners.getAndSet(s, a == null ? null : node(a));
            if (old == null ? a != null : !old.address.equals(a)) {
                changed++;
            }
        }
        if (changed > 0) {
            routesVersion.incrementAndGet();
        }
        Set<NodeAddress> before = primaries;
        primaries = Set.copyOf(ps);
        if (changed > 0 || !before.equals(primaries)) {
            LOG.info("cluster topology from {}: {} primaries {}, {} slot routes changed{}", from, ps.size(), ps, changed,
                    unserved > 0 ? ", " + unserved + " slots not served" : "");
        }
        Observer o = observer;
        if (o != null) {
            o.primaries(primaries);
        }
    }

    /** Stops every connection without handing its commands back (writer closing); none opens after it. */
    void closeAll() {
        closed = true;
        for (Node n : nodes.values()) {
            for (PipelinedConnection c : n.all()) {
                c.shutdown();
            }
        }
    }
}
