package io.df2redis.redis;

import io.df2redis.resp.RespReader;
import io.df2redis.resp.RespReply;
import io.df2redis.resp.RespWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One pipelined connection: a sending thread takes queued commands in order, packs them into
 * batches (bounded by count and bytes) and writes each with one socket write; a reading thread
 * matches replies to the in-flight batches one by one while more batches are on the wire (at most
 * {@code maxInFlightBatches}). The connection serves one database (see {@link Node}); ASKING goes
 * right before an ASK resend.
 *
 * <p>When the connection breaks (I/O error, reply timeout, protocol error), both threads stop and
 * every command it held goes back to {@link SlotTable}: those written without a reply as "outcome
 * unknown", the others as never sent.
 */
final class PipelinedConnection {
    /** Arguments at least this large are written straight from their array, not copied into the batch buffer. */
    private static final int DIRECT_WRITE_BYTES = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final long COALESCE_NANOS = 200_000;

    final Node node;
    final int db;
    final int index;
    /** run_id of the server process this connection talks to (null if INFO is not allowed). */
    final String runId;
    private final RedisConnection raw;
    private final SlotTable slots;
    private final WriterMetrics metrics;
    private final OutstandingBudget budget;
    private final int maxBatchCommands;
    private final int maxBatchBytes;
    private final ArrayBlockingQueue<Batch> inFlight;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** The sending thread waits for a first command (nothing queued). */
    private boolean senderIdle;
    /** The sending thread waits briefly for a fuller batch (some queued, batches in flight). */
    private boolean senderCoalescing;
    private volatile boolean dead;
    private final AtomicBoolean drained = new AtomicBoolean();
    private volatile boolean shutdown;
    /** Commands this connection got acknowledged and that no flush has confirmed yet. */
    final AtomicLong unconfirmed = new AtomicLong();
    /** Commands this connection got acknowledged since it opened (written by the receiving thread only). */
    volatile long acknowledgedTotal;
    private Thread sender;
    private Thread receiver;
    // Owned by the receiving thread; read by the drain after both threads ended.
    private Batch readingBatch;
    private int readingIndex;
    // Owned by the sending thread: a batch taken from the queue but not yet in flight.
    private Batch unsentBatch;
    private long sendSeq;
    private volatile String failure;

    PipelinedConnection(Node node, int db, int index, RedisConnection raw, String runId, SlotTable slots, WriterMetrics metrics,
            OutstandingBudget budget, WriterConfig config) {
        this.node = node;
        this.db = db;
        this.index = index;
        this.runId = runId;
        this.raw = raw;
        this.slots = slots;
        this.metrics = metrics;
        this.budget = budget;
        this.maxBatchCommands = config.maxBatchCommands;
        this.maxBatchBytes = config.maxBatchBytes;
        this.inFlight = new ArrayBlockingQueue<>(config.maxInFlightBatches);
    }

    void start() {
        String name = "df2redis-" + this;
        sender = new Thread(this::sendLoop, name + "-send");
        receiver = new Thread(this::receiveLoop, name + "-recv");
        sender.setDaemon(true);
        receiver.setDaemon(true);
        sender.start();
        receiver.start();
    }

    boolean live() {
        return !dead;
    }

    /** Queues a command behind everything already queued; false if the connection is broken. */
    boolean enqueue(Object entry) {
        lock.lock();
        try {
            if (dead) {
                return false;
            }
            queue.add(entry);
            // Wake the sender for the first command, or once a coalescing batch is full: not for every command.
            if (senderIdle || (senderCoalescing && queue.size() >= maxBatchCommands)) {
                notEmpty.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Breaks the connection; its commands are handed back to their slots by {@link #drain}. */
    void abort(String why) {
        lock.lock();
        try {
            if (dead) {
                return;
            }
            dead = true;
            failure = why;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        raw.abort();
        Thread self = Thread.currentThread();
        if (sender != self) {
            sender.interrupt();
        }
        if (receiver != self) {
            receiver.interrupt();
        }
        if (!shutdown) {
            try {
                slots.recovery().execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the writer closed meanwhile: nothing to hand back to
            }
        }
    }

    /** Stops without handing commands back (the writer is closing). */
    void shutdown() {
        shutdown = true;
        abort("writer closed");
        join(sender);
        join(receiver);
        failControlOps(collect(new ArrayList<>(), new ArrayList<>()));
    }

    private void sendLoop() {
        RespWriter enc = new RespWriter(Math.min(maxBatchBytes, 1 << 20) + 1024);
        Object[] taken = new Object[maxBatchCommands];
        try {
            OutputStream out = raw.socket().getOutputStream();
            while (true) {
                int n = 0;
                lock.lock();
                try {
                    while (queue.isEmpty() && !dead) {
                        senderIdle = true;
                        notEmpty.await();
                        senderIdle = false;
                    }
                    if (!dead && queue.size() < maxBatchCommands / 4 && !inFlight.isEmpty()) {
                        // Replies are pending anyway: a few more microseconds make a fuller batch, fewer
                        // writes and fewer wake-ups on both sides.
                        senderCoalescing = true;
                        notEmpty.awaitNanos(COALESCE_NANOS);
                        senderCoalescing = false;
                    }
                    if (dead) {
                        return;
                    }
                    long bytes = 0;
                    while (n < taken.length && bytes < maxBatchBytes && !queue.isEmpty()) {
                        Object e = queue.poll();
                        taken[n++] = e;
                        bytes += e instanceof Pending p ? p.charge : 64;
                    }
                } finally {
                    lock.unlock();
                }
                Batch b = new Batch(n * 2);
                for (int i = 0; i < n; i++) {
                    Object e = taken[i];
                    taken[i] = null;
                    if (e instanceof Pending p) {
                        if (!p.probe && slots.isHeld(p.slot()) && slots.divert(p)) {
                            continue; // its slot is being re-routed: it waits behind the commands that failed
                        }
                        if (p.asking) {
                            b.add(ControlOp.ASKING);
                        }
                    }
                    b.add(e);
                }
                if (b.size == 0) {
                    continue;
                }
                b.firstSeq = sendSeq + 1; // positions in this connection's stream, for replay marks
                sendSeq += b.size;
                unsentBatch = b;
                inFlight.put(b); // bounded: waits while maxInFlightBatches are unanswered
                unsentBatch = null;
                b.written = true; // from here on the server may have received (and applied) any of it
                long sent = write(b, enc, out);
                metrics.batches.increment();
                metrics.bytesSent.add(sent);
            }
        } catch (InterruptedException e) {
            abort("interrupted");
        } catch (IOException | RuntimeException e) {
            abort("send failed: " + e);
        } catch (Error e) {
            abort("send failed: " + e); // never leave a live-looking connection that sends nothing
            throw e;
        }
    }

    private long write(Batch b, RespWriter enc, OutputStream out) throws IOException {
        long total = 0;
        enc.reset();
        for (int i = 0; i < b.size; i++) {
            Object e = b.entries[i];
            byte[][] args = e instanceof Pending p ? p.command.args() : ((ControlOp) e).args;
            enc.arrayHeader(args.length);
            for (byte[] a : args) {
                if (a.length < DIRECT_WRITE_BYTES) {
                    enc.bulk(a);
                } else {
                    enc.bulkHeader(a.length);
                    total += enc.size();
                    enc.writeTo(out);
                    enc.reset();
                    out.write(a);
                    total += a.length;
                    enc.raw(CRLF, 0, 2);
                }
            }
            if (enc.size() >= maxBatchBytes) {
                total += enc.size();
                enc.writeTo(out);
                enc.reset();
            }
        }
        total += enc.size();
        enc.writeTo(out);
        out.flush();
        return total;
    }

    private void receiveLoop() {
        RespReader in = raw.reader();
        try {
            while (true) {
                Batch b = inFlight.take();
                readingBatch = b;
                int finished = 0;
                int acknowledged = 0;
                long charges = 0;
                try {
                    for (int i = 0; i < b.size; i++) {
                        readingIndex = i;
                        RespReply r = in.read();
                        Object e = b.entries[i];
                        if (e instanceof Pending p) {
                            int outcome = slots.onReply(this, p, r, b.firstSeq + i);
                            if (outcome != SlotTable.RESENDING) {
                                finished++;
                                charges += p.charge;
                                if (outcome == SlotTable.DONE_OK) {
                                    acknowledged++;
                                }
                            }
                        } else {
                            control((ControlOp) e, r);
                        }
                    }
                    readingIndex = b.size;
                } finally {
                    if (acknowledged > 0) {
                        unconfirmed.addAndGet(acknowledged);
                        acknowledgedTotal += acknowledged;
                        metrics.acknowledged.add(acknowledged);
                    }
                    budget.release(finished, charges);
                }
                readingBatch = null;
            }
        } catch (InterruptedException e) {
            abort("interrupted");
        } catch (SocketTimeoutException e) {
            abort("no reply within the reply timeout");
        } catch (IOException | RuntimeException e) {
            abort("receive failed: " + e);
        } catch (Error e) {
            abort("receive failed: " + e);
            throw e;
        }
    }

    private static void control(ControlOp op, RespReply r) {
        if (op.result != null) {
            op.result.complete(r);
        }
        // A refused ASKING (BUSY, LOADING…) is harmless: without it the command behind gets MOVED/ASK, never applied elsewhere.
    }

    /** Runs on the recovery thread once the connection is dead: hands every command back. */
    private void drain() {
        if (!drained.compareAndSet(false, true)) {
            return;
        }
        join(sender);
        join(receiver);
        List<Pending> unknown = new ArrayList<>();
        List<Pending> unsent = new ArrayList<>();
        List<ControlOp> ops = collect(unknown, unsent);
        metrics.connectionsLost.increment();
        slots.connectionLost(this, unknown, unsent, ops, failure);
    }

    /** Every command still held, split by whether it may have reached the server. */
    private List<ControlOp> collect(List<Pending> unknown, List<Pending> unsent) {
        List<ControlOp> ops = new ArrayList<>();
        Batch current = readingBatch;
        if (current != null) {
            sort(current, readingIndex, current.written ? unknown : unsent, ops);
        }
        for (Batch b; (b = inFlight.poll()) != null; ) {
            if (b != current) {
                sort(b, 0, b.written ? unknown : unsent, ops);
            }
        }
        if (unsentBatch != null && unsentBatch != current) {
            sort(unsentBatch, 0, unsent, ops);
        }
        lock.lock();
        try {
            for (Object e; (e = queue.poll()) != null; ) {
                if (e instanceof Pending p) {
                    unsent.add(p);
                } else {
                    ops.add((ControlOp) e);
                }
            }
        } finally {
            lock.unlock();
        }
        return ops;
    }

    private void sort(Batch b, int from, List<Pending> into, List<ControlOp> ops) {
        for (int i = from; i < b.size; i++) {
            Object e = b.entries[i];
            if (e instanceof Pending p) {
                if (b.written) {
                    p.sentOn = this;
                    p.sendSeq = b.firstSeq + i;
                }
                into.add(p);
            } else {
                ops.add((ControlOp) e);
            }
        }
    }

    static void failControlOps(List<ControlOp> ops) {
        for (ControlOp op : ops) {
            if (op.result != null) {
                op.result.completeExceptionally(new IOException("connection closed before the reply"));
            }
        }
    }

    String failure() {
        return failure;
    }

    private static void join(Thread t) {
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return node.address + "/db" + db + "#" + index;
    }
}
