package io.df2redis.testing.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every process the harness starts, so that none outlives the tests: a JVM shutdown hook kills
 * those still running (SIGKILL by PID), and {@link RedisProcessesExtension} stops those a test left
 * behind.
 */
public final class ProcessReaper {
    private static final Map<Long, Entry> LIVE = new LinkedHashMap<>();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private record Entry(long sequence, Process process, String what, Runnable afterKill) {}

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "df2redis-process-reaper"));
    }

    private ProcessReaper() {}

    /** {@code afterKill} (may be null) runs once the process is gone, e.g. to delete its directory. */
    static synchronized void register(Process p, String what, Runnable afterKill) {
        LIVE.put(p.pid(), new Entry(SEQUENCE.incrementAndGet(), p, what, afterKill));
    }

    static synchronized void unregister(Process p) {
        LIVE.remove(p.pid());
    }

    /** A mark: processes started after it can be stopped with {@link #killStartedAfter}. */
    public static long mark() {
        return SEQUENCE.get();
    }

    /** SIGKILLs every registered process started after {@code mark}; returns their descriptions. */
    public static List<String> killStartedAfter(long mark) {
        List<Entry> victims = new ArrayList<>();
        synchronized (ProcessReaper.class) {
            for (Entry e : LIVE.values()) {
                if (e.sequence > mark) {
                    victims.add(e);
                }
            }
        }
        List<String> killed = new ArrayList<>();
        for (Entry e : victims) {
            if (e.process.isAlive()) {
                killed.add(e.what + " (pid " + e.process.pid() + ")");
            }
            kill(e.process);
            unregister(e.process);
            if (e.afterKill != null) {
                e.afterKill.run();
            }
        }
        return killed;
    }

    static void killAll() {
        killStartedAfter(Long.MIN_VALUE);
    }

    static void kill(Process p) {
        p.destroyForcibly(); // SIGKILL to this PID
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
