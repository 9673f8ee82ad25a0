package io.df2redis.dragonfly.flow;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters of one flow connection, for metrics. Updated by the drain, consumer and ACK threads. */
public final class FlowCounters {
    final AtomicLong bytesReceived = new AtomicLong();
    final AtomicLong bytesConsumed = new AtomicLong();
    final AtomicLong memoryBytes = new AtomicLong();
    final AtomicLong spillBytesOnDisk = new AtomicLong();
    final AtomicLong bytesSpilled = new AtomicLong();
    final AtomicLong spillFiles = new AtomicLong();
    final AtomicLong spillLimitHits = new AtomicLong();
    final AtomicLong acksSent = new AtomicLong();
    final AtomicLong lastAck = new AtomicLong(-1);

    /** Bytes read from the socket (including those that came with the FLOW reply). */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /** Bytes handed to the consumer. */
    public long bytesConsumed() {
        return bytesConsumed.get();
    }

    /** Bytes received but not consumed yet (memory + disk). */
    public long bytesBuffered() {
        return bytesReceived.get() - bytesConsumed.get();
    }

    /** Bytes waiting in memory. */
    public long memoryBytes() {
        return memoryBytes.get();
    }

    /** Bytes waiting on disk. */
    public long spillBytesOnDisk() {
        return spillBytesOnDisk.get();
    }

    /** Bytes ever written to spill files. */
    public long bytesSpilled() {
        return bytesSpilled.get();
    }

    /** Spill files ever created. */
    public long spillFiles() {
        return spillFiles.get();
    }

    /** Times the spill limit was reached (0 or 1 per flow connection). */
    public long spillLimitHits() {
        return spillLimitHits.get();
    }

    public long acksSent() {
        return acksSent.get();
    }

    /** Value of the last {@code REPLCONF ACK} written, -1 before the first. */
    public long lastAck() {
        return lastAck.get();
    }
}
