package io.df2redis.redis;

/** The entries of one socket write, in order: {@link Pending} commands and {@link ControlOp}s. */
final class Batch {
    final Object[] entries;
    int size;
    /** Set by the sending thread once the bytes were handed to the socket. */
    volatile boolean written;

    Batch(int capacity) {
        entries = new Object[capacity];
    }

    void add(Object e) {
        entries[size++] = e;
    }
}
