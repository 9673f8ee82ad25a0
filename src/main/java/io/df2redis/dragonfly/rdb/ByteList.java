package io.df2redis.dragonfly.rdb;

import java.util.ArrayList;
import java.util.List;

/** Growable batches of decoded elements and their parallel numbers, reset after each take. */
final class ByteList {
    List<byte[]> items = new ArrayList<>();
    double[] doubles = new double[0];
    long[] longs = new long[0];
    int nDoubles;
    int nLongs;

    void add(byte[] b) {
        items.add(b);
    }

    void addDouble(double d) {
        if (nDoubles == doubles.length) {
            doubles = java.util.Arrays.copyOf(doubles, Math.max(16, nDoubles * 2));
        }
        doubles[nDoubles++] = d;
    }

    void addLong(long v) {
        if (nLongs == longs.length) {
            longs = java.util.Arrays.copyOf(longs, Math.max(16, nLongs * 2));
        }
        longs[nLongs++] = v;
    }

    List<byte[]> takeItems() {
        List<byte[]> out = items;
        items = new ArrayList<>();
        return out;
    }

    double[] takeDoubles() {
        double[] out = java.util.Arrays.copyOf(doubles, nDoubles);
        nDoubles = 0;
        return out;
    }

    long[] takeLongs() {
        long[] out = java.util.Arrays.copyOf(longs, nLongs);
        nLongs = 0;
        return out;
    }
}
