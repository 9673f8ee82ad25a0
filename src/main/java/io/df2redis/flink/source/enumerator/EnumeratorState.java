package io.df2redis.flink.source.enumerator;

import java.util.Set;
import java.util.TreeSet;

/**
 * What the enumerator checkpoints. Flow positions live in the readers' split state; here only what
 * the job as a whole must remember across restarts.
 *
 * @param epoch the last epoch started (the next one is epoch + 1)
 * @param numFlows the flow count the job was built for (0 before the first handshake)
 * @param targetPrepared whether a full sync has been started in this job (later ones are logged
 *     as resyncs; every full sync resets the writers)
 * @param unassignedFlows flows not yet handed to a reader
 */
public record EnumeratorState(int epoch, int numFlows, boolean targetPrepared, Set<Integer> unassignedFlows) {
    public EnumeratorState {
        unassignedFlows = Set.copyOf(new TreeSet<>(unassignedFlows));
    }
}
