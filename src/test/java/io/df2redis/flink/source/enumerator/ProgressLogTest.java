package io.df2redis.flink.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.flink.source.event.SessionEvents.FlowProgress;
import io.df2redis.flink.source.split.FlowSplit;
import org.junit.jupiter.api.Test;

/** The enumerator's progress line: full sync against the master's total, then stable with lag. */
class ProgressLogTest {
    @Test
    void aFullSyncShowsKeysOfTheTotalRateAndTimeLeft() {
        ProgressLog p = new ProgressLog(2);
        assertThat(p.line(0)).isNull();
        p.epochStarted(3, true, 1_000);
        p.masterKeys(1_000_000);
        p.progress(new FlowProgress(3, 0, FlowSplit.Phase.FULL_SYNC, 100_000, 10L << 20, 0, 0, false));
        p.progress(new FlowProgress(3, 1, FlowSplit.Phase.FULL_SYNC, 150_000, 15L << 20, 0, 4096, false));
        p.progress(new FlowProgress(2, 1, FlowSplit.Phase.STABLE, 999, 999, 999, 999, false)); // an older epoch's
        assertThat(p.line(11_000)).isEqualTo("progress: epoch 3, full sync: 250000 keys of 1000000 (25.0 %), 25.0 MiB, 25000 keys/s,"
                + " ETA 30 s; flows [snapshot, snapshot]; lag [?, ?] entries; spill 4.0 KiB");
        p.progress(new FlowProgress(3, 0, FlowSplit.Phase.FULL_SYNC, 300_000, 30L << 20, 0, 0, false));
        // The rate is of the last interval: 200 000 keys in 10 s.
        assertThat(p.line(21_000)).contains("450000 keys of 1000000 (45.0 %)").contains(", 20000 keys/s, ETA 28 s;");
        p.progress(new FlowProgress(3, 0, FlowSplit.Phase.STABLE, 500_000, 50L << 20, 0, 0, false));
        p.progress(new FlowProgress(3, 1, FlowSplit.Phase.STABLE, 500_000, 50L << 20, 0, 0, false));
        assertThat(p.snapshotSummary(41_000)).isEqualTo("snapshot read: 1000000 keys (the master had 1000000 at the start),"
                + " 100.0 MiB in 40.0 s (25000 keys/s), up to the stable cut");
    }

    @Test
    void stableSyncShowsTheJournalRateAndTheLagInEntriesAndTime() {
        ProgressLog p = new ProgressLog(2);
        p.epochStarted(4, false, 0);
        p.masterOffsets(new long[] {100, 200}, 1_000);
        p.masterOffsets(new long[] {150, 200}, 6_000);
        p.acked(0, 120);
        p.acked(1, 200);
        p.progress(new FlowProgress(4, 0, FlowSplit.Phase.STABLE, 0, 1000, 5_000, 0, false));
        p.progress(new FlowProgress(4, 1, FlowSplit.Phase.STABLE, 0, 1000, 15_000, 0, false));
        // Flow 0's oldest unacknowledged write (LSN 120) was first seen at the poll of 6 s.
        assertThat(p.line(10_000)).isEqualTo("progress: epoch 4, stable: 20000 journal commands, 2000/s; flows [stable, stable];"
                + " lag [30, 0] entries, oldest unacknowledged write ~4.0 s; spill 0 B");
        p.acked(0, 150);
        assertThat(p.line(20_000)).contains("lag [0, 0] entries, oldest unacknowledged write ~0.0 s");
        p.progress(new FlowProgress(4, 1, FlowSplit.Phase.STABLE, 0, 1000, 15_000, 0, true));
        assertThat(p.line(30_000)).contains("flows [stable, held at a global command]");
    }
}
