package io.df2redis.redis;

import java.nio.charset.StandardCharsets;

/**
 * A command that did not get applied and will not be retried.
 *
 * @param command the command as submitted (its {@code key} and {@code db} name what was not written)
 * @param reason why
 * @param reply Redis's error reply (without the dash) for {@link Reason#REFUSED} and
 *     {@link Reason#RETRIES_EXHAUSTED}, or a description of the connection problem
 * @param node the node that replied or could not be reached
 * @param attempts how many times the command was sent
 */
public record CommandFailure(RedisCommand command, Reason reason, String reply, NodeAddress node, int attempts) {

    public enum Reason {
        /** Redis answered with an error that retrying cannot fix (WRONGTYPE, unknown command, CROSSSLOT, NOPERM, OOM, a bad value…). */
        REFUSED,
        /** Redis kept answering with a transient error (TRYAGAIN, CLUSTERDOWN, LOADING, BUSY, MOVED loops…) for longer than the retry budget. */
        RETRIES_EXHAUSTED,
        /** No connection to the slot's node could be made within the retry budget. */
        UNREACHABLE
    }

    public byte[] key() {
        return command.key();
    }

    public String keyText() {
        return new String(command.key(), StandardCharsets.UTF_8);
    }

    /** First word of the reply ({@code WRONGTYPE}, {@code ERR}, {@code CROSSSLOT}…), or the reason's name. */
    public String code() {
        if (reason == Reason.UNREACHABLE || reply == null || reply.isEmpty()) {
            return reason.name();
        }
        int sp = reply.indexOf(' ');
        return sp < 0 ? reply : reply.substring(0, sp);
    }

    /** Metric label: {@code REFUSED:WRONGTYPE}, {@code RETRIES_EXHAUSTED:TRYAGAIN}, {@code UNREACHABLE}. */
    public String label() {
        return reason == Reason.UNREACHABLE ? reason.name() : reason.name() + ":" + code();
    }

    @Override
    public String toString() {
        return command.name() + " on key '" + keyText() + "' (db " + command.db() + ", slot " + command.slot() + ") "
                + reason + (node != null ? " at " + node : "") + ": " + reply + " [" + attempts + " attempt(s)]";
    }
}
