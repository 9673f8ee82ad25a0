package io.df2redis.flink.source.split;

import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * A split is one Dragonfly flow (split id = flow id). Its state is where the flow stands: the epoch
 * it was last read in, the phase, and, once stable, the LSN of the next journal entry still needed
 * and the master it belongs to. That is what a new epoch needs to ask for a PARTIAL resume.
 */
public final class FlowSplit implements SourceSplit {

    public enum Phase {
        /** Never synced: a full sync is needed. */
        NEW,
        /** In a full sync: a restart needs a new full sync. */
        FULL_SYNC,
        /** Past the stable cut: {@link #nextLsn()} is valid for {@link #masterId()}. */
        STABLE,
        /** Snapshot mode only: the flow reached the stable cut and the job is done with it. */
        DONE
    }

    private final int flow;
    private final int epoch;
    private final Phase phase;
    private final long nextLsn;
    private final String masterId;
    private final long lastGlobalTxid;

    public FlowSplit(int flow, int epoch, Phase phase, long nextLsn, String masterId) {
        this(flow, epoch, phase, nextLsn, masterId, -1);
    }

    /**
     * @param lastGlobalTxid txid of the last global command (FLUSHALL…) this flow emitted past, of
     *     {@code masterId}, or -1: a flow restored past a global command will not meet it again, so
     *     the flows restored before it must not wait for this one (DESIGN §6, state complete at every
     *     checkpoint)
     */
    public FlowSplit(int flow, int epoch, Phase phase, long nextLsn, String masterId, long lastGlobalTxid) {
        this.flow = flow;
        this.epoch = epoch;
        this.phase = Objects.requireNonNull(phase);
        this.nextLsn = nextLsn;
        this.masterId = masterId;
        this.lastGlobalTxid = lastGlobalTxid;
    }

    public static FlowSplit fresh(int flow) {
        return new FlowSplit(flow, 0, Phase.NEW, -1, null, -1);
    }

    public static String splitId(int flow) {
        return "flow-" + flow;
    }

    @Override
    public String splitId() {
        return splitId(flow);
    }

    public int flow() {
        return flow;
    }

    public int epoch() {
        return epoch;
    }

    public Phase phase() {
        return phase;
    }

    public long nextLsn() {
        return nextLsn;
    }

    /** The master's replication id (nullable before the first handshake). */
    public String masterId() {
        return masterId;
    }

    /** Txid of the last global command this flow emitted past (of {@link #masterId()}), or -1. */
    public long lastGlobalTxid() {
        return lastGlobalTxid;
    }

    public FlowSplit withProgress(int epoch, Phase phase, long nextLsn, String masterId) {
        return new FlowSplit(flow, epoch, phase, nextLsn, masterId, lastGlobalTxid);
    }

    /** True if this flow could resume with {@code DFLY FLOW … <lsn>} from {@code master}. */
    public boolean canResumeFrom(String master) {
        return phase == Phase.STABLE && nextLsn > 0 && masterId != null && masterId.equals(master);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FlowSplit s)) {
            return false;
        }
        return flow == s.flow && epoch == s.epoch && phase == s.phase && nextLsn == s.nextLsn && Objects.equals(masterId, s.masterId)
                && lastGlobalTxid == s.lastGlobalTxid;
    }

    @Override
    public int hashCode() {
        return Objects.hash(flow, epoch, phase, nextLsn, masterId, lastGlobalTxid);
    }

    @Override
    public String toString() {
        return "FlowSplit{flow=" + flow + ", epoch=" + epoch + ", phase=" + phase + ", nextLsn=" + nextLsn + ", master=" + masterId + ", lastGlobalTxid=" + lastGlobalTxid + '}';
    }
}
