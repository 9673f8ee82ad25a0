package io.df2redis.testing.dfsim;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.rdb.ValueDecoder;
import io.df2redis.dragonfly.session.ReplicationSession;
import io.df2redis.dragonfly.session.SessionInfo;
import io.df2redis.dragonfly.session.SyncKind;
import io.df2redis.testing.recordings.Bytes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test's reconstruction of the master's data from the events a client produced: snapshot
 * entries with replace semantics, parts of big values appended, journal commands applied, global
 * commands once. A FULL epoch starts from nothing (as a target is cleared before a full resync).
 */
public class EventModel implements ReplicationSession.Listener {
    private final SimDataset data = new SimDataset();
    public final AtomicLong snapshotObjects = new AtomicLong();
    public final AtomicLong objectParts = new AtomicLong();
    public final AtomicLong journalInFullSync = new AtomicLong();
    public final AtomicLong journalStable = new AtomicLong();
    public final AtomicLong globalCommands = new AtomicLong();
    public final AtomicLong pings = new AtomicLong();
    public final List<String> epochs = new CopyOnWriteArrayList<>();

    public SimDataset dataset() {
        return data.snapshot();
    }

    @Override
    public void onEpochStart(long epoch, SyncKind kind, SessionInfo session) {
        epochs.add(epoch + ":" + kind);
        if (kind == SyncKind.FULL) {
            data.clear();
        }
    }

    @Override
    public void onEpochEnd(long epoch, Throwable cause) {
        epochs.add(epoch + ":end:" + (cause == null ? "-" : cause.getClass().getSimpleName() + ": " + cause.getMessage()));
    }

    @Override
    public void onEvent(int flow, FlowEvent e) throws Exception {
        if (e instanceof FlowEvent.SnapshotObject o) {
            SimValue v = SimValue.fromDecoded(ValueDecoder.decode(o.value()));
            v.expireAtMs(o.expireAtMs());
            data.put(o.db(), Bytes.of(o.key()), v);
            snapshotObjects.incrementAndGet();
        } else if (e instanceof FlowEvent.ObjectPart p) {
            Bytes key = Bytes.of(p.key());
            SimValue v = p.index() == 0 ? null : data.get(p.db(), key);
            if (v == null) {
                v = SimValue.fromDecoded(p.elements());
                data.put(p.db(), key, v);
            } else {
                v.append(p.elements());
            }
            if (p.last()) {
                v.expireAtMs(p.expireAtMs());
            }
            objectParts.incrementAndGet();
        } else if (e instanceof FlowEvent.JournalCommand j) {
            data.apply(j.db(), j.args());
            (j.inFullSync() ? journalInFullSync : journalStable).incrementAndGet();
        } else if (e instanceof FlowEvent.Ping) {
            pings.incrementAndGet();
        }
    }

    @Override
    public void onGlobalCommand(FlowEvent.GlobalCommand command) {
        data.apply(command.db(), command.args());
        globalCommands.incrementAndGet();
    }
}
