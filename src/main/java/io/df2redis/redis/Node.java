package io.df2redis.redis;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node the writer talks to, and its pipelined connections: per database, {@code n} of them; a
 * command of slot {@code s} in database {@code d} uses connection {@code (d, s % n)}. A connection
 * serves one database only (SELECTed when it opens), so no SELECT ever travels in a pipeline, where
 * a refused one (BUSY, LOADING) would let the commands behind it run in the wrong database.
 */
final class Node {
    final NodeAddress address;
    private final int perDatabase;
    private final ConcurrentHashMap<Integer, PipelinedConnection> connections = new ConcurrentHashMap<>();
    /** run_id of the process behind the last connection (null if INFO is not allowed). */
    volatile String runId;
    /** After a failed connect, no new attempt before this time (System.nanoTime). */
    volatile long downUntilNanos;
    volatile String downReason;

    Node(NodeAddress address, int perDatabase) {
        this.address = address;
        this.perDatabase = perDatabase;
    }

    int indexOf(int slot) {
        return slot % perDatabase;
    }

    PipelinedConnection get(int db, int index) {
        return connections.get(db * perDatabase + index);
    }

    void put(int db, int index, PipelinedConnection c) {
        connections.put(db * perDatabase + index, c);
    }

    Collection<PipelinedConnection> all() {
        return connections.values();
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
