package io.df2redis.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.testing.dataset.Dataset;
import io.df2redis.testing.dataset.DatasetComparison;
import io.df2redis.testing.dataset.RedisDataset;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.flink.SimDatasets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.util.ExceptionUtils;

/** Waiting for a running job to bring the target to the simulator's data. */
final class JobTestSupport {
    private JobTestSupport() {}

    /** A Redis target of a test: how to dump it and how its dbs map the source's. */
    record Target(String url, Supplier<Dataset> dump, DatasetComparison rules) {}

    /**
     * Polls until the target holds exactly the simulator's data (under the dataset comparison
     * rules), failing with the differences after {@code timeout}, or at once when the job failed.
     */
    static void awaitEqual(DfSim sim, Target target, JobClient job, Duration timeout) throws Exception {
        List<String> diff = awaitEqual(() -> SimDatasets.toDataset(sim.generated().dataset()), target, job, timeout);
        if (diff.isEmpty()) {
            return;
        }
        StringBuilder flows = new StringBuilder();
        long[] offsets = sim.generated().replicaOffsets();
        DfSim.SimSession last = sim.sessions().get(sim.sessions().size() - 1);
        for (int f = 0; f < offsets.length; f++) {
            flows.append(" flow ").append(f).append(": master next LSN ").append(offsets[f])
                    .append(", last ACK ").append(last.flow(f).lastAck());
        }
        assertThat(diff).as("differences between the simulator's data and the target (%s;%s)", last.syncId(), flows).isEmpty();
    }

    /**
     * Polls until the target holds exactly {@code expected} (under the comparison rules); returns
     * the last differences (empty on success) after {@code timeout}; throws the job's failure.
     */
    static List<String> awaitEqual(Supplier<Dataset> expected, Target target, JobClient job, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        List<String> diff = new ArrayList<>();
        while (System.nanoTime() < end) {
            if (job != null && job.getJobStatus().get().isGloballyTerminalState()
                    && job.getJobStatus().get() != org.apache.flink.api.common.JobStatus.FINISHED) {
                job.getJobExecutionResult().get(); // throws the job's failure
            }
            diff = target.rules().now(System.currentTimeMillis(), 0).differences(expected.get(), target.dump().get());
            if (diff.isEmpty()) {
                return diff;
            }
            Thread.sleep(200);
        }
        return diff;
    }

    static Target standalone(String host, int port, String url) {
        return new Target(url, () -> RedisDataset.dumpStandalone(host, port),
                DatasetComparison.rules().ignoreKeyPrefix("__df2redis:"));
    }

    /** A cluster target holds every source db in db 0. */
    static Target cluster(String host, int port, String url) {
        return new Target(url, () -> RedisDataset.dumpCluster(host, port),
                DatasetComparison.rules().ignoreKeyPrefix("__df2redis:").mapDbs(db -> 0));
    }

    /** Waits for {@code job} to fail (an assertion error if it does not) and returns its failure as text. */
    static String awaitFailure(JobClient job, Duration timeout) throws Exception {
        try {
            job.getJobExecutionResult().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return ExceptionUtils.stringifyException(e);
        }
        throw new AssertionError("the job ended without failing");
    }

    /**
     * Cancels {@code job} unless it ended, and waits until it is gone: a cancel is acknowledged
     * before the tasks stop, and a writer still closing could write into the next test's target.
     */
    static void cancelAndAwait(JobClient job) throws Exception {
        if (job == null) {
            return;
        }
        if (!job.getJobStatus().get().isGloballyTerminalState()) {
            job.cancel().get();
        }
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!job.getJobStatus().get().isGloballyTerminalState()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("job " + job.getJobID() + " did not end within 60 s of its cancel");
            }
            Thread.sleep(20);
        }
    }
}
