package io.df2redis.dragonfly.rdb;

import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.RdbValue;

/**
 * Decodes a complete encoded value ({@link RdbValue}, a DUMP payload's value) into its elements.
 * The parser hands values over encoded so a writer can pass them through with RESTORE; this is the
 * on-demand decoding for everything else. Probabilistic types and modules other than RedisJSON come
 * back as {@link DecodedValue.OpaqueValue} after a structural check.
 */
public final class ValueDecoder {
    /** No single string inside a value may exceed this when decoding on demand. */
    public static final long DEFAULT_MAX_STRING = 512L * 1024 * 1024;

    private ValueDecoder() {}

    public static DecodedValue decode(RdbValue value) throws RdbFormatException {
        return decode(value.type(), value.encoded(), 0, value.encoded().length);
    }

    /** Decodes {@code b[off, off+len)}, which must hold exactly one value of {@code type}. */
    public static DecodedValue decode(RdbType type, byte[] b, int off, int len) throws RdbFormatException {
        RdbCursor c = new RdbCursor(b, off, off + len, DEFAULT_MAX_STRING);
        ValueWalker w = ValueWalker.forType(type, true);
        try {
            w.walk(c);
        } catch (Underflow u) {
            throw new RdbFormatException(type + " value truncated: needs " + (c.needEnd() - off) + " bytes, has " + len,
                    c.pos() - off);
        }
        if (c.pos() != off + len) {
            throw new RdbFormatException(type + " value of " + (c.pos() - off) + " bytes (" + (off + len - c.pos())
                    + " extra bytes)", c.pos() - off);
        }
        DecodedValue d = w.takeBatch(true);
        if (d == null) {
            return new DecodedValue.OpaqueValue(java.util.Arrays.copyOfRange(b, off, off + len));
        }
        return d;
    }
}
