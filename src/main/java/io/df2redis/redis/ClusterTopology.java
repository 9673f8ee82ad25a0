package io.df2redis.redis;

import io.df2redis.resp.RespProtocolException;
import io.df2redis.resp.RespReply;
import java.util.List;

/** Reads which primary serves each slot from {@code CLUSTER SHARDS} (7.0+) or {@code CLUSTER SLOTS}. */
final class ClusterTopology {
    private ClusterTopology() {}

    /**
     * Slot owners from a {@code CLUSTER SHARDS} reply; {@code null} where no healthy primary serves
     * the slot. With TLS the node's {@code tls-port} is used when it has one.
     */
    static NodeAddress[] fromShards(RespReply reply, boolean tls) {
        NodeAddress[] owners = new NodeAddress[Slots.COUNT];
        for (RespReply shard : reply.asArray()) {
            List<RespReply> fields = shard.asArray();
            List<RespReply> slots = null;
            List<RespReply> nodes = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String name = fields.get(i).asText();
                if (name.equals("slots")) {
                    slots = fields.get(i + 1).asArray();
                } else if (name.equals("nodes")) {
                    nodes = fields.get(i + 1).asArray();
                }
            }
            if (slots == null || nodes == null || slots.isEmpty()) {
                continue;
            }
            NodeAddress primary = null;
            for (RespReply n : nodes) {
                List<RespReply> nf = n.asArray();
                String role = null;
                String health = null;
                String ip = null;
                String endpoint = null;
                int port = -1;
                int tlsPort = -1;
                for (int i = 0; i + 1 < nf.size(); i += 2) {
                    String k = nf.get(i).asText();
                    RespReply v = nf.get(i + 1);
                    switch (k) {
                        case "role" -> role = v.asText();
                        case "health" -> health = v.asText();
                        case "ip" -> ip = v.asText();
                        case "endpoint" -> endpoint = v.asText();
                        case "port" -> port = (int) v.asLong();
                        case "tls-port" -> tlsPort = (int) v.asLong();
                        default -> { }
                    }
                }
                if (!"master".equals(role) || "fail".equals(health)) {
                    continue;
                }
                String host = endpoint != null && !endpoint.isEmpty() && !endpoint.equals("?") ? endpoint : ip;
                int p = tls && tlsPort > 0 ? tlsPort : port;
                if (host == null || p <= 0) {
                    continue;
                }
                NodeAddress a = new NodeAddress(host, p);
                // Two primaries claiming one shard happen for a moment during a failover: prefer the online one.
                if (primary == null || "online".equals(health)) {
                    primary = a;
                }
            }
            if (primary == null) {
                continue;
            }
            for (int i = 0; i + 1 < slots.size(); i += 2) {
                int from = (int) slots.get(i).asLong();
                int to = (int) slots.get(i + 1).asLong();
                checkRange(from, to);
                for (int s = from; s <= to; s++) {
                    owners[s] = primary;
                }
            }
        }
        return owners;
    }

    /** Slot owners from a {@code CLUSTER SLOTS} reply (each range: start, end, [host, port, id…], replicas…). */
    static NodeAddress[] fromSlots(RespReply reply) {
        NodeAddress[] owners = new NodeAddress[Slots.COUNT];
        for (RespReply range : reply.asArray()) {
            List<RespReply> r = range.asArray();
            if (r.size() < 3) {
                throw new RespProtocolException("CLUSTER SLOTS range too short: " + range.describe());
            }
            int from = (int) r.get(0).asLong();
            int to = (int) r.get(1).asLong();
            checkRange(from, to);
            List<RespReply> primary = r.get(2).asArray();
            String host = primary.get(0).asText();
            if (host.isEmpty() || host.equals("?")) {
                continue;
            }
            NodeAddress a = new NodeAddress(host, (int) primary.get(1).asLong());
            for (int s = from; s <= to; s++) {
                owners[s] = a;
            }
        }
        return owners;
    }

    private static void checkRange(int from, int to) {
        if (from < 0 || to >= Slots.COUNT || from > to) {
            throw new RespProtocolException("bad slot range " + from + "-" + to);
        }
    }
}
