package io.df2redis.dragonfly.encode;

/** Recognises the canonical decimal text of an integer, as Redis's {@code string2ll} does. */
final class IntegerText {
    static final long NOT_AN_INTEGER = Long.MIN_VALUE;

    private IntegerText() {}

    /**
     * @return the value when {@code s} is a canonical int64 decimal (no sign but '-', no leading
     *     zero, not "-0") of at most {@code maxLen} bytes, else {@link #NOT_AN_INTEGER} (which is
     *     therefore never reported as a value)
     */
    static long parseCanonical(byte[] s, int maxLen) {
        int n = s.length;
        if (n == 0 || n > maxLen || n > 20) {
            return NOT_AN_INTEGER;
        }
        int i = 0;
        boolean neg = false;
        if (s[0] == '-') {
            neg = true;
            i = 1;
            if (n == 1) {
                return NOT_AN_INTEGER;
            }
        }
        if (s[i] == '0') {
            return n == 1 ? 0 : NOT_AN_INTEGER;
        }
        long v = 0;
        for (; i < n; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return NOT_AN_INTEGER;
            }
            // Accumulate negatively so that Long.MIN_VALUE's magnitude fits.
            if (v < (Long.MIN_VALUE + d) / 10) {
                return NOT_AN_INTEGER;
            }
            v = v * 10 - d;
        }
        if (neg) {
            return v == Long.MIN_VALUE ? NOT_AN_INTEGER : v;
        }
        return v == Long.MIN_VALUE ? NOT_AN_INTEGER : -v;
    }
}
