package io.df2redis.redis;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a lost connection lost acknowledged writes. A node that had acknowledged
 * unconfirmed writes when its connection broke is a suspect; it is cleared when the writer reconnects
 * to the same process (same run_id, still a primary), and reported as a {@link PossibleLoss} when the
 * process changed or the topology no longer lists it as a primary.
 */
final class LossTracker implements Router.Observer {
    private static final Logger LOG = LoggerFactory.getLogger(LossTracker.class);

    private record Suspect(long acknowledged, String runId, String cause) {}

    private final Map<NodeAddress, Suspect> suspects = new HashMap<>();
    private final boolean waitEnabled;
    private final Consumer<PossibleLoss> report;

    LossTracker(boolean waitEnabled, Consumer<PossibleLoss> report) {
        this.waitEnabled = waitEnabled;
        this.report = report;
    }

    /**
     * A connection to {@code node}, opened to the process {@code runId}, broke while {@code unconfirmed}
     * of its acknowledged writes were not known to be replicated. If the writer already reconnected to
     * another process there, that is reported at once; otherwise the node stays a suspect until a
     * reconnect or the topology settles it.
     */
    void connectionLost(Node node, String runId, long unconfirmed, String cause) {
        String current = node.runId;
        if (runId != null && current != null && !current.equals(runId)) {
            report.accept(new PossibleLoss(node.address, unconfirmed, waitEnabled, "connection lost (" + cause
                    + "); the process was replaced (run_id " + runId + " -> " + current + ")"));
            return;
        }
        synchronized (this) {
            Suspect old = suspects.get(node.address);
            suspects.put(node.address, new Suspect(unconfirmed + (old == null ? 0 : old.acknowledged), old == null ? runId : old.runId, cause));
        }
    }

    /** Nodes still under suspicion. */
    synchronized java.util.List<NodeAddress> suspects() {
        return java.util.List.copyOf(suspects.keySet());
    }

    @Override
    public void connected(Node node, String runId, boolean primary) {
        PossibleLoss loss = null;
        synchronized (this) {
            Suspect s = suspects.get(node.address);
            if (s == null) {
                return;
            }
            if (s.runId != null && s.runId.equals(runId) && primary) {
                suspects.remove(node.address);
                LOG.info("{} is the same process as before its connection broke: its {} acknowledged writes are still there",
                        node.address, s.acknowledged);
                return;
            }
            suspects.remove(node.address);
            loss = new PossibleLoss(node.address, s.acknowledged, waitEnabled,
                    "connection lost (" + s.cause + "); " + (runId == null || s.runId == null
                            ? "the node's identity cannot be checked (INFO not allowed)"
                            : !s.runId.equals(runId) ? "the process was replaced (run_id " + s.runId + " -> " + runId + ")"
                            : "the node is no longer a primary"));
        }
        report.accept(loss);
    }

    @Override
    public void primaries(Set<NodeAddress> primaries) {
        Map<NodeAddress, Suspect> gone = new HashMap<>();
        synchronized (this) {
            for (Iterator<Map.Entry<NodeAddress, Suspect>> it = suspects.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<NodeAddress, Suspect> e = it.next();
                if (!primaries.contains(e.getKey())) {
                    gone.put(e.getKey(), e.getValue());
                    it.remove();
                }
            }
        }
        gone.forEach((a, s) -> report.accept(new PossibleLoss(a, s.acknowledged, waitEnabled,
                "connection lost (" + s.cause + "); the topology no longer lists it as a primary (primaries now: " + primaries + ")")));
    }
}
