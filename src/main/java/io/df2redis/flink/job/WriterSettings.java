package io.df2redis.flink.job;

import io.df2redis.redis.FailureHandler;
import io.df2redis.redis.RedisTarget;
import io.df2redis.redis.TlsOptions;
import io.df2redis.redis.WriterConfig;
import java.nio.file.Path;

/** The job's {@code target.*} and {@code writer.*} settings as the writer's own objects. */
public final class WriterSettings {
    private WriterSettings() {}

    public static RedisTarget target(JobSettings s) {
        RedisTarget t = RedisTarget.parse(s.targetUrl().toString());
        switch (s.get(Df2RedisOptions.TARGET_CLUSTER)) {
            case CLUSTER:
                t = t.withMode(RedisTarget.Mode.CLUSTER);
                break;
            case STANDALONE:
                t = t.withMode(RedisTarget.Mode.STANDALONE);
                break;
            default:
                break;
        }
        if (t.tlsEnabled()) {
            String ca = s.get(Df2RedisOptions.TARGET_TLS_CA_FILE);
            t = t.withTls(ca == null ? TlsOptions.systemDefault() : TlsOptions.caFile(Path.of(ca)));
        }
        return t.withClientName("df2redis");
    }

    /** @param failures what a refused command does (null: the writer's default, fail) */
    public static WriterConfig writerConfig(JobSettings s, FailureHandler failures) {
        WriterConfig.Builder b = WriterConfig.builder()
                .connectionsPerNode(s.get(Df2RedisOptions.WRITER_CONNECTIONS_PER_NODE))
                .batch(s.get(Df2RedisOptions.WRITER_BATCH_MAX_COMMANDS), s.get(Df2RedisOptions.WRITER_BATCH_MAX_BYTES))
                .maxInFlightBatches(s.get(Df2RedisOptions.WRITER_MAX_IN_FLIGHT_BATCHES))
                // Well below WriterConfig's own default: what waits here lives long enough to be copied by
                // every young GC; a few in-flight windows are enough to keep Redis busy (benchmarks/README.md).
                .maxOutstanding(s.get(Df2RedisOptions.WRITER_MAX_OUTSTANDING_COMMANDS), s.get(Df2RedisOptions.WRITER_MAX_OUTSTANDING_BYTES))
                .rateLimit(s.get(Df2RedisOptions.WRITER_RATE_LIMIT_OPS), s.get(Df2RedisOptions.WRITER_RATE_LIMIT_BYTES));
        int replicas = s.waitReplicas();
        if (replicas < 0) {
            b.waitForReplicasWhereAny(s.get(Df2RedisOptions.WRITER_WAIT_TIMEOUT));
        } else {
            b.waitForReplicas(replicas, s.get(Df2RedisOptions.WRITER_WAIT_TIMEOUT));
        }
        if (failures != null) {
            b.failureHandler(failures);
        }
        return b.build();
    }

    /** What the translation needs to know of the probed target. */
    public static io.df2redis.translate.TargetProfile profile(io.df2redis.redis.TargetCapabilities caps) {
        java.util.Set<String> modules = new java.util.HashSet<>();
        for (String m : caps.modules()) {
            int slash = m.indexOf('/');
            modules.add(slash < 0 ? m : m.substring(0, slash));
        }
        return io.df2redis.translate.TargetProfile.of(caps.version(), caps.restoreRdbVersion(), caps.cluster(), modules);
    }

    /** The target as the operator wrote it, without credentials. */
    public static String describe(JobSettings s) {
        return target(s).toString();
    }
}
