package io.df2redis.dragonfly.event;

import io.df2redis.dragonfly.rdb.RdbType;

/**
 * A complete value exactly as it was encoded in the stream (after decompression and tagged-chunk
 * reassembly), without the type byte. For a Redis-compatible {@link RdbType} these bytes plus the
 * type byte, an RDB version and a CRC64 are a Redis DUMP payload, so a writer can pass them through
 * with {@code RESTORE} without decoding. Decoding into elements is done on demand by the rdb
 * package's value decoder.
 */
public record RdbValue(RdbType type, byte[] encoded) {
    public int size() {
        return encoded.length;
    }
}
