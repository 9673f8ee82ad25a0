package io.df2redis.dragonfly.flow;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a flow connection buffers and acknowledges.
 *
 * @param memoryBufferBytes bytes held in memory ahead of the consumer before spilling to disk
 * @param spillDir directory for spill files (created if missing); files are deleted as they are read
 *     and when the flow ends
 * @param spillLimitBytes most bytes on disk at once for this flow; reaching it fails the flow with
 *     {@link SpillLimitExceededException} (the session is lost, but long before the master's 30 s
 *     stall timeout would cut it)
 * @param spillFileBytes size at which a spill file is closed and the next one started
 * @param ackInterval period of {@code REPLCONF ACK} once the consumer set an LSN (Dragonfly's replica: 1 s)
 * @param readChunkBytes size of one socket read of the drain thread
 */
public record FlowConfig(
        long memoryBufferBytes,
        Path spillDir,
        long spillLimitBytes,
        long spillFileBytes,
        Duration ackInterval,
        int readChunkBytes) {

    public FlowConfig {
        if (memoryBufferBytes < 1024) {
            throw new IllegalArgumentException("memoryBufferBytes must be at least 1024, got " + memoryBufferBytes);
        }
        if (spillDir == null) {
            throw new IllegalArgumentException("spillDir is null");
        }
        if (spillLimitBytes < 0) {
            throw new IllegalArgumentException("spillLimitBytes must be >= 0");
        }
        if (spillFileBytes < 4096) {
            throw new IllegalArgumentException("spillFileBytes must be at least 4096, got " + spillFileBytes);
        }
        if (ackInterval == null || ackInterval.isNegative() || ackInterval.isZero()) {
            throw new IllegalArgumentException("ackInterval must be positive");
        }
        if (readChunkBytes < 512) {
            throw new IllegalArgumentException("readChunkBytes must be at least 512");
        }
    }

    public static FlowConfig defaults() {
        return new FlowConfig(
                64L << 20,
                Path.of(System.getProperty("java.io.tmpdir"), "df2redis-spill"),
                4L << 30,
                64L << 20,
                Duration.ofSeconds(1),
                64 * 1024);
    }

    public FlowConfig withMemory(long bytes) {
        return new FlowConfig(bytes, spillDir, spillLimitBytes, spillFileBytes, ackInterval, readChunkBytes);
    }

    public FlowConfig withSpill(Path dir, long limitBytes, long fileBytes) {
        return new FlowConfig(memoryBufferBytes, dir, limitBytes, fileBytes, ackInterval, readChunkBytes);
    }

    public FlowConfig withAckInterval(Duration d) {
        return new FlowConfig(memoryBufferBytes, spillDir, spillLimitBytes, spillFileBytes, d, readChunkBytes);
    }
}
