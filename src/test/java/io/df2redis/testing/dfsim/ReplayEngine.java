package io.df2redis.testing.dfsim;

import io.df2redis.testing.dfsim.DfSim.SimFlow;
import io.df2redis.testing.dfsim.DfSim.SimSession;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;

/**
 * Serves recorded sessions of a real master: the same ids, replies and tokens, then each flow's
 * recorded bytes: before {@code STARTSTABLE} the bytes the recorder had received by then (they hold
 * FULLSYNC_END), after it the rest (cut, token, journal). A PARTIAL session's flows get all their
 * bytes after STARTSTABLE. One recording per {@code capa dragonfly}, in order.
 */
final class ReplayEngine implements DfSim.Engine {
    private final DfSim sim;
    private final List<ReplayScript> recordings;
    private int served;

    private static final class Writers {
        final ReplayScript rec;
        final List<Thread> threads = new ArrayList<>();
        final CountDownLatch stable = new CountDownLatch(1);
        volatile boolean cancelled;

        Writers(ReplayScript rec) {
            this.rec = rec;
        }
    }

    ReplayEngine(DfSim sim, List<ReplayScript> recordings) {
        if (recordings.isEmpty()) {
            throw new IllegalArgumentException("no recording to replay");
        }
        this.sim = sim;
        this.recordings = recordings;
    }

    private ReplayScript current() {
        return recordings.get(Math.min(served, recordings.size() - 1));
    }

    @Override
    public String masterId() {
        return current().masterId();
    }

    @Override
    public int numFlows() {
        return current().numFlows();
    }

    @Override
    public Map<String, String> infoServer() {
        return current().infoServer();
    }

    @Override
    public int syncIdFor(int proposed) {
        return Integer.parseInt(current().syncId().substring(4));
    }

    @Override
    public byte[] capaReply(SimSession s) {
        ReplayScript rec = current();
        served++;
        s.engineState = new Writers(rec);
        return rec.replyTo("REPLCONF capa dragonfly");
    }

    @Override
    public DfSim.FlowGrant grantFlow(SimSession s, int flow, OptionalLong lsn) throws DfSim.Refusal {
        ReplayScript.RecordedFlow rf = ((Writers) s.engineState).rec.flows().get(flow);
        String asked = "DFLY FLOW " + masterId() + " " + s.syncId() + " " + flow + (lsn.isPresent() ? " " + lsn.getAsLong() : "");
        if (!asked.equals(rf.command())) {
            sim.violation("replay: '" + asked + "' differs from the recorded '" + rf.command() + "'", false);
            throw new DfSim.Refusal("ERR replay: the recording has '" + rf.command() + "'");
        }
        boolean partial = rf.kind().equals("PARTIAL");
        return new DfSim.FlowGrant(partial, rf.token(), partial ? lsn.getAsLong() : -1, rf.reply());
    }

    @Override
    public void startFullSync(SimSession s) {
        start(s);
    }

    @Override
    public void startStable(SimSession s) {
        Writers w = (Writers) s.engineState;
        if (w.threads.isEmpty()) {
            start(s);
        }
        w.stable.countDown();
    }

    private void start(SimSession s) {
        Writers w = (Writers) s.engineState;
        for (SimFlow f : s.flows) {
            ReplayScript.RecordedFlow rf = w.rec.flows().get(f.flowId);
            Thread t = new Thread(() -> write(w, f, rf), "dfsim-replay-flow-" + f.flowId);
            t.setDaemon(true);
            w.threads.add(t);
            t.start();
        }
    }

    private void write(Writers w, SimFlow f, ReplayScript.RecordedFlow rf) {
        try {
            // The prefix holds FULLSYNC_END: no client can have seen it before this write starts.
            f.fullSyncEndWritten = true;
            f.out.write(rf.bytes(), 0, rf.bytesAtStartStable());
            f.headerWritten.countDown();
            w.stable.await();
            if (w.cancelled) {
                return;
            }
            f.out.write(rf.bytes(), rf.bytesAtStartStable(), rf.bytes().length - rf.bytesAtStartStable());
            sim.event("replay: flow " + f.flowId + " sent all " + rf.bytes().length + " recorded bytes");
        } catch (UncheckedIOException e) {
            // session cancelled
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            f.headerWritten.countDown();
            f.stableCutWritten.countDown();
        }
    }

    @Override
    public void cancelled(SimSession s) {
        if (s.engineState instanceof Writers w) {
            w.cancelled = true;
            w.stable.countDown();
        }
    }

    @Override
    public long[] replicaOffsets() {
        return current().nextLsn().clone();
    }

    @Override
    public void close() {
    }
}
