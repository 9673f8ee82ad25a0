package io.df2redis.testing.redis;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or a deadline passes (then fails with what was last seen). */
public final class Await {
    private Await() {}

    /**
     * @param check returns null when the condition holds, else a description of what it saw
     */
    public static void until(Duration timeout, String what, Callable<String> check) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen = "not checked";
        while (true) {
            try {
                seen = check.call();
                if (seen == null) {
                    return;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                seen = e.toString();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out after " + timeout.toMillis() + " ms waiting for " + what + "; last seen: " + seen);
            }
            Thread.sleep(25);
        }
    }
}
