package io.df2redis.dragonfly.stream;

import java.util.Arrays;

/** A growable byte buffer holding bytes that wait for more input. */
final class ByteAcc {
    byte[] a;
    int len;

    ByteAcc(int initial) {
        a = new byte[initial];
    }

    void append(byte[] src, int off, int n) {
        ensure(len + n);
        System.arraycopy(src, off, a, len, n);
        len += n;
    }

    void ensure(int cap) {
        if (cap > a.length) {
            a = Arrays.copyOf(a, Math.max(cap, (int) Math.min(Integer.MAX_VALUE - 16, a.length * 2L)));
        }
    }

    /** Drops the first {@code n} bytes. */
    void discard(int n) {
        if (n >= len) {
            len = 0;
        } else if (n > 0) {
            System.arraycopy(a, n, a, 0, len - n);
            len -= n;
        }
    }

    void clear() {
        len = 0;
    }

    /** Releases a big backing array once it is no longer needed. */
    void shrink(int max) {
        if (len == 0 && a.length > max) {
            a = new byte[max];
        }
    }

    boolean isEmpty() {
        return len == 0;
    }
}
