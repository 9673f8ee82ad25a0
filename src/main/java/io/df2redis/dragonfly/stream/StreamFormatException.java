package io.df2redis.dragonfly.stream;

import io.df2redis.dragonfly.rdb.RdbBytes;
import java.io.IOException;

/**
 * A flow's bytes break the protocol: truncated, an unknown opcode or type, a bad length, a corrupt
 * listpack/ziplist/intset, a bad checksum, a wrong EOF token. Names the flow, the byte offset in the
 * flow (for an error inside a compressed blob: the blob's offset, with {@link #offsetInBlob()}
 * inside the decompressed data), the key when known, and what was expected there.
 */
public class StreamFormatException extends IOException {
    private final int flowId;
    private final long offset;
    private final long offsetInBlob;
    private final byte[] key;
    private final String expected;

    public StreamFormatException(int flowId, long offset, long offsetInBlob, byte[] key, String expected, Throwable cause) {
        super(describe(flowId, offset, offsetInBlob, key, expected), cause);
        this.flowId = flowId;
        this.offset = offset;
        this.offsetInBlob = offsetInBlob;
        this.key = key;
        this.expected = expected;
    }

    public StreamFormatException(int flowId, long offset, byte[] key, String expected) {
        this(flowId, offset, -1, key, expected, null);
    }

    private static String describe(int flowId, long offset, long inBlob, byte[] key, String expected) {
        StringBuilder sb = new StringBuilder("flow ").append(flowId).append(" at byte ").append(offset);
        if (inBlob >= 0) {
            sb.append(" (compressed blob, +").append(inBlob).append(" in its decompressed data)");
        }
        if (key != null) {
            sb.append(", key \"").append(RdbBytes.printable(key)).append('"');
        }
        return sb.append(": expected ").append(expected).toString();
    }

    public int flowId() {
        return flowId;
    }

    /** Byte offset in the flow (of the compressed blob, for errors inside one). */
    public long offset() {
        return offset;
    }

    /** Offset inside the decompressed data of the blob at {@link #offset()}; -1 outside blobs. */
    public long offsetInBlob() {
        return offsetInBlob;
    }

    /** The key being read, or {@code null}. */
    public byte[] key() {
        return key;
    }

    /** What the parser expected at that point. */
    public String expected() {
        return expected;
    }
}
