package io.df2redis.redis;

/**
 * A flush with {@code WAIT} could not confirm that every write reached the required number of
 * replicas (too few replicas within the timeout, or the connection was lost before the reply). The
 * writes stay unconfirmed: the next flush waits for them again. The writer remains usable.
 */
public class ReplicationNotConfirmedException extends RedisWriteException {
    private final NodeAddress node;

    public ReplicationNotConfirmedException(NodeAddress node, String detail) {
        super("WAIT on " + node + ": " + detail);
        this.node = node;
    }

    public NodeAddress node() {
        return node;
    }
}
