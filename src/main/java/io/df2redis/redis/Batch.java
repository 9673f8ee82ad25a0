package io.df2redis.redis;

/** The entries of one socket write, in order: {@link Pending} commands and {@link ControlOp}s. */
final class Batch {
    final Object[] entries;
    int size;
    /** Stream position of entries[0] on its connection (entry i is at firstSeq + i). */
    long firstSeq;
    /** Set by the sending thread once the bytes were handed to the socket. */
    volatile boolean written;

    Batch(int capacity) {
        entries = new Object[capacity];
    }

    void add(Object e) {
        entries[size++] = e;
    }
}
