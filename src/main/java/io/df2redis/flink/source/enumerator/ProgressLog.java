package io.df2redis.flink.source.enumerator;

import io.df2redis.flink.source.event.SessionEvents.FlowProgress;
import io.df2redis.flink.source.split.FlowSplit;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * The operator's progress line, written by the enumerator every 10 s (JobManager log, and the
 * embedded runner's console): during a full sync the keys done of the master's total, bytes, keys/s
 * and the time left; in stable sync the journal rate and the lag per flow, in entries and as the
 * age of the oldest write the master has not had acknowledged (known to the 5 s of its offset
 * polls); the bytes spilled to disk. Coordinator thread only.
 */
final class ProgressLog {
    private static final int HISTORY = 64;

    private final int flows;
    private final FlowProgress[] latest;
    private final long[] masterNext;
    private final long[] acked;
    /** Per flow: (time ms, master's next LSN) of the offset polls where it changed. */
    private final ArrayDeque<long[]>[] history;
    private int epoch = -1;
    private boolean fullSync;
    private long epochStartMs;
    private long masterKeys = -1;
    private long lastLineMs = -1;
    private long lastKeys;
    private long lastJournal;

    @SuppressWarnings("unchecked")
    ProgressLog(int flows) {
        this.flows = flows;
        this.latest = new FlowProgress[flows];
        this.masterNext = new long[flows];
        this.acked = new long[flows];
        this.history = new ArrayDeque[flows];
        for (int f = 0; f < flows; f++) {
            history[f] = new ArrayDeque<>();
        }
    }

    void epochStarted(int id, boolean full, long nowMs) {
        epoch = id;
        fullSync = full;
        epochStartMs = nowMs;
        java.util.Arrays.fill(latest, null);
        lastLineMs = -1;
        lastKeys = 0;
        lastJournal = 0;
        if (!full) {
            masterKeys = -1;
        }
    }

    void masterKeys(long keys) {
        masterKeys = keys;
    }

    void progress(FlowProgress p) {
        if (p.epoch() == epoch && p.flow() >= 0 && p.flow() < flows) {
            latest[p.flow()] = p;
        }
    }

    void masterOffsets(long[] offsets, long nowMs) {
        for (int f = 0; f < flows && f < offsets.length; f++) {
            if (offsets[f] != masterNext[f]) {
                masterNext[f] = offsets[f];
                history[f].addLast(new long[] {nowMs, offsets[f]});
                if (history[f].size() > HISTORY) {
                    history[f].removeFirst();
                }
            }
        }
    }

    void acked(int flow, long lsn) {
        if (flow >= 0 && flow < flows) {
            acked[flow] = lsn;
        }
    }

    /** The line for now, or null when no epoch runs or nothing was reported yet. */
    String line(long nowMs) {
        if (epoch < 0) {
            return null;
        }
        long keys = 0;
        long bytes = 0;
        long journal = 0;
        long spill = 0;
        boolean snapshotting = false;
        StringBuilder phases = new StringBuilder();
        for (int f = 0; f < flows; f++) {
            FlowProgress p = latest[f];
            phases.append(f == 0 ? "" : ", ").append(p == null ? "opening" : p.held() ? "held at a global command" : phase(p.phase()));
            if (p != null) {
                keys += p.snapshotKeys();
                bytes += p.bytesParsed();
                journal += p.journalCommands();
                spill += p.spillBytes();
                snapshotting |= p.phase() == FlowSplit.Phase.FULL_SYNC;
            } else {
                snapshotting |= fullSync;
            }
        }
        double secs = lastLineMs < 0 ? (nowMs - epochStartMs) / 1000.0 : (nowMs - lastLineMs) / 1000.0;
        double keyRate = secs <= 0 ? 0 : (keys - lastKeys) / secs;
        double journalRate = secs <= 0 ? 0 : (journal - lastJournal) / secs;
        lastLineMs = nowMs;
        lastKeys = keys;
        lastJournal = journal;
        StringBuilder sb = new StringBuilder("progress: epoch ").append(epoch);
        if (snapshotting) {
            sb.append(", full sync: ").append(keys).append(" keys");
            if (masterKeys > 0) {
                sb.append(String.format(Locale.ROOT, " of %d (%.1f %%)", masterKeys, 100.0 * keys / masterKeys));
            }
            sb.append(", ").append(bytes(bytes)).append(String.format(Locale.ROOT, ", %.0f keys/s", keyRate));
            if (masterKeys > keys && keyRate > 0) {
                sb.append(String.format(Locale.ROOT, ", ETA %.0f s", (masterKeys - keys) / keyRate));
            }
        } else {
            sb.append(", stable: ").append(journal).append(String.format(Locale.ROOT, " journal commands, %.0f/s", journalRate));
        }
        sb.append("; flows [").append(phases).append("]; lag ").append(lag(nowMs)).append("; spill ").append(bytes(spill));
        return sb.toString();
    }

    /**
     * When the master was first seen past flow {@code flow}'s acknowledged LSN (the age of its oldest
     * unacknowledged write, to the offset polls' interval): 0 when nothing is unacknowledged, -1 when
     * unknown (no ACK yet).
     */
    long unacknowledgedSinceMs(int flow) {
        if (acked[flow] <= 0 || masterNext[flow] <= 0) {
            return -1;
        }
        if (masterNext[flow] <= acked[flow]) {
            return 0;
        }
        for (long[] h : history[flow]) {
            if (h[1] > acked[flow]) {
                return h[0];
            }
        }
        return history[flow].isEmpty() ? -1 : history[flow].peekFirst()[0];
    }

    /** {@code [0, 3] entries, oldest unacknowledged write ~4.1 s} (or unknown before the first ACK). */
    private String lag(long nowMs) {
        StringBuilder entries = new StringBuilder("[");
        long oldestMs = 0;
        boolean known = false;
        for (int f = 0; f < flows; f++) {
            entries.append(f == 0 ? "" : ", ");
            if (acked[f] <= 0 || masterNext[f] <= 0) {
                entries.append('?');
                continue;
            }
            known = true;
            long lag = Math.max(0, masterNext[f] - acked[f]);
            entries.append(lag);
            long since = unacknowledgedSinceMs(f);
            if (since > 0) {
                oldestMs = Math.max(oldestMs, nowMs - since);
            }
        }
        entries.append("] entries");
        if (known) {
            entries.append(String.format(Locale.ROOT, ", oldest unacknowledged write ~%.1f s", oldestMs / 1000.0));
        }
        return entries.toString();
    }

    /** The snapshot mode's closing line: keys, bytes, time. */
    String snapshotSummary(long nowMs) {
        long keys = 0;
        long bytes = 0;
        for (FlowProgress p : latest) {
            if (p != null) {
                keys += p.snapshotKeys();
                bytes += p.bytesParsed();
            }
        }
        double secs = Math.max(1, nowMs - epochStartMs) / 1000.0;
        return String.format(Locale.ROOT, "snapshot read: %d keys%s, %s in %.1f s (%.0f keys/s), up to the stable cut", keys,
                masterKeys > 0 ? " (the master had " + masterKeys + " at the start)" : "", bytes(bytes), secs, keys / secs);
    }

    private static String phase(FlowSplit.Phase p) {
        return p == FlowSplit.Phase.FULL_SYNC ? "snapshot" : p == FlowSplit.Phase.STABLE ? "stable" : p.name().toLowerCase(Locale.ROOT);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024L * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
}
