package io.df2redis.flink.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.flow.FlowConfig;
import io.df2redis.dragonfly.flow.FlowConnection;
import io.df2redis.dragonfly.flow.FlowListener;
import io.df2redis.dragonfly.session.ConnectConfig;
import io.df2redis.dragonfly.session.SyncKind;
import io.df2redis.dragonfly.stream.FlowStreamParser;
import io.df2redis.dragonfly.stream.ParserConfig;
import io.df2redis.flink.job.JobSettings;
import io.df2redis.flink.source.enumerator.DragonflySplitEnumerator;
import io.df2redis.flink.source.event.SessionEvents;
import io.df2redis.flink.source.split.FlowSplit;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.dfsim.GeneratedEngine;
import io.df2redis.testing.dfsim.SimValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enumerator (session controller) driven event by event against the master simulator, the
 * test playing the readers (real flow connections and parsers): it must keep the orders that
 * protect the master even when the flows' news arrives early, and start a new session (never reuse
 * one) after a FULL/PARTIAL mix or a reader's restart.
 */
@Timeout(120)
class DragonflySplitEnumeratorTest {
    @TempDir
    Path tmp;

    private DfSim sim;
    private MockSplitEnumeratorContext<FlowSplit> ctx;
    private DragonflySplitEnumerator enumerator;
    private final List<FlowConnection> connections = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        connections.forEach(FlowConnection::close);
        if (enumerator != null) {
            enumerator.close();
        }
        if (ctx != null) {
            ctx.close();
        }
        if (sim != null) {
            List<?> v = sim.violations();
            sim.close();
            assertThat(v).as("orders the enumerator sent that a real master would refuse or crash on").isEmpty();
        }
    }

    private void start(int flows, String... moreArgs) throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(flows));
        GeneratedEngine g = sim.generated();
        for (int i = 0; i < 200; i++) {
            g.seed(0, "k" + i, SimValue.string(("v" + i).getBytes(StandardCharsets.UTF_8)));
        }
        List<String> args = new ArrayList<>(List.of("--source.url", "redis://127.0.0.1:" + sim.port(),
                "--target.url", "redis://127.0.0.1:1", "--source.flows", Integer.toString(flows)));
        args.addAll(List.of(moreArgs));
        JobSettings settings = JobSettings.fromArgs(args.toArray(new String[0]));
        ctx = new AttemptsContext(flows);
        enumerator = new DragonflySplitEnumerator(ctx, new DragonflySourceConfig(settings, flows, flows, 1024), null);
        enumerator.start();
        for (int r = 0; r < flows; r++) {
            ctx.registerReader(new ReaderInfo(r, "localhost"));
            enumerator.addReader(r);
        }
    }

    /** The mock context, with each registered reader's current execution attempt (0 unless a test says). */
    static final class AttemptsContext extends MockSplitEnumeratorContext<FlowSplit> {
        final java.util.Map<Integer, Integer> attempt = new java.util.HashMap<>();

        AttemptsContext(int parallelism) {
            super(parallelism);
        }

        @Override
        public java.util.Map<Integer, java.util.Map<Integer, ReaderInfo>> registeredReadersOfAttempts() {
            java.util.Map<Integer, java.util.Map<Integer, ReaderInfo>> out = new java.util.HashMap<>();
            registeredReaders().forEach((subtask, info) -> out.put(subtask, java.util.Map.of(attempt.getOrDefault(subtask, 0), info)));
            return out;
        }
    }

    /** Runs every queued blocking step (handshake, SYNC, STARTSTABLE, close) in order. */
    private void runQueued() throws Throwable {
        while (!ctx.getOneTimeCallables().isEmpty()) {
            ctx.runNextOneTimeCallable();
        }
    }

    private List<SourceEvent> sent(int reader) throws Exception {
        return ctx.getSentSourceEvent().getOrDefault(reader, List.of());
    }

    @SuppressWarnings("unchecked")
    private <T extends SourceEvent> T last(int reader, Class<T> type) throws Exception {
        List<SourceEvent> events = sent(reader);
        for (int i = events.size() - 1; i >= 0; i--) {
            if (type.isInstance(events.get(i))) {
                return (T) events.get(i);
            }
        }
        return null;
    }

    private void report(int flows, int epoch, FlowSplit.Phase phase, long[] lsn, String master) {
        report(flows, epoch, phase, lsn, master, new long[flows]);
    }

    private void report(int flows, int epoch, FlowSplit.Phase phase, long[] lsn, String master, long[] lastGlobalTxid) {
        for (int f = 0; f < flows; f++) {
            enumerator.handleSourceEvent(f, new SessionEvents.FlowsReported(epoch,
                    List.of(new SessionEvents.FlowPosition(f, phase, lsn == null ? -1 : lsn[f], master,
                            lastGlobalTxid[f] == 0 ? -1 : lastGlobalTxid[f]))));
        }
    }

    /** Plays reader {@code flow}: DFLY FLOW as told, then reports the answer. */
    private FlowConnection open(SessionEvents.OpenFlows o, int flow) throws Exception {
        Long lsn = o.resumeLsn().get(flow);
        FlowConnection c = FlowConnection.open(sim.endpoint(), ConnectConfig.defaults(),
                FlowConfig.defaults().withSpill(tmp.resolve("spill"), 1 << 20, 1 << 16), o.masterId(), o.syncId(), flow,
                lsn == null ? OptionalLong.empty() : OptionalLong.of(lsn), FlowListener.NONE);
        connections.add(c);
        enumerator.handleSourceEvent(flow, new SessionEvents.FlowOpened(o.epoch(), flow, c.kind() == SyncKind.PARTIAL));
        return c;
    }

    /** Reads a FULL flow up to the event {@code until}; returns the stable cut's offset if reached. */
    private long readUntil(FlowConnection c, int flow, Class<? extends FlowEvent> until) throws Exception {
        List<FlowEvent> events = new ArrayList<>();
        FlowStreamParser p = FlowStreamParser.fullSync(flow, c.eofToken(), ParserConfig.defaults(), events::add);
        byte[] buf = new byte[8192];
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            for (FlowEvent e : events) {
                if (until.isInstance(e)) {
                    return e instanceof FlowEvent.StableCut s ? s.journalOffset() : 0;
                }
            }
            events.clear();
            int n = c.read(buf, 0, buf.length, Duration.ofMillis(100));
            if (n > 0) {
                p.feed(buf, 0, n);
            }
        }
        throw new AssertionError("flow " + flow + " did not reach " + until.getSimpleName());
    }

    @Test
    void staticDataEndsReportedBeforeSyncsReplyStillLeadToOneStartStable() throws Throwable {
        start(2);
        report(2, 0, FlowSplit.Phase.NEW, null, null);
        ctx.runNextOneTimeCallable(); // handshake
        SessionEvents.OpenFlows o = last(0, SessionEvents.OpenFlows.class);
        assertThat(o).isNotNull();
        assertThat(o.fullSync()).isTrue();
        // A fresh enumerator (also the one Flink creates after a global failover before the first
        // checkpoint) cannot know the target still holds only what main() checked: the writers clear.
        assertThat(o.resetWriters()).as("the first full sync resets the writers").isTrue();
        assertThat(o.clearTarget()).as("and clears the target (policy fail-if-not-empty)").isTrue();
        assertThat(last(1, SessionEvents.OpenFlows.class)).isEqualTo(o);
        FlowConnection f0 = open(o, 0);
        assertThat(ctx.getOneTimeCallables()).as("no DFLY SYNC before every flow is open").isEmpty();
        FlowConnection f1 = open(o, 1);
        assertThat(ctx.getOneTimeCallables()).as("DFLY SYNC queued once every flow is open").hasSize(1);
        // The flows' FULLSYNC_END may be parsed and reported before DFLY SYNC's +OK is handled.
        enumerator.handleSourceEvent(0, new SessionEvents.StaticDataEnded(o.epoch(), 0));
        enumerator.handleSourceEvent(1, new SessionEvents.StaticDataEnded(o.epoch(), 1));
        assertThat(ctx.getOneTimeCallables()).as("no STARTSTABLE before DFLY SYNC is done").hasSize(1);
        ctx.runNextOneTimeCallable(); // DFLY SYNC
        assertThat(ctx.getOneTimeCallables()).as("STARTSTABLE queued after SYNC, from the early reports").hasSize(1);
        readUntil(f0, 0, FlowEvent.StaticDataEnd.class);
        readUntil(f1, 1, FlowEvent.StaticDataEnd.class);
        ctx.runNextOneTimeCallable(); // DFLY STARTSTABLE
        assertThat(last(0, SessionEvents.StableStarted.class)).isNotNull();
        assertThat(sim.events()).contains("SYNC1 stable sync started");
    }

    @Test
    void aFullPartialMixClosesTheEpochAndTheNextOneIsAFullSync() throws Throwable {
        start(2);
        GeneratedEngine g = sim.generated();
        // A first session only to start the master's journals; then writes, and flow 1's backlog goes.
        report(2, 0, FlowSplit.Phase.NEW, null, null);
        ctx.runNextOneTimeCallable();
        SessionEvents.OpenFlows first = last(0, SessionEvents.OpenFlows.class);
        open(first, 0);
        open(first, 1);
        for (int i = 0; i < 50; i++) {
            g.write(0, "SET", "k" + i, "w" + i);
        }
        long[] next = g.replicaOffsets();
        g.evictBacklog(1);
        enumerator.addReader(0); // reader 0 restarted: the session is gone
        SessionEvents.CloseEpoch closed = last(0, SessionEvents.CloseEpoch.class);
        assertThat(closed).isNotNull();
        assertThat(closed.epoch()).isEqualTo(first.epoch());
        connections.forEach(FlowConnection::close);
        runQueued(); // the queued DFLY SYNC (skipped: the epoch is closed) and closing the main connection
        report(2, first.epoch(), FlowSplit.Phase.STABLE, new long[] {next[0], Math.max(1, next[1] - 40)}, first.masterId());
        ctx.runNextOneTimeCallable(); // handshake of the second epoch
        SessionEvents.OpenFlows second = last(0, SessionEvents.OpenFlows.class);
        assertThat(second.epoch()).isGreaterThan(first.epoch());
        assertThat(second.syncId()).as("a new session, never the old one").isNotEqualTo(first.syncId());
        assertThat(second.resumeLsn()).as("PARTIAL asked for both flows").containsOnlyKeys(0, 1);
        FlowConnection a = open(second, 0);
        FlowConnection b = open(second, 1);
        assertThat(a.kind()).isEqualTo(SyncKind.PARTIAL);
        assertThat(b.kind()).as("flow 1's LSN left the backlog").isEqualTo(SyncKind.FULL);
        SessionEvents.CloseEpoch mix = last(0, SessionEvents.CloseEpoch.class);
        assertThat(mix.epoch()).isEqualTo(second.epoch());
        connections.forEach(FlowConnection::close);
        runQueued();
        report(2, second.epoch(), FlowSplit.Phase.STABLE, next, first.masterId());
        runQueued();
        SessionEvents.OpenFlows third = last(0, SessionEvents.OpenFlows.class);
        assertThat(third.epoch()).isGreaterThan(second.epoch());
        assertThat(third.fullSync()).as("after a mix, a full sync").isTrue();
        assertThat(third.resetWriters()).as("a full resync resets the writers").isTrue();
        assertThat(third.clearTarget()).isTrue();
        assertThat(List.of(first.syncId(), second.syncId(), third.syncId())).doesNotHaveDuplicates();
        assertThat(sim.events()).as("the closed first epoch never sent DFLY SYNC").doesNotContain("SYNC1 full sync started");
    }

    /**
     * Defect: the FLUSHALL barrier was not in checkpoints. A checkpoint taken after flow 0's reader
     * emitted the FLUSHALL it was released at, but before flow 1's did, restores flow 0 past it and
     * flow 1 before it: flow 1 meets the command again, flow 0 never does. The enumerator must
     * release flow 1 (flow 0's copy is in the writers' state), not wait for ever.
     */
    @Test
    void aFlowRestoredBeforeAGlobalCommandIsReleasedWhenTheOthersArePastIt() throws Throwable {
        start(2);
        GeneratedEngine g = sim.generated();
        report(2, 0, FlowSplit.Phase.NEW, null, null);
        ctx.runNextOneTimeCallable();
        SessionEvents.OpenFlows first = last(0, SessionEvents.OpenFlows.class);
        open(first, 0);
        open(first, 1);
        g.write(0, "SET", "a", "1");
        long[] next = g.replicaOffsets();
        enumerator.addReader(0); // the job restored: the session is gone
        connections.forEach(FlowConnection::close);
        runQueued();
        // Flow 0 emitted past txid 7 before the checkpoint; flow 1 was still held at it.
        report(2, first.epoch(), FlowSplit.Phase.STABLE, next, first.masterId(), new long[] {7, 0});
        ctx.runNextOneTimeCallable();
        SessionEvents.OpenFlows second = last(0, SessionEvents.OpenFlows.class);
        open(second, 0);
        open(second, 1);
        enumerator.handleSourceEvent(1, new SessionEvents.GlobalCommandReached(second.epoch(), 1, 7, next[1]));
        SessionEvents.ResumeAfterGlobal released = last(1, SessionEvents.ResumeAfterGlobal.class);
        assertThat(released).as("flow 1 released: flow 0 is past txid 7").isNotNull();
        assertThat(released.txid()).isEqualTo(7);
        // A later global command: flow 0 has not passed it, so flow 1 waits for flow 0.
        enumerator.handleSourceEvent(1, new SessionEvents.GlobalCommandReached(second.epoch(), 1, 9, next[1] + 1));
        assertThat(last(1, SessionEvents.ResumeAfterGlobal.class).txid()).isEqualTo(7);
        enumerator.handleSourceEvent(0, new SessionEvents.GlobalCommandReached(second.epoch(), 0, 9, next[0] + 1));
        assertThat(last(1, SessionEvents.ResumeAfterGlobal.class).txid()).isEqualTo(9);
    }

    /**
     * A report queued by a reader attempt that then failed reaches the enumerator after the
     * restarted attempt reported its restored position: it is dropped. Taken, its live position
     * (past a global command the restored flow meets again) would release the other flow at that
     * command alone, and the restored flow would then wait at it for ever.
     */
    @Test
    void aFailedAttemptsLateReportIsIgnored() throws Throwable {
        start(2);
        GeneratedEngine g = sim.generated();
        report(2, 0, FlowSplit.Phase.NEW, null, null);
        ctx.runNextOneTimeCallable();
        SessionEvents.OpenFlows first = last(0, SessionEvents.OpenFlows.class);
        open(first, 0);
        open(first, 1);
        g.write(0, "SET", "a", "1");
        long[] next = g.replicaOffsets();
        ((AttemptsContext) ctx).attempt.put(0, 1);
        ((AttemptsContext) ctx).attempt.put(1, 1);
        enumerator.addReader(0); // the job restored: the session is gone
        connections.forEach(FlowConnection::close);
        runQueued();
        // Both restored before txid 7 (attempt 1); then attempt 0 of reader 1's last report: past it.
        report(2, first.epoch(), FlowSplit.Phase.STABLE, next, first.masterId(), new long[] {0, 0});
        enumerator.handleSourceEvent(1, 0, new SessionEvents.FlowsReported(first.epoch(),
                List.of(new SessionEvents.FlowPosition(1, FlowSplit.Phase.STABLE, next[1] + 5, first.masterId(), 7))));
        ctx.runNextOneTimeCallable();
        SessionEvents.OpenFlows second = last(0, SessionEvents.OpenFlows.class);
        assertThat(second.resumeLsn()).as("planned from the restored positions").containsEntry(1, next[1]);
        open(second, 0);
        open(second, 1);
        enumerator.handleSourceEvent(0, 1, new SessionEvents.GlobalCommandReached(second.epoch(), 0, 7, next[0]));
        assertThat(last(0, SessionEvents.ResumeAfterGlobal.class)).as("flow 1 will meet txid 7 too: no release yet").isNull();
        enumerator.handleSourceEvent(1, 1, new SessionEvents.GlobalCommandReached(second.epoch(), 1, 7, next[1]));
        assertThat(last(0, SessionEvents.ResumeAfterGlobal.class).txid()).isEqualTo(7);
    }

    /**
     * Whether a flow is past a global command is judged on the positions its epoch was planned
     * from: a report that arrives during the epoch (here flow 1's live position past txid 7, after
     * the epoch resumed it from before txid 7) does not release flow 0 at that command alone
     * (seen in the chaos test under load: flow 0 then held for ever at txid 16).
     */
    @Test
    void aReportDuringTheEpochDoesNotReleaseABarrier() throws Throwable {
        start(2);
        GeneratedEngine g = sim.generated();
        report(2, 0, FlowSplit.Phase.NEW, null, null);
        ctx.runNextOneTimeCallable();
        SessionEvents.OpenFlows first = last(0, SessionEvents.OpenFlows.class);
        open(first, 0);
        open(first, 1);
        g.write(0, "SET", "a", "1");
        long[] next = g.replicaOffsets();
        enumerator.addReader(0);
        connections.forEach(FlowConnection::close);
        runQueued();
        report(2, first.epoch(), FlowSplit.Phase.STABLE, next, first.masterId(), new long[] {0, 0});
        ctx.runNextOneTimeCallable();
        SessionEvents.OpenFlows second = last(0, SessionEvents.OpenFlows.class);
        open(second, 0);
        open(second, 1);
        enumerator.handleSourceEvent(1, new SessionEvents.FlowsReported(first.epoch(),
                List.of(new SessionEvents.FlowPosition(1, FlowSplit.Phase.STABLE, next[1] + 5, first.masterId(), 7))));
        enumerator.handleSourceEvent(0, new SessionEvents.GlobalCommandReached(second.epoch(), 0, 7, next[0]));
        assertThat(last(0, SessionEvents.ResumeAfterGlobal.class)).as("flow 1 was resumed from before txid 7").isNull();
        enumerator.handleSourceEvent(1, new SessionEvents.GlobalCommandReached(second.epoch(), 1, 7, next[1]));
        assertThat(last(0, SessionEvents.ResumeAfterGlobal.class).txid()).isEqualTo(7);
    }

    /**
     * A reader still running when another failed reports its live position as the epoch closes, then
     * is restarted from the checkpoint too: the next epoch waits for its new attempt's (restored)
     * report, never plans from the earlier live one (which skipped records: soak seed 2029 lost a
     * ZINCRBY that way).
     */
    @Test
    void theNextEpochIsPlannedFromTheRestartedReadersNotFromTheirEarlierReports() throws Throwable {
        start(2);
        GeneratedEngine g = sim.generated();
        report(2, 0, FlowSplit.Phase.NEW, null, null);
        ctx.runNextOneTimeCallable();
        SessionEvents.OpenFlows first = last(0, SessionEvents.OpenFlows.class);
        open(first, 0);
        open(first, 1);
        g.write(0, "SET", "a", "1");
        long[] next = g.replicaOffsets();
        connections.forEach(FlowConnection::close);
        enumerator.handleSourceEvent(0, new SessionEvents.FlowFailed(first.epoch(), 0, "task failed", false));
        runQueued();
        // Reader 1, not failed yet, closes the epoch and reports its live position...
        enumerator.handleSourceEvent(1, new SessionEvents.FlowsReported(first.epoch(),
                List.of(new SessionEvents.FlowPosition(1, FlowSplit.Phase.STABLE, next[1] + 35, first.masterId(), -1))));
        // ...then every subtask restarts from the checkpoint; reader 0's new attempt reports first.
        enumerator.addSplitsBack(List.of(), 0);
        enumerator.addSplitsBack(List.of(), 1);
        enumerator.addReader(0);
        enumerator.handleSourceEvent(0, new SessionEvents.FlowsReported(first.epoch(),
                List.of(new SessionEvents.FlowPosition(0, FlowSplit.Phase.STABLE, next[0], first.masterId(), -1))));
        runQueued();
        assertThat(last(0, SessionEvents.OpenFlows.class)).as("no epoch before reader 1's new attempt reported").isEqualTo(first);
        enumerator.addReader(1);
        enumerator.handleSourceEvent(1, new SessionEvents.FlowsReported(first.epoch(),
                List.of(new SessionEvents.FlowPosition(1, FlowSplit.Phase.STABLE, next[1], first.masterId(), -1))));
        ctx.runNextOneTimeCallable();
        SessionEvents.OpenFlows second = last(0, SessionEvents.OpenFlows.class);
        assertThat(second.epoch()).isGreaterThan(first.epoch());
        assertThat(second.resumeLsn()).as("flow 1 from its restored position").containsEntry(1, next[1]);
    }

    /**
     * A regional failover restarts the readers one by one: the epoch closes when reader 0 comes
     * back, before reader 1 has registered again. The next epoch must wait for reader 1's restored
     * position, not plan from flow 1's stale one (NEW from the first epoch → a needless full sync;
     * found in CI).
     */
    @Test
    void theNextEpochWaitsForEveryFlowsPositionAfterARegionalFailover() throws Throwable {
        start(2);
        GeneratedEngine g = sim.generated();
        report(2, 0, FlowSplit.Phase.NEW, null, null);
        ctx.runNextOneTimeCallable();
        SessionEvents.OpenFlows first = last(0, SessionEvents.OpenFlows.class);
        open(first, 0);
        open(first, 1);
        g.write(0, "SET", "a", "1");
        long[] next = g.replicaOffsets();
        ctx.unregisterReader(1); // failed, not back yet
        ctx.unregisterReader(0);
        ctx.registerReader(new ReaderInfo(0, "localhost"));
        enumerator.addReader(0); // reader 0 is back first: the epoch closes
        connections.forEach(FlowConnection::close);
        runQueued();
        enumerator.handleSourceEvent(0, new SessionEvents.FlowsReported(first.epoch(),
                List.of(new SessionEvents.FlowPosition(0, FlowSplit.Phase.STABLE, next[0], first.masterId(), -1))));
        runQueued();
        assertThat(last(0, SessionEvents.OpenFlows.class)).as("no epoch before flow 1's position is known").isEqualTo(first);
        ctx.registerReader(new ReaderInfo(1, "localhost"));
        enumerator.addReader(1);
        enumerator.handleSourceEvent(1, new SessionEvents.FlowsReported(first.epoch(),
                List.of(new SessionEvents.FlowPosition(1, FlowSplit.Phase.STABLE, next[1], first.masterId(), -1))));
        runQueued();
        SessionEvents.OpenFlows second = last(0, SessionEvents.OpenFlows.class);
        assertThat(second.epoch()).isGreaterThan(first.epoch());
        assertThat(second.resumeLsn()).as("both flows resume").containsOnlyKeys(0, 1);
    }

    @Test
    void withTheOverwritePolicyAFullSyncResetsTheWritersButKeepsTheTarget() throws Throwable {
        start(2, "--full-sync.target-policy", "overwrite");
        report(2, 0, FlowSplit.Phase.NEW, null, null);
        ctx.runNextOneTimeCallable(); // handshake
        SessionEvents.OpenFlows o = last(0, SessionEvents.OpenFlows.class);
        assertThat(o.fullSync()).isTrue();
        assertThat(o.resetWriters()).isTrue();
        assertThat(o.clearTarget()).as("overwrite keeps what the target holds").isFalse();
    }

    @Test
    void aReaderThatCannotGoOnFailsTheJobWithoutRestarts() throws Throwable {
        start(2);
        report(2, 0, FlowSplit.Phase.NEW, null, null);
        ctx.runNextOneTimeCallable(); // handshake
        SessionEvents.OpenFlows o = last(0, SessionEvents.OpenFlows.class);
        assertThatThrownBy(() -> enumerator.handleSourceEvent(1, new SessionEvents.CannotGoOn(o.epoch(), 1, "flow 1 at byte 7: bad")))
                .isInstanceOf(SuppressRestartsException.class).hasRootCauseMessage("reader 1, flow 1 (epoch " + o.epoch()
                        + "): flow 1 at byte 7: bad");
    }
}
