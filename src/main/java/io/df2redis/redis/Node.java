package io.df2redis.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * A node the writer talks to, and its pipelined connections: per database, {@code n} of them; a
 * command of slot {@code s} in database {@code d} uses connection {@code (d, s % n)}. A connection
 * serves one database only (SELECTed when it opens), so no SELECT ever travels in a pipeline, where
 * a refused one (BUSY, LOADING) would let the commands behind it run in the wrong database.
 */
final class Node {
    private static final PipelinedConnection[][] NONE = new PipelinedConnection[0][];

    final NodeAddress address;
    private final int perDatabase;
    /** [db][index]; replaced as a whole when a connection is added (rare), read without locks. */
    private volatile PipelinedConnection[][] connections = NONE;
    /** run_id of the process behind the last connection (null if INFO is not allowed). */
    volatile String runId;
    /** {@code connected_slaves} when the writer last connected (-1: unknown), for WAIT on {@code auto}. */
    volatile int connectedReplicas = -1;
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
        PipelinedConnection[][] c = connections;
        return db < c.length && c[db] != null ? c[db][index] : null;
    }

    synchronized void put(int db, int index, PipelinedConnection conn) {
        PipelinedConnection[][] c = java.util.Arrays.copyOf(connections, Math.max(connections.length, db + 1));
        c[db] = c[db] == null ? new PipelinedConnection[perDatabase] : c[db].clone();
        c[db][index] = conn;
        connections = c;
    }

    List<PipelinedConnection> all() {
        List<PipelinedConnection> out = new ArrayList<>();
        for (PipelinedConnection[] perDb : connections) {
            if (perDb != null) {
                for (PipelinedConnection c : perDb) {
                    if (c != null) {
                        out.add(c);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
