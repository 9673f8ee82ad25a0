package io.df2redis.dragonfly.rdb;

import java.io.IOException;

/**
 * Encoded bytes that break the RDB format: truncated, a bad length, an unknown encoding, a corrupt
 * listpack/ziplist/intset, a bad checksum. {@link #offset()} is the position inside the bytes that
 * were being decoded (-1 when unknown); the stream parser turns it into a flow offset.
 */
public class RdbFormatException extends IOException {
    private final long offset;

    public RdbFormatException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    public RdbFormatException(String message, long offset, Throwable cause) {
        super(message, cause);
        this.offset = offset;
    }

    /** Position in the decoded input where the problem was found; -1 when unknown. */
    public long offset() {
        return offset;
    }

    /** The message without the offset decoration added by callers. */
    public String expected() {
        return super.getMessage();
    }
}
