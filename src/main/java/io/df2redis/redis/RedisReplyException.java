package io.df2redis.redis;

import io.df2redis.resp.RespReply;

/** A control command (login, probe, topology, clean-up) got an error reply. */
public class RedisReplyException extends RedisWriteException {
    private final NodeAddress node;
    private final String reply;

    public RedisReplyException(NodeAddress node, String command, RespReply.Error reply) {
        super(command + " on " + node + " failed: " + reply.message());
        this.node = node;
        this.reply = reply.message();
    }

    public NodeAddress node() {
        return node;
    }

    /** The error reply without the leading dash, e.g. {@code WRONGPASS invalid username-password pair}. */
    public String reply() {
        return reply;
    }
}
