package io.df2redis.redis;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Limits submitted commands per second and bytes per second (either may be 0 = unlimited). Allows a
 * burst of 50 ms worth after idling; blocks the caller otherwise.
 */
final class RateLimiter {
    private static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private final double nanosPerOp;
    private final double nanosPerByte;
    private double opsClock;
    private double bytesClock;

    RateLimiter(long opsPerSecond, long bytesPerSecond) {
        this.nanosPerOp = opsPerSecond > 0 ? 1e9 / opsPerSecond : 0;
        this.nanosPerByte = bytesPerSecond > 0 ? 1e9 / bytesPerSecond : 0;
        long now = System.nanoTime();
        this.opsClock = now;
        this.bytesClock = now;
    }

    static RateLimiter of(long opsPerSecond, long bytesPerSecond) {
        return opsPerSecond == 0 && bytesPerSecond == 0 ? null : new RateLimiter(opsPerSecond, bytesPerSecond);
    }

    void acquire(int bytes) throws InterruptedException {
        long sleep;
        synchronized (this) {
            long now = System.nanoTime();
            opsClock = Math.max(opsClock, now - BURST_NANOS) + nanosPerOp;
            bytesClock = Math.max(bytesClock, now - BURST_NANOS) + nanosPerByte * bytes;
            sleep = (long) Math.max(opsClock, bytesClock) - now;
        }
        while (sleep > 0) {
            long start = System.nanoTime();
            LockSupport.parkNanos(this, sleep);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            sleep -= System.nanoTime() - start;
        }
    }
}
