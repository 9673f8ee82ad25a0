package io.df2redis.redis;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Submits commands from a supplier on its own thread until stopped (for faults injected meanwhile). */
final class BackgroundWriter implements AutoCloseable {
    private final RedisWriter writer;
    private final Supplier<RedisCommand> commands;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private final Thread thread;

    BackgroundWriter(RedisWriter writer, Supplier<RedisCommand> commands) {
        this.writer = writer;
        this.commands = commands;
        this.thread = new Thread(this::run, "test-background-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!stop.get()) {
                writer.submit(commands.get());
                submitted.incrementAndGet();
            }
        } catch (Throwable t) {
            error.set(t);
        }
    }

    long submitted() {
        return submitted.get();
    }

    /** Waits until at least {@code n} commands were submitted. */
    void awaitSubmitted(long n) throws InterruptedException {
        long last = submitted.get();
        long since = System.nanoTime();
        boolean dumped = false;
        while (submitted.get() < n) {
            if (!thread.isAlive()) {
                throw new AssertionError("background writer stopped", error.get());
            }
            Thread.sleep(5);
            long now = submitted.get();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (!dumped && System.nanoTime() - since > 10_000_000_000L) {
                dumped = true; // no progress for 10 s: show where every thread is, for the failure that follows
                System.out.println("no progress for 10 s at " + now + " submitted, " + writer.outstanding() + " outstanding; threads:");
                Thread.getAllStackTraces().forEach((t, st) -> {
                    System.out.println("  " + t.getName() + " " + t.getState());
                    for (int i = 0; i < Math.min(st.length, 12); i++) {
                        System.out.println("      at " + st[i]);
                    }
                });
            }
        }
    }

    /** Stops submitting, then flushes; rethrows whatever the thread hit. */
    void stopAndFlush() throws InterruptedException {
        stop.set(true);
        thread.join(120_000);
        if (thread.isAlive()) {
            throw new AssertionError("background writer did not stop");
        }
        if (error.get() != null) {
            throw new AssertionError("background writer failed", error.get());
        }
        writer.flush();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(10_000);
    }
}
