package io.df2redis.redis;

import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Commands whose replies the caller needs (the rare exchanges of a cross-slot move), run one by one
 * over control connections after the pipelines are flushed. Follows MOVED and ASK, and retries the
 * transient errors with back-off within the writer's retry budget. Not thread-safe.
 */
final class ControlCalls implements AutoCloseable {
    private final Router router;
    private final RedisTarget target;
    private final WriterConfig config;
    private final Map<String, RedisConnection> connections = new HashMap<>();

    ControlCalls(Router router, RedisTarget target, WriterConfig config) {
        this.router = router;
        this.target = target;
        this.config = config;
    }

    List<RespReply> call(List<RedisCommand> commands) throws IOException, InterruptedException {
        List<RespReply> replies = new ArrayList<>(commands.size());
        for (RedisCommand c : commands) {
            replies.add(call(c));
        }
        return replies;
    }

    private RespReply call(RedisCommand c) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + config.retryTimeout.toNanos();
        long backoff = Math.max(1, config.backoffBase.toMillis());
        NodeAddress askTo = null;
        while (true) {
            NodeAddress node = askTo != null ? askTo : router.cluster() ? router.owner(c.slot()) : target.seed();
            RespReply r;
            try {
                if (node == null) {
                    r = new RespReply.Error("CLUSTERDOWN slot " + c.slot() + " is not served");
                } else {
                    RedisConnection conn = connection(node, c.db());
                    if (askTo != null) {
                        conn.call("ASKING");
                    }
                    r = conn.call(c.args());
                }
            } catch (IOException e) {
                drop(node, c.db());
                r = new RespReply.Error("CONNECTION " + e.getMessage());
            }
            askTo = null;
            if (!(r instanceof RespReply.Error err)) {
                return r;
            }
            switch (err.code()) {
                case "MOVED":
                    router.refresh();
                    continue;
                case "ASK":
                    askTo = NodeAddress.parse(err.message().split(" ")[2]);
                    continue;
                case "TRYAGAIN", "CLUSTERDOWN", "LOADING", "BUSY", "CONNECTION":
                    if (System.nanoTime() + backoff * 1_000_000 > deadline) {
                        return r;
                    }
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, Math.max(1, config.backoffMax.toMillis()));
                    if (router.cluster()) {
                        router.refresh();
                    }
                    continue;
                default:
                    return r; // a refusal: the caller reads it
            }
        }
    }

    private RedisConnection connection(NodeAddress node, int db) throws IOException {
        String id = node + "/" + db;
        RedisConnection c = connections.get(id);
        if (c == null) {
            c = RedisConnection.open(node, target);
            if (db != 0) {
                c.callOk("SELECT", Integer.toString(db));
            }
            connections.put(id, c);
        }
        return c;
    }

    private void drop(NodeAddress node, int db) {
        RedisConnection c = connections.remove(node + "/" + db);
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void close() {
        connections.values().forEach(RedisConnection::close);
        connections.clear();
    }
}
