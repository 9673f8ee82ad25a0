package io.df2redis.redis;

/**
 * Back-pressure: counts commands (and bytes) submitted and not yet finished (acknowledged or
 * reported failed). {@link #acquire} blocks the submitting thread at the limits; {@link #awaitEmpty}
 * is the heart of flush.
 */
final class OutstandingBudget {
    private final int maxCommands;
    private final long maxBytes;
    private int commands;
    private long bytes;
    private boolean closed;

    OutstandingBudget(int maxCommands, long maxBytes) {
        this.maxCommands = maxCommands;
        this.maxBytes = maxBytes;
    }

    /** The charge a command of {@code weight} bytes takes: one larger than the budget still fits alone. */
    long chargeOf(int weight) {
        return Math.min(weight, maxBytes);
    }

    synchronized void acquire(long charge) throws InterruptedException {
        while (!closed && (commands >= maxCommands || (commands > 0 && bytes + charge > maxBytes))) {
            wait();
        }
        checkOpen();
        commands++;
        bytes += charge;
    }

    synchronized void release(int n, long charges) {
        if (n == 0) {
            return;
        }
        commands -= n;
        bytes -= charges;
        notifyAll();
    }

    synchronized void awaitEmpty() throws InterruptedException {
        while (!closed && commands > 0) {
            wait();
        }
        checkOpen();
    }

    synchronized int outstanding() {
        return commands;
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the writer is closed");
        }
    }
}
