package io.df2redis.dragonfly.rdb;

/**
 * Thrown by {@link RdbCursor} when a read needs bytes beyond the end of its window. Not an error:
 * the caller keeps the unconsumed bytes and retries when {@link RdbCursor#needEnd()} is reached.
 * One shared instance without a stack trace, so a retry costs next to nothing.
 */
public final class Underflow extends RuntimeException {
    static final Underflow INSTANCE = new Underflow();

    private Underflow() {
        super("need more input", null, false, false);
    }
}
