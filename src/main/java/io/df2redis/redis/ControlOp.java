package io.df2redis.redis;

import io.df2redis.resp.RespReply;
import java.util.concurrent.CompletableFuture;

/**
 * A command the writer itself puts into a connection's stream: SELECT before a command of another
 * database, ASKING before an ASK resend, WAIT for a flush.
 */
final class ControlOp {
    enum Kind { SELECT, ASKING, WAIT }

    static final ControlOp ASKING = new ControlOp(Kind.ASKING, new byte[][] {RedisConnection.bytes("ASKING")}, null);
    private static final ControlOp[] SELECTS = new ControlOp[64];

    static {
        for (int db = 0; db < SELECTS.length; db++) {
            SELECTS[db] = newSelect(db);
        }
    }

    final Kind kind;
    final byte[][] args;
    /** Completed with the reply (WAIT only). */
    final CompletableFuture<RespReply> result;

    private ControlOp(Kind kind, byte[][] args, CompletableFuture<RespReply> result) {
        this.kind = kind;
        this.args = args;
        this.result = result;
    }

    static ControlOp select(int db) {
        return db < SELECTS.length ? SELECTS[db] : newSelect(db);
    }

    static ControlOp waitFor(int replicas, long timeoutMillis) {
        return new ControlOp(Kind.WAIT, new byte[][] {
            RedisConnection.bytes("WAIT"), RedisConnection.bytes(Integer.toString(replicas)), RedisConnection.bytes(Long.toString(timeoutMillis))
        }, new CompletableFuture<>());
    }

    private static ControlOp newSelect(int db) {
        return new ControlOp(Kind.SELECT, new byte[][] {RedisConnection.bytes("SELECT"), RedisConnection.bytes(Integer.toString(db))}, null);
    }

    @Override
    public String toString() {
        return kind.name();
    }
}
