package io.df2redis.dragonfly.session;

import java.util.Map;

/**
 * What a source address turned out to be, read from {@code INFO server} and {@code INFO
 * replication}: so that an operator who pointed {@code source.url} at a Redis, at a Dragonfly
 * replica or at something else reads one sentence saying what was found and what is needed, instead
 * of the first command it refused.
 *
 * @param dragonflyVersion {@code dragonfly_version}, or null when absent (not a Dragonfly)
 * @param redisVersion {@code redis_version} (a Dragonfly reports one too), or null
 * @param role {@code role} of INFO replication ({@code master}, {@code replica}/{@code slave}), or null
 */
public record SourceIdentity(String dragonflyVersion, String redisVersion, String role, String masterHost, String masterPort) {

    public static SourceIdentity of(Map<String, String> server, Map<String, String> replication) {
        return new SourceIdentity(server.get("dragonfly_version"), server.get("redis_version"), replication.get("role"),
                replication.get("master_host"), replication.get("master_port"));
    }

    /** Reads both INFO sections on {@code c}; a section refused counts as empty. */
    public static SourceIdentity read(MasterConnection c) throws java.io.IOException {
        return of(info(c, "SERVER"), info(c, "REPLICATION"));
    }

    private static Map<String, String> info(MasterConnection c, String section) throws java.io.IOException {
        io.df2redis.resp.RespReply r = c.call("INFO", section);
        return r instanceof io.df2redis.resp.RespReply.Bulk b ? SessionController.parseInfo(b.text()) : Map.of();
    }

    public boolean replica() {
        return role != null && (role.equalsIgnoreCase("replica") || role.equalsIgnoreCase("slave"));
    }

    /**
     * Why {@code endpoint} cannot be replicated from, as one sentence for the operator, or null when
     * it looks like a Dragonfly master (or cannot be told: the handshake then decides).
     */
    public String problem(DragonflyEndpoint endpoint) {
        if (dragonflyVersion == null && redisVersion != null) {
            return "the source " + endpoint + " is a Redis " + redisVersion + " (its INFO has no dragonfly_version), not a"
                    + " Dragonfly: df2redis reads a Dragonfly master's replication stream (DFLY FLOW); point --source.url at"
                    + " the Dragonfly master";
        }
        if (dragonflyVersion != null && replica()) {
            String master = masterHost == null ? "its master" : masterHost + ":" + masterPort;
            return "the source " + endpoint + " is a Dragonfly " + dragonflyVersion + " replica of " + master + ", not a master:"
                    + " point --source.url at the master (" + master + "), or promote this one first (REPLICAOF NO ONE)";
        }
        return null;
    }
}
