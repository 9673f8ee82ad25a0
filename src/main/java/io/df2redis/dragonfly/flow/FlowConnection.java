package io.df2redis.dragonfly.flow;

import io.df2redis.dragonfly.session.ConnectConfig;
import io.df2redis.dragonfly.session.DragonflyEndpoint;
import io.df2redis.dragonfly.session.MasterConnection;
import io.df2redis.dragonfly.session.SyncKind;
import io.df2redis.dragonfly.session.UnexpectedReplyException;
import io.df2redis.resp.RespReply;
import io.df2redis.resp.RespWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One flow of a replication session: its own connection ({@code AUTH}, {@code DFLY FLOW}), then a
 * raw byte stream drained by a dedicated thread that never stops reading (a flow not read for the
 * master's replication timeout cancels the whole session, and a slow reader stalls client writes
 * on that shard). Bytes wait in a bounded memory buffer, then in spill files, until the consumer
 * takes them with {@link #read} or {@link #poll}. Once the consumer sets an LSN ({@link #ackLsn}),
 * {@code REPLCONF ACK <lsn>} is written on this connection every {@link FlowConfig#ackInterval()}
 * and at once after {@link #ackNow()}; the master never answers it.
 *
 * <p>Thread model: one drain thread, one ACK thread, and one consumer thread calling read/poll.
 */
public final class FlowConnection implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(FlowConnection.class);

    private final int flowId;
    private final SyncKind kind;
    private final String eofToken;
    private final OptionalLong requestedLsn;
    private final FlowConfig config;
    private final MasterConnection conn;
    private final FlowCounters counters = new FlowCounters();
    private final FlowBuffer buffer;
    private final FlowListener listener;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread drainThread;
    private final Object ackLock = new Object();
    private Thread ackThread;
    private long ackValue = -1;
    private boolean ackRequested;

    private FlowConnection(int flowId, SyncKind kind, String eofToken, OptionalLong requestedLsn, FlowConfig config,
            MasterConnection conn, FlowListener listener) {
        this.flowId = flowId;
        this.kind = kind;
        this.eofToken = eofToken;
        this.requestedLsn = requestedLsn;
        this.config = config;
        this.conn = conn;
        this.listener = listener == null ? FlowListener.NONE : listener;
        this.buffer = new FlowBuffer(flowId, config.memoryBufferBytes(), config.spillDir(), config.spillLimitBytes(),
                config.spillFileBytes(), counters);
        this.drainThread = new Thread(this::drain, "df2redis-flow-" + flowId + "-drain");
        this.drainThread.setDaemon(true);
    }

    /**
     * Opens flow {@code flowId} of session {@code syncId}: connects, authenticates, sends {@code
     * DFLY FLOW <masterId> <syncId> <flowId> [lsn]} and starts draining. Bytes that arrived together
     * with the reply are the first bytes of the stream.
     *
     * @param lsn the next LSN wanted, to ask for PARTIAL; empty for a full sync
     * @throws io.df2redis.dragonfly.session.MasterErrorException the master's refusal, typed (bad
     *     master id, syncid not found, invalid state, flow id out of range, LOADING, …)
     */
    public static FlowConnection open(DragonflyEndpoint endpoint, ConnectConfig connect, FlowConfig config,
            String masterId, String syncId, int flowId, OptionalLong lsn, FlowListener listener) throws IOException {
        return open(endpoint, connect, config, masterId, syncId, flowId, lsn, null, null, listener);
    }

    /**
     * As {@link #open(DragonflyEndpoint, ConnectConfig, FlowConfig, String, String, int, OptionalLong,
     * FlowListener)}; with {@code lastMasterId} and {@code lsnVector} (one next LSN per flow) the
     * failover form {@code DFLY FLOW <master> <sync> <flow> <last_master_id> <l0-l1-…>}: a promoted
     * replica of that master grants PARTIAL at {@code lsnVector[flow]} (protocol doc §4.1).
     */
    public static FlowConnection open(DragonflyEndpoint endpoint, ConnectConfig connect, FlowConfig config,
            String masterId, String syncId, int flowId, OptionalLong lsn, String lastMasterId, long[] lsnVector,
            FlowListener listener) throws IOException {
        MasterConnection c = MasterConnection.open(endpoint, connect, "flow-" + flowId);
        FlowConnection flow;
        try {
            String[] cmd;
            if (lastMasterId != null) {
                StringBuilder v = new StringBuilder();
                for (long l : lsnVector) {
                    v.append(v.length() == 0 ? "" : "-").append(l);
                }
                cmd = new String[] {"DFLY", "FLOW", masterId, syncId, Integer.toString(flowId), lastMasterId, v.toString()};
                lsn = OptionalLong.of(lsnVector[flowId]);
            } else {
                cmd = lsn.isPresent()
                        ? new String[] {"DFLY", "FLOW", masterId, syncId, Integer.toString(flowId), Long.toString(lsn.getAsLong())}
                        : new String[] {"DFLY", "FLOW", masterId, syncId, Integer.toString(flowId)};
            }
            RespReply reply = c.call(cmd);
            String what = String.join(" ", cmd);
            if (!(reply instanceof RespReply.Array a) || a.elements().size() != 2) {
                throw new UnexpectedReplyException(what, "*2 +FULL|+PARTIAL +<token>", reply.describe());
            }
            List<RespReply> e = a.elements();
            SyncKind kind;
            String k = e.get(0) instanceof RespReply.SimpleString s ? s.text() : "";
            if (k.equals("FULL")) {
                kind = SyncKind.FULL;
            } else if (k.equals("PARTIAL")) {
                kind = SyncKind.PARTIAL;
            } else {
                throw new UnexpectedReplyException(what, "*2 +FULL|+PARTIAL +<token>", reply.describe());
            }
            String token = e.get(1) instanceof RespReply.SimpleString s ? s.text() : "";
            if (token.length() != 40) {
                throw new UnexpectedReplyException(what, "a 40-character EOF token", reply.describe());
            }
            if (kind == SyncKind.PARTIAL && lsn.isEmpty()) {
                throw new UnexpectedReplyException(what, "FULL (no LSN was asked)", reply.describe());
            }
            flow = new FlowConnection(flowId, kind, token, lsn, config, c, listener);
            byte[] early = c.takeBuffered();
            flow.counters.bytesReceived.addAndGet(early.length);
            flow.buffer.append(early, 0, early.length);
            // The stream may be silent for long stretches in stable sync: no read timeout.
            c.setReadTimeout(null);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        flow.drainThread.start();
        LOG.info("flow {} opened: {}{} ({})", flowId, flow.kind, lsn.isPresent() ? " from LSN " + lsn.getAsLong() : "",
                endpoint);
        return flow;
    }

    private void drain() {
        byte[] buf = new byte[config.readChunkBytes()];
        InputStream in = conn.input();
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    if (!closed.get()) {
                        fail(new FlowLostException(flowId, counters.bytesReceived(), "the master closed the connection", null));
                    }
                    return;
                }
                counters.bytesReceived.addAndGet(n);
                buffer.append(buf, 0, n);
            }
        } catch (SpillLimitExceededException e) {
            fail(e); // logged there, like every loss; the consumer decides what it means
            conn.close();
        } catch (IOException e) {
            if (!closed.get()) {
                fail(new FlowLostException(flowId, counters.bytesReceived(), "read failed: " + e, e));
            }
        } finally {
            if (closed.get()) {
                buffer.finish(null);
            }
        }
    }

    private void fail(FlowLostException e) {
        buffer.finish(e);
        if (!closed.get()) {
            LOG.warn("{}", e.getMessage());
            listener.onFlowFailed(flowId, e);
        }
        wakeAckThread();
    }

    /**
     * Takes up to {@code len} bytes, waiting at most {@code timeout}.
     *
     * @return bytes copied; 0 when none arrived in time; -1 after {@link #close()}
     * @throws FlowLostException once every byte received before the flow failed has been read
     */
    public int read(byte[] b, int off, int len, Duration timeout) throws IOException {
        return buffer.read(b, off, len, timeout.toNanos());
    }

    /** Non-blocking {@link #read}: for a caller that must not wait (Flink's mailbox thread). */
    public int poll(byte[] b, int off, int len) throws IOException {
        return buffer.read(b, off, len, 0);
    }

    /** Completes when {@link #poll} has something to return (bytes, the end, or the failure). */
    public CompletableFuture<Void> available() {
        return buffer.available();
    }

    /**
     * Sets the LSN to acknowledge (the next one the consumer still needs, after applying). The first
     * call starts the ACK writer, which writes at once and then every interval, even unchanged.
     */
    public void ackLsn(long nextLsn) {
        synchronized (ackLock) {
            ackValue = nextLsn;
            if (ackThread == null && !closed.get()) {
                ackRequested = true;
                ackThread = new Thread(this::ackLoop, "df2redis-flow-" + flowId + "-ack");
                ackThread.setDaemon(true);
                ackThread.start();
            }
        }
    }

    /** Writes the current ACK at once (after a PING entry: WAIT and TAKEOVER wait for it). */
    public void ackNow() {
        synchronized (ackLock) {
            ackRequested = true;
            ackLock.notifyAll();
        }
    }

    private void ackLoop() {
        long intervalNanos = config.ackInterval().toNanos();
        try {
            OutputStream out = conn.rawOutput();
            RespWriter w = new RespWriter(64);
            while (!closed.get() && buffer.failure() == null) {
                long value;
                synchronized (ackLock) {
                    long deadline = System.nanoTime() + intervalNanos;
                    while (!ackRequested && !closed.get() && buffer.failure() == null) {
                        long wait = deadline - System.nanoTime();
                        if (wait <= 0) {
                            break;
                        }
                        ackLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                    }
                    ackRequested = false;
                    value = ackValue;
                }
                if (closed.get() || buffer.failure() != null) {
                    return;
                }
                w.reset();
                w.command("REPLCONF", "ACK", Long.toString(value));
                w.writeTo(out);
                out.flush();
                counters.acksSent.incrementAndGet();
                counters.lastAck.set(value);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            if (!closed.get()) {
                fail(new FlowLostException(flowId, counters.bytesReceived(), "ACK write failed: " + e, e));
                conn.close();
            }
        }
    }

    /** Waits for a worker thread, unless close() runs on it (a listener closing its own flow). */
    private static void join(Thread t) {
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void wakeAckThread() {
        synchronized (ackLock) {
            ackLock.notifyAll();
        }
    }

    public int flowId() {
        return flowId;
    }

    public SyncKind kind() {
        return kind;
    }

    /** The 40-character token the master writes after EOF at the stable cut. */
    public String eofToken() {
        return eofToken;
    }

    /** The LSN asked for with {@code DFLY FLOW}, if any. */
    public OptionalLong requestedLsn() {
        return requestedLsn;
    }

    public FlowCounters counters() {
        return counters;
    }

    /** The flow's failure as soon as the drain or ACK thread saw it, else {@code null}. */
    public FlowLostException failure() {
        IOException f = buffer.failure();
        return f instanceof FlowLostException l ? l : null;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Closes the connection (the master then cancels the session) and deletes the spill files. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        conn.close();
        wakeAckThread();
        Thread t;
        synchronized (ackLock) {
            t = ackThread;
        }
        join(drainThread);
        join(t);
        buffer.close();
        LOG.info("flow {} closed after {} bytes ({} spilled)", flowId, counters.bytesReceived(), counters.bytesSpilled());
    }
}
