package io.df2redis.redis;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Back-pressure: counts commands (and bytes) submitted and not yet finished (acknowledged or
 * reported failed). {@link #acquire} blocks the submitting thread at the limits; {@link #awaitEmpty}
 * is the heart of flush. Both counts live in one atomic word (commands in the high 23 bits, bytes
 * in the low 40), so the path that does not wait takes no lock.
 */
final class OutstandingBudget {
    private static final int BYTE_BITS = 40;
    private static final long BYTE_MASK = (1L << BYTE_BITS) - 1;
    static final int MAX_COMMANDS = (1 << 22) - 1;
    static final long MAX_BYTES = BYTE_MASK / 2;

    private final int maxCommands;
    private final long maxBytes;
    private final AtomicLong state = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile int waiters;
    private volatile boolean closed;

    OutstandingBudget(int maxCommands, long maxBytes) {
        if (maxCommands > MAX_COMMANDS || maxBytes > MAX_BYTES) {
            throw new IllegalArgumentException("outstanding limits too large: at most " + MAX_COMMANDS + " commands and " + MAX_BYTES + " bytes");
        }
        this.maxCommands = maxCommands;
        this.maxBytes = maxBytes;
    }

    /** The charge a command of {@code weight} bytes takes: one larger than the budget still fits alone. */
    long chargeOf(int weight) {
        return Math.min(weight, maxBytes);
    }

    private boolean tryAcquire(long charge) {
        while (true) {
            long s = state.get();
            long commands = s >>> BYTE_BITS;
            long bytes = s & BYTE_MASK;
            if (commands >= maxCommands || (commands > 0 && bytes + charge > maxBytes)) {
                return false;
            }
            if (state.compareAndSet(s, s + (1L << BYTE_BITS) + charge)) {
                return true;
            }
        }
    }

    void acquire(long charge) throws InterruptedException {
        checkOpen();
        if (tryAcquire(charge)) {
            return;
        }
        lock.lock();
        try {
            waiters++;
            try {
                while (!tryAcquire(charge)) {
                    checkOpen();
                    changed.await();
                }
            } finally {
                waiters--;
            }
        } finally {
            lock.unlock();
        }
    }

    void release(int n, long charges) {
        if (n == 0) {
            return;
        }
        state.addAndGet(-(((long) n << BYTE_BITS) + charges));
        if (waiters > 0) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    void awaitEmpty() throws InterruptedException {
        if (state.get() == 0) {
            return;
        }
        lock.lock();
        try {
            waiters++;
            try {
                while (state.get() >>> BYTE_BITS != 0) {
                    checkOpen();
                    changed.await();
                }
            } finally {
                waiters--;
            }
        } finally {
            lock.unlock();
        }
    }

    int outstanding() {
        return (int) (state.get() >>> BYTE_BITS);
    }

    void close() {
        closed = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the writer is closed");
        }
    }
}
