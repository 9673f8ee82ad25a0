package io.df2redis.dragonfly.encode;

import io.df2redis.dragonfly.rdb.RdbBytes;

/** Recognises the canonical decimal text of an integer, as Redis's {@code string2ll} does ({@link RdbBytes#parseLong}). */
final class IntegerText {
    static final long NOT_AN_INTEGER = Long.MIN_VALUE;

    private IntegerText() {}

    /**
     * @return the value when {@code s} is a canonical int64 decimal (no sign but '-', no leading
     *     zero, not "-0") of at most {@code maxLen} bytes, else {@link #NOT_AN_INTEGER} (which is
     *     therefore never reported as a value)
     */
    static long parseCanonical(byte[] s, int maxLen) {
        Long v = s.length <= maxLen ? RdbBytes.parseLong(s) : null;
        return v == null ? NOT_AN_INTEGER : v;
    }
}
