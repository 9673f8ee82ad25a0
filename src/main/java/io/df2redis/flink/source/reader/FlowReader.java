package io.df2redis.flink.source.reader;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.flow.FlowConnection;
import io.df2redis.dragonfly.stream.FlowStreamParser;
import io.df2redis.flink.source.event.SessionEvents.FlowPosition;
import io.df2redis.flink.source.split.FlowSplit;
import io.df2redis.translate.JournalSplitter;
import java.util.ArrayDeque;

/**
 * One flow as its reader sees it: the split's position (what has been <em>emitted</em>: the next
 * LSN still to emit, so that a resume never skips a record), the connection and parser of the
 * current epoch, and the parsed events waiting to be emitted. Mailbox thread only.
 */
final class FlowReader {

    enum State {
        /** No connection: between epochs. */
        IDLE,
        /** DFLY FLOW in progress on the opener thread. */
        OPENING,
        /** Reading and emitting. */
        STREAMING,
        /** Stopped emitting at a global command until every flow reached it. */
        HELD,
        /** Snapshot mode: past the stable cut; bytes are drained and dropped. */
        DRAINING,
        /** Failed in this epoch; waiting for the enumerator to close it. */
        FAILED,
        /** Snapshot mode: done. */
        DONE
    }

    final int flow;
    int epoch;
    FlowSplit.Phase phase;
    long nextLsn;
    String masterId;
    /** Txid of the last global command emitted past, of {@link #masterId}; -1 none (or a full sync began since). */
    long lastGlobalTxid;

    State state = State.IDLE;
    FlowConnection connection;
    FlowStreamParser parser;
    final ArrayDeque<FlowEvent> pending = new ArrayDeque<>();
    /** Before-shuffle translation of this flow's journal (stray filter, per-slot split). */
    JournalSplitter splitter;
    /** Snapshot objects gathered per writer subtask, emitted as batch records (always empty between polls). */
    SnapshotBatches batches;
    FlowEvent.GlobalCommand held;
    boolean releaseHeld;
    /** Running sequence of records without an LSN (snapshot entries, journal blobs). */
    long seq;
    /** This epoch's progress: snapshot keys emitted, bytes parsed, journal commands emitted. */
    long snapshotKeys;
    long bytesParsed;
    long journalCommands;
    /** This flow's Flink counters ({@link ReaderMetrics#register}). */
    org.apache.flink.metrics.Counter bytesMetric;
    org.apache.flink.metrics.Counter entriesMetric;
    org.apache.flink.metrics.Counter journalMetric;

    FlowReader(FlowSplit split) {
        this.flow = split.flow();
        this.epoch = split.epoch();
        this.phase = split.phase();
        this.nextLsn = split.nextLsn();
        this.masterId = split.masterId();
        this.lastGlobalTxid = split.lastGlobalTxid();
    }

    FlowSplit toSplit() {
        return new FlowSplit(flow, epoch, phase, nextLsn, masterId, lastGlobalTxid);
    }

    /** Starts the progress counts of a new epoch. */
    void resetProgress() {
        snapshotKeys = 0;
        bytesParsed = 0;
        journalCommands = 0;
    }

    FlowPosition position() {
        return new FlowPosition(flow, phase, nextLsn, masterId, lastGlobalTxid);
    }

    /** Closes the epoch's connection and forgets what was parsed but not emitted. */
    void closeConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        parser = null;
        pending.clear();
        if (batches != null) {
            batches.clear();
        }
        held = null;
        releaseHeld = false;
        if (state != State.DONE) {
            state = State.IDLE;
        }
    }
}
