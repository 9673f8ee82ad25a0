package io.df2redis.dragonfly.encode;

import java.util.Arrays;

/** Encodes a Redis intset blob (RDB type 11): u32le width (2, 4 or 8), u32le count, sorted values. */
public final class IntsetEncoder {
    private IntsetEncoder() {}

    public static byte[] encode(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        int width = 2;
        for (long x : v) {
            if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
                width = 8;
                break;
            }
            if (x < Short.MIN_VALUE || x > Short.MAX_VALUE) {
                width = 4;
            }
        }
        RdbWriter w = new RdbWriter(8 + v.length * width);
        w.u32le(width).u32le(v.length);
        for (long x : v) {
            if (width == 2) {
                w.u16le((int) x);
            } else if (width == 4) {
                w.u32le(x);
            } else {
                w.u64le(x);
            }
        }
        return w.toByteArray();
    }
}
