package io.df2redis.redis;

/**
 * Writes a node acknowledged may be gone: the node's process was replaced (killed, restarted,
 * failed over) before those writes were confirmed by {@code WAIT} on its replicas, or, without
 * {@code WAIT}, at all. Reported so that the caller can replay from its last checkpoint; the writer
 * itself cannot know which of them survived.
 *
 * @param node the node that acknowledged the writes
 * @param acknowledgedSinceConfirmation writes it acknowledged since the last successful flush
 *     (with {@code WAIT}: since the last {@code WAIT} that confirmed them); without {@code WAIT}
 *     earlier acknowledged writes may be lost as well
 * @param waitEnabled whether flushes confirm writes with {@code WAIT}
 * @param detail what was observed (connection refused, new run id, no longer a primary…)
 */
public record PossibleLoss(NodeAddress node, long acknowledgedSinceConfirmation, boolean waitEnabled, String detail) {

    @Override
    public String toString() {
        return "possible loss of writes acknowledged by " + node + ": " + acknowledgedSinceConfirmation
                + " since the last " + (waitEnabled ? "WAIT confirmation" : "flush (earlier unreplicated writes may be lost too)")
                + "; " + detail;
    }
}
