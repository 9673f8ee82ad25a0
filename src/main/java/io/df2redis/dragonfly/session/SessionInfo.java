package io.df2redis.dragonfly.session;

/**
 * The master's answer to {@code REPLCONF capa dragonfly}: a new replication session.
 *
 * @param masterId the master's replication id (40 hex chars; a restarted master has a new one)
 * @param syncId the session id as the master spells it, {@code SYNC<n>}
 * @param numFlows number of flows = master shards
 * @param protocolVersion the protocol level integer the master advertised, or -1 (3-element reply,
 *     masters up to v1.3)
 * @param lineageId the lineage id (v1.40+), else the master id
 */
public record SessionInfo(String masterId, String syncId, int numFlows, int protocolVersion, String lineageId) {

    /** The same session with another flow count (for tests and planning). */
    public SessionInfo withFlows(int n) {
        return new SessionInfo(masterId, syncId, n, protocolVersion, lineageId);
    }

    public boolean hasProtocolVersion() {
        return protocolVersion >= 0;
    }
}
