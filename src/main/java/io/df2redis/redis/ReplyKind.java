package io.df2redis.redis;

import io.df2redis.resp.RespReply;

/** What an error reply means for the command that got it. */
enum ReplyKind {
    /** The slot lives elsewhere: update the route, resend there. */
    MOVED,
    /** This key is on the importing node during a migration: resend there with ASKING. */
    ASK,
    /** Retry later on the same route (TRYAGAIN, LOADING, BUSY, NOREPLICAS). */
    TRANSIENT,
    /** Retry later after re-reading the topology (CLUSTERDOWN, MASTERDOWN, READONLY). */
    TRANSIENT_REROUTE,
    /** Retrying cannot help: report with the key. */
    REFUSED;

    static ReplyKind of(RespReply.Error e) {
        return switch (e.code()) {
            case "MOVED" -> MOVED;
            case "ASK" -> ASK;
            case "TRYAGAIN", "LOADING", "BUSY", "NOREPLICAS" -> TRANSIENT;
            case "CLUSTERDOWN", "MASTERDOWN", "READONLY" -> TRANSIENT_REROUTE;
            default -> REFUSED;
        };
    }

    /**
     * The node named by a MOVED/ASK reply ({@code MOVED 3999 127.0.0.1:6381}). Redis 7 writes
     * {@code :port} when it does not know the address clients use: then it is the host we asked.
     */
    static NodeAddress redirectTarget(RespReply.Error e, NodeAddress replied) {
        String[] parts = e.message().split(" ");
        if (parts.length < 3) {
            throw new io.df2redis.resp.RespProtocolException("malformed redirection from " + replied + ": " + e.message());
        }
        String hp = parts[2];
        if (hp.startsWith(":")) {
            return new NodeAddress(replied.host(), Integer.parseInt(hp.substring(1)));
        }
        return NodeAddress.parse(hp);
    }
}
