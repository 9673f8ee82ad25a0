package io.df2redis.redis;

/**
 * A submitted command on its way: its place in its slot's order and its retry state. Fields are
 * guarded by the slot's lock (see {@link SlotTable}), except while the command sits in exactly one
 * connection's queue or batch, which then owns it.
 */
final class Pending {
    final RedisCommand command;
    /** Bytes charged against the outstanding budget (the command's weight, capped at the budget). */
    final long charge;
    /** Position in its slot's order (assigned under the slot lock at submit). */
    long seq;
    /** Deliveries that failed and had to be resent (redirected, refused for now, outcome unknown). */
    int attempts;
    /** When it first failed transiently (System.nanoTime), 0 if never. */
    long firstFailureNanos;
    /** Set by an ASK reply: the node to resend to, with ASKING. */
    NodeAddress askTarget;
    /** Send ASKING right before it (an ASK resend). */
    boolean asking;
    /** Released alone, ahead of its held slot, to find out whether the node accepts writes again. */
    boolean probe;
    /** Last transient error reply, or the connection problem. */
    String lastError;
    boolean lastErrorWasConnection;
    NodeAddress lastNode;
    /**
     * The connection it was last written on and its place in that connection's stream: set when a
     * reply to it needs them (a failure, or a success while its slot is held), not on the fast path.
     */
    PipelinedConnection sentOn;
    long sendSeq;

    Pending(RedisCommand command, long charge) {
        this.command = command;
        this.charge = charge;
    }

    int slot() {
        return command.slot();
    }
}
