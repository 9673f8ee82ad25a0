package io.df2redis.flink.source;

import io.df2redis.dragonfly.flow.FlowConfig;
import io.df2redis.dragonfly.session.ConnectConfig;
import io.df2redis.dragonfly.session.DragonflyEndpoint;
import io.df2redis.dragonfly.session.SessionConfig;
import io.df2redis.flink.job.Df2RedisOptions;
import io.df2redis.flink.job.JobSettings;
import io.df2redis.flink.job.PemTrust;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * What the source needs, in serializable form; the protocol layer's config objects (which hold an
 * SSLContext) are built where they are used.
 *
 * @param numFlows flows (= master shards) the job is built for
 * @param writerParallelism writer subtasks, to address one copy of a global command to each
 * @param maxParallelism the job's pinned max parallelism (key groups), for the same reason
 */
public record DragonflySourceConfig(JobSettings settings, int numFlows, int writerParallelism, int maxParallelism)
        implements Serializable {

    /** The first address of {@code source.url}. */
    public DragonflyEndpoint endpoint() {
        return endpoints().get(0);
    }

    /** Every address of {@code source.url} (the master and its replicas). */
    public java.util.List<DragonflyEndpoint> endpoints() {
        return settings.sourceEndpoints();
    }

    /** How long to wait for a master among several addresses. */
    public java.time.Duration failoverWait() {
        return settings.get(Df2RedisOptions.SOURCE_FAILOVER_WAIT);
    }

    public Df2RedisOptions.Mode mode() {
        return settings.mode();
    }

    public Df2RedisOptions.TargetPolicy targetPolicy() {
        return settings.get(Df2RedisOptions.FULL_SYNC_TARGET_POLICY);
    }

    public ConnectConfig connectConfig() {
        ConnectConfig c = ConnectConfig.defaults().withConnectTimeout(settings.get(Df2RedisOptions.SOURCE_CONNECT_TIMEOUT));
        if (endpoint().tls()) {
            String ca = settings.get(Df2RedisOptions.SOURCE_TLS_CA_FILE);
            c = c.withTls(ca == null ? null : PemTrust.sslContext(Path.of(ca)), true);
        }
        return c;
    }

    public SessionConfig sessionConfig() {
        return SessionConfig.defaults().withConnect(connectConfig()).withClientId("df2redis");
    }

    public FlowConfig flowConfig() {
        String dir = settings.get(Df2RedisOptions.FLOW_SPILL_DIR);
        Path spill = dir != null ? Path.of(dir) : Path.of(System.getProperty("java.io.tmpdir"), "df2redis-spill");
        FlowConfig d = FlowConfig.defaults();
        return d.withMemory(settings.get(Df2RedisOptions.FLOW_BUFFER_BYTES))
                .withSpill(spill, settings.get(Df2RedisOptions.FLOW_SPILL_MAX_BYTES), d.spillFileBytes());
    }

    public int maxValueBytes() {
        return settings.get(Df2RedisOptions.SNAPSHOT_MAX_VALUE_BYTES);
    }
}
