package io.df2redis.dragonfly.flow;

/**
 * The consumer fell so far behind that a flow's spill files reached their configured limit. The
 * flow is closed at once (the master would cancel the session anyway once it could not write for
 * its replication timeout); raise the limit, free disk, or speed up the consumer.
 */
public class SpillLimitExceededException extends FlowLostException {
    private final long limitBytes;

    public SpillLimitExceededException(int flow, long bytesReceived, long limitBytes, java.nio.file.Path dir) {
        super(flow, bytesReceived, "spill limit of " + limitBytes + " bytes reached in " + dir
                + " (the consumer is too far behind the master)", null);
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
