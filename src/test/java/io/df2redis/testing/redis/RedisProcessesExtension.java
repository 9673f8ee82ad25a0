package io.df2redis.testing.redis;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Stops (SIGKILL, by PID) every redis-server a test method started and did not stop, after the
 * method, whatever its outcome; and those started in {@code @BeforeAll} after the class. Use with
 * {@code @ExtendWith(RedisProcessesExtension.class)}. A JVM shutdown hook covers the rest.
 */
public final class RedisProcessesExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RedisProcessesExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("class-mark", ProcessReaper.mark());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("method-mark", ProcessReaper.mark());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        report(context, ProcessReaper.killStartedAfter(context.getStore(NS).get("method-mark", Long.class)));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Long mark = context.getStore(NS).get("class-mark", Long.class);
        report(context, ProcessReaper.killStartedAfter(mark == null ? Long.MIN_VALUE : mark));
    }

    private static void report(ExtensionContext context, List<String> killed) {
        if (!killed.isEmpty()) {
            context.publishReportEntry("killed-leftover-processes", String.join(", ", killed));
        }
    }
}
