package io.df2redis.testing.dfsim;

import io.df2redis.dragonfly.encode.FlowStreamWriter;
import io.df2redis.dragonfly.encode.ValueEncoder;
import java.time.Duration;

/**
 * How the simulated master behaves.
 *
 * @param numFlows shards = flows (generated mode)
 * @param version {@code INFO SERVER dragonfly_version}
 * @param protocolLevel integer advertised in the {@code capa dragonfly} reply (-1 = 3-element reply)
 * @param lineage add the 5th element (lineage id) as v1.40 does
 * @param user ACL user for AUTH, or null; @param password required password, or null
 * @param stallTimeout {@code --replication_timeout}: a flow write blocked longer cancels the session
 * @param backlogEntries per-shard LSN backlog length ({@code --shard_repl_backlog_len})
 * @param backlogTime entries older than this are evicted too; null = no time limit
 * @param loadingFor after start, answer {@code -LOADING} to PING and DFLY for this long
 * @param stream how flows are framed (compression, chunk size, tagged chunks)
 * @param values how values are encoded
 * @param sendBufferBytes SO_SNDBUF of flow sockets (small makes stalls visible sooner)
 * @param flowWriteBytes the largest single socket write of a flow
 */
public record DfSimConfig(
        int numFlows,
        String version,
        int protocolLevel,
        boolean lineage,
        String user,
        String password,
        Duration stallTimeout,
        int backlogEntries,
        Duration backlogTime,
        Duration loadingFor,
        FlowStreamWriter.Options stream,
        ValueEncoder.Options values,
        int sendBufferBytes,
        int flowWriteBytes) {

    public static DfSimConfig defaults() {
        return new DfSimConfig(2, "df-v1.40.0-dfsim", 5, true, null, null, Duration.ofSeconds(30), 8192, null,
                Duration.ZERO, FlowStreamWriter.Options.defaults(), ValueEncoder.Options.defaults(), 64 * 1024, 16 * 1024);
    }

    public DfSimConfig withFlows(int n) {
        return new DfSimConfig(n, version, protocolLevel, lineage, user, password, stallTimeout, backlogEntries, backlogTime,
                loadingFor, stream, values, sendBufferBytes, flowWriteBytes);
    }

    public DfSimConfig withVersion(String v, int level, boolean withLineage) {
        return new DfSimConfig(numFlows, v, level, withLineage, user, password, stallTimeout, backlogEntries, backlogTime,
                loadingFor, stream, values, sendBufferBytes, flowWriteBytes);
    }

    public DfSimConfig withAuth(String u, String p) {
        return new DfSimConfig(numFlows, version, protocolLevel, lineage, u, p, stallTimeout, backlogEntries, backlogTime,
                loadingFor, stream, values, sendBufferBytes, flowWriteBytes);
    }

    public DfSimConfig withStallTimeout(Duration d) {
        return new DfSimConfig(numFlows, version, protocolLevel, lineage, user, password, d, backlogEntries, backlogTime,
                loadingFor, stream, values, sendBufferBytes, flowWriteBytes);
    }

    public DfSimConfig withBacklog(int entries, Duration time) {
        return new DfSimConfig(numFlows, version, protocolLevel, lineage, user, password, stallTimeout, entries, time,
                loadingFor, stream, values, sendBufferBytes, flowWriteBytes);
    }

    public DfSimConfig withLoading(Duration d) {
        return new DfSimConfig(numFlows, version, protocolLevel, lineage, user, password, stallTimeout, backlogEntries,
                backlogTime, d, stream, values, sendBufferBytes, flowWriteBytes);
    }

    public DfSimConfig withStream(FlowStreamWriter.Options s) {
        return new DfSimConfig(numFlows, version, protocolLevel, lineage, user, password, stallTimeout, backlogEntries,
                backlogTime, loadingFor, s, values, sendBufferBytes, flowWriteBytes);
    }

    public DfSimConfig withValues(ValueEncoder.Options v) {
        return new DfSimConfig(numFlows, version, protocolLevel, lineage, user, password, stallTimeout, backlogEntries,
                backlogTime, loadingFor, stream, v, sendBufferBytes, flowWriteBytes);
    }
}
