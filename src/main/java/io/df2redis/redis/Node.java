package io.df2redis.redis;

import java.util.concurrent.atomic.AtomicReferenceArray;

/** A node the writer talks to, and its pipelined connections (slot {@code s} uses {@code s % n}). */
final class Node {
    final NodeAddress address;
    final AtomicReferenceArray<PipelinedConnection> connections;
    /** run_id of the process behind the last connection (null if INFO is not allowed). */
    volatile String runId;
    /** After a failed connect, no new attempt before this time (System.nanoTime). */
    volatile long downUntilNanos;
    volatile String downReason;

    Node(NodeAddress address, int connectionsPerNode) {
        this.address = address;
        this.connections = new AtomicReferenceArray<>(connectionsPerNode);
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
