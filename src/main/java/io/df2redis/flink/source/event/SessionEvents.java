package io.df2redis.flink.source.event;

import io.df2redis.flink.source.split.FlowSplit;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceEvent;

/**
 * The events between the enumerator (session controller, JobManager) and the readers (flow
 * owners, TaskManagers), DESIGN §3. Every event carries the epoch it belongs to; the receiver drops
 * events of an older epoch.
 */
public final class SessionEvents {
    private SessionEvents() {}

    /** Any event of this source. */
    public interface Event extends SourceEvent {
        int epoch();
    }

    /**
     * One flow's position as its reader knows it; {@code lastGlobalTxid} is the txid of the last
     * global command it emitted past (of {@code masterId}), or -1.
     */
    public record FlowPosition(int flow, FlowSplit.Phase phase, long nextLsn, String masterId, long lastGlobalTxid)
            implements java.io.Serializable {}

    // ---------------- reader → enumerator ----------------

    /**
     * The flows a reader owns and where they stand; sent when the reader starts (also after a
     * restore) and after it closed an epoch's flows. {@code epoch} is the reader's last epoch.
     */
    public record FlowsReported(int epoch, List<FlowPosition> flows) implements Event {}

    /** {@code DFLY FLOW} answered FULL or PARTIAL. */
    public record FlowOpened(int epoch, int flow, boolean partial) implements Event {}

    /** The flow's FULLSYNC_END was parsed (journal blobs may still follow). */
    public record StaticDataEnded(int epoch, int flow) implements Event {}

    /** The flow passed JOURNAL_OFFSET, EOF and its token: it is pure journal from now on. */
    public record StableCutReached(int epoch, int flow, long journalOffset) implements Event {}

    /**
     * Where a flow stands in its epoch, for the progress line (sent every few seconds while data
     * flows): keys and bytes of the snapshot so far, journal commands, bytes spilled to disk now.
     */
    public record FlowProgress(int epoch, int flow, FlowSplit.Phase phase, long snapshotKeys, long bytesParsed,
            long journalCommands, long spillBytes, boolean held) implements Event {}

    /**
     * The cut-over asked for {@code DFLY TAKEOVER} (it wrote the request key on the source, which the
     * flow read in its journal): the enumerator issues it on the session's main connection.
     */
    public record TakeoverRequested(int epoch, int flow, String token) implements Event {}

    /** The flow reached a global command (FLUSHALL/FLUSHDB) and holds its records until released. */
    public record GlobalCommandReached(int epoch, int flow, long txid, long lsn) implements Event {}

    /**
     * The flow failed (connection lost, protocol error, spill limit, a FLUSHALL inside the full
     * sync…). {@code needsFullSync} forces the next epoch to be a full sync.
     */
    public record FlowFailed(int epoch, int flow, String cause, boolean needsFullSync) implements Event {}

    /**
     * The reader is failing its task with an error a restart would meet again (full spill, bytes it
     * cannot parse): the enumerator fails the job too, without restarts. The task failure alone can
     * be superseded by a recoverable failover (an event the enumerator sent to the failing task is
     * lost at the same moment), which would restart the job into the same error.
     */
    public record CannotGoOn(int epoch, int flow, String cause) implements Event {}

    /** After a completed checkpoint: the LSN now ACKed on the flow (for the lag metric). */
    public record FlowAcked(int epoch, int flow, long ackedLsn) implements Event {}

    // ---------------- enumerator → reader ----------------

    /**
     * Open the flows of a new session. {@code resumeLsn} maps flow → LSN for a PARTIAL request;
     * empty for a full sync. Every full sync first resets the writers, clearing their slots when
     * {@code clearTarget} (the target policy is not {@code overwrite}): a planned one ({@link
     * #resetWriters()}), and also a flow asked to resume that the master answers FULL (its backlog
     * no longer holds the LSN), which the reader sees only when the flow opens.
     */
    public record OpenFlows(
            int epoch,
            String masterId,
            String syncId,
            int numFlows,
            Map<Integer, Long> resumeLsn,
            boolean clearTarget,
            String masterHost,
            int masterPort,
            String lastMasterId)
            implements Event {
        /**
         * @param masterHost where the session's master is (one of {@code source.url}'s addresses)
         * @param lastMasterId the master the resumed positions belong to when it is not this one: the
         *     flows use the failover form of {@code DFLY FLOW}; null otherwise
         */
        public OpenFlows {
        }

        /** The LSN vector of the failover form (every flow's resume LSN, in flow order). */
        public long[] lsnVector() {
            long[] v = new long[numFlows];
            for (int f = 0; f < numFlows; f++) {
                v[f] = resumeLsn.getOrDefault(f, 0L);
            }
            return v;
        }

        public boolean fullSync() {
            return resumeLsn.isEmpty();
        }

        /** Whether the reader emits an epoch reset to every writer before any flow opens. */
        public boolean resetWriters() {
            return fullSync();
        }
    }

    /** {@code DFLY STARTSTABLE} succeeded (informational: each flow sees its own stable cut). */
    public record StableStarted(int epoch) implements Event {}

    /** Every flow reached the global command {@code txid}: emit it and go on. */
    public record ResumeAfterGlobal(int epoch, long txid) implements Event {}

    /** The session is over: close the epoch's flows and report positions. */
    public record CloseEpoch(int epoch, String reason) implements Event {}

    /**
     * Close the flows and end the input: snapshot mode (every flow reached the stable cut), or the
     * master handed over to this job ({@code DFLY TAKEOVER}) and shut down.
     */
    public record FinishSnapshot(int epoch) implements Event {}
}
