package io.df2redis.flink.sink;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.flink.record.ReplicationRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The per-writer half of the global-command and epoch-reset barriers (DESIGN §4), without I/O.
 *
 * <p>A FLUSHALL/FLUSHDB reaches every writer as one copy per flow. Records of a flow that already
 * delivered its copy come after the flush in that flow's order, so they wait here until the copies
 * of all flows have arrived; then the flush runs once and the held records follow in arrival order.
 * Records of flows that have not delivered their copy yet are from before the flush and are applied
 * at once. Nothing blocks: the enumerator keeps the readers from running ahead of a global command,
 * which bounds what is held here.
 *
 * <p>An epoch reset (start of a full sync) drops every later record of an older epoch, and clears
 * the writer's slots first when asked.
 */
public final class WriterBarriers {

    /** What the barrier asks the writer to do, in order. */
    public interface Actions {
        void apply(ReplicationRecord record) throws Exception;

        /**
         * Run a FLUSHALL/FLUSHDB for this writer's part of the target; {@code lsnByFlow} is the
         * command's LSN on each flow (flows without one are left out).
         */
        void applyGlobal(FlowEvent.GlobalCommand command, Map<Integer, Long> lsnByFlow) throws Exception;

        /** A full sync of {@code epoch} begins; clear this writer's part of the target if asked. */
        void resetEpoch(int epoch, boolean clearTarget) throws Exception;

        /** A record of an older epoch was dropped. */
        void dropped(ReplicationRecord record);
    }

    private int resetEpoch;
    private long pendingTxid = -1;
    private int pendingFlowsNeeded;
    private final List<ReplicationRecord> pendingCopies = new ArrayList<>();
    private final Set<Integer> pendingFlowsArrived = new HashSet<>();
    private final Deque<ReplicationRecord> held = new ArrayDeque<>();

    public WriterBarriers() {}

    /**
     * Restores a barrier from writer state: the epoch and the records of {@link
     * #stateForCheckpoint()}, which are re-offered (they only rebuild the pending global; nothing
     * runs, since the global was incomplete when the checkpoint was taken).
     */
    public static WriterBarriers restore(int resetEpoch, List<ReplicationRecord> state, Actions actions) throws Exception {
        WriterBarriers b = new WriterBarriers();
        b.resetEpoch = resetEpoch;
        for (ReplicationRecord r : state) {
            b.offer(r, actions);
        }
        return b;
    }

    public void offer(ReplicationRecord record, Actions actions) throws Exception {
        if (record.epoch() < resetEpoch) {
            actions.dropped(record);
            return;
        }
        if (record.kind() == ReplicationRecord.Kind.EPOCH_RESET) {
            // Never held: a resync supersedes a global that may now never complete.
            if (record.epoch() > resetEpoch) {
                resetEpoch = record.epoch();
                abandonPendingGlobal(actions);
                actions.resetEpoch(resetEpoch, record.clearTarget());
            }
            return;
        }
        if (pendingTxid >= 0 && pendingFlowsArrived.contains(record.flow())) {
            held.addLast(record);
            return;
        }
        switch (record.kind()) {
            case GLOBAL:
                arriveAtGlobal(record, actions);
                return;
            default:
                actions.apply(record);
        }
    }

    private void arriveAtGlobal(ReplicationRecord record, Actions actions) throws Exception {
        FlowEvent.GlobalCommand cmd = (FlowEvent.GlobalCommand) record.event();
        if (pendingTxid < 0) {
            pendingTxid = cmd.txid();
            pendingFlowsNeeded = record.barrierFlows();
        } else if (pendingTxid != cmd.txid()) {
            throw new IllegalStateException("flow " + record.flow() + " delivered global command txid " + cmd.txid()
                    + " while txid " + pendingTxid + " still waits for flows " + missingFlows());
        }
        pendingCopies.add(record);
        pendingFlowsArrived.add(record.flow());
        if (pendingFlowsArrived.size() < pendingFlowsNeeded) {
            return;
        }
        Map<Integer, Long> lsnByFlow = new TreeMap<>();
        for (ReplicationRecord copy : pendingCopies) {
            if (((FlowEvent.GlobalCommand) copy.event()).lsn() >= 0) {
                lsnByFlow.put(copy.flow(), copy.seq());
            }
        }
        clearPending();
        actions.applyGlobal(cmd, lsnByFlow);
        // Records held behind the flush follow in arrival order (and may hold again at the next one).
        List<ReplicationRecord> release = new ArrayList<>(held);
        held.clear();
        for (ReplicationRecord r : release) {
            offer(r, actions);
        }
    }

    private void abandonPendingGlobal(Actions actions) {
        // A full resync supersedes whatever was waiting: those records belong to an older epoch.
        for (ReplicationRecord r : held) {
            actions.dropped(r);
        }
        held.clear();
        clearPending();
    }

    private void clearPending() {
        pendingTxid = -1;
        pendingFlowsNeeded = 0;
        pendingCopies.clear();
        pendingFlowsArrived.clear();
    }

    private String missingFlows() {
        List<Integer> missing = new ArrayList<>();
        for (int f = 0; f < pendingFlowsNeeded; f++) {
            if (!pendingFlowsArrived.contains(f)) {
                missing.add(f);
            }
        }
        return missing.toString();
    }

    public int resetEpoch() {
        return resetEpoch;
    }

    /** The copies of a pending global and the records held behind it, for the writer's checkpoint. */
    public List<ReplicationRecord> stateForCheckpoint() {
        List<ReplicationRecord> state = new ArrayList<>(pendingCopies);
        state.addAll(held);
        return state;
    }

    /** The pending global command: its txid, the flows whose copy arrived (with their epoch), the flows missing. */
    public String describePending() {
        StringBuilder sb = new StringBuilder("txid " + pendingTxid + ", copies from");
        for (ReplicationRecord r : pendingCopies) {
            sb.append(" flow ").append(r.flow()).append(" (epoch ").append(r.epoch()).append(')');
        }
        return sb.append(", waiting for flows ").append(missingFlows()).toString();
    }

    public int heldCount() {
        return held.size();
    }

    public boolean globalPending() {
        return pendingTxid >= 0;
    }
}
