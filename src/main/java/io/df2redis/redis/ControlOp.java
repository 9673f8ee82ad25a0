package io.df2redis.redis;

import io.df2redis.resp.RespReply;
import java.util.concurrent.CompletableFuture;

/** A command the writer itself puts into a connection's stream: ASKING before an ASK resend, WAIT for a flush. */
final class ControlOp {
    enum Kind { ASKING, WAIT }

    static final ControlOp ASKING = new ControlOp(Kind.ASKING, new byte[][] {RedisConnection.bytes("ASKING")}, null);

    final Kind kind;
    final byte[][] args;
    /** Completed with the reply (WAIT only). */
    final CompletableFuture<RespReply> result;

    private ControlOp(Kind kind, byte[][] args, CompletableFuture<RespReply> result) {
        this.kind = kind;
        this.args = args;
        this.result = result;
    }

    static ControlOp waitFor(int replicas, long timeoutMillis) {
        return new ControlOp(Kind.WAIT, new byte[][] {
            RedisConnection.bytes("WAIT"), RedisConnection.bytes(Integer.toString(replicas)), RedisConnection.bytes(Long.toString(timeoutMillis))
        }, new CompletableFuture<>());
    }

    @Override
    public String toString() {
        return kind.name();
    }
}
