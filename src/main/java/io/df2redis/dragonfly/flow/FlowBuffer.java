package io.df2redis.dragonfly.flow;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A FIFO byte queue between one producer (the drain thread, which must never block) and one
 * consumer. Bytes stay in memory up to a limit; beyond it they go to spill files, which are deleted
 * as soon as they have been read. Order is kept across memory and disk: the queue is a sequence of
 * segments, each a memory chunk or a spill file.
 *
 * <p>Once spilling starts it goes on until the memory part has drained to half its limit, so that
 * a slow consumer does not cause one tiny spill file per socket read.
 */
final class FlowBuffer implements Closeable {
    private final int flow;
    private final long memoryLimit;
    private final Path spillDir;
    private final long spillLimit;
    private final long spillFileBytes;
    private final FlowCounters counters;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final ArrayDeque<Object> segments = new ArrayDeque<>();
    private long memoryBytes;
    private long diskBytes;
    private boolean spilling;
    private boolean finished;
    private boolean closed;
    private IOException failure;
    private CompletableFuture<Void> availability = new CompletableFuture<>();

    private static final class MemChunk {
        final byte[] data;
        int pos;

        MemChunk(byte[] data) {
            this.data = data;
        }
    }

    private static final class SpillFile {
        final Path path;
        final FileChannel channel;
        long reserved;
        long written;
        long readPos;
        boolean sealed;

        SpillFile(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }
    }

    FlowBuffer(int flow, long memoryLimit, Path spillDir, long spillLimit, long spillFileBytes, FlowCounters counters) {
        this.flow = flow;
        this.memoryLimit = memoryLimit;
        this.spillDir = spillDir;
        this.spillLimit = spillLimit;
        this.spillFileBytes = spillFileBytes;
        this.counters = counters;
    }

    /**
     * Producer side: queues a copy of the bytes. Never waits for the consumer.
     *
     * @throws SpillLimitExceededException when the bytes fit neither in memory nor under the spill limit
     */
    void append(byte[] b, int off, int len) throws IOException {
        if (len <= 0) {
            return;
        }
        SpillFile target;
        long position;
        lock.lock();
        try {
            if (closed || finished) {
                return;
            }
            if (spilling && memoryBytes <= memoryLimit / 2) {
                spilling = false;
                sealTail();
            }
            if (!spilling && memoryBytes + len <= memoryLimit) {
                byte[] copy = new byte[len];
                System.arraycopy(b, off, copy, 0, len);
                segments.addLast(new MemChunk(copy));
                memoryBytes += len;
                counters.memoryBytes.set(memoryBytes);
                signal();
                return;
            }
            spilling = true;
            if (diskBytes + len > spillLimit) {
                counters.spillLimitHits.incrementAndGet();
                throw new SpillLimitExceededException(flow, counters.bytesReceived.get(), spillLimit, spillDir);
            }
            Object tail = segments.peekLast();
            if (tail instanceof SpillFile s && !s.sealed && s.reserved + len <= Math.max(spillFileBytes, len)) {
                target = s;
            } else {
                sealTail();
                target = newSpillFile();
                segments.addLast(target);
            }
            position = target.reserved;
            target.reserved += len;
        } finally {
            lock.unlock();
        }
        // The consumer reads a spill file only below 'written', so the write can run unlocked.
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        long at = position;
        while (buf.hasRemaining()) {
            at += target.channel.write(buf, at);
        }
        lock.lock();
        try {
            target.written += len;
            diskBytes += len;
            counters.spillBytesOnDisk.set(diskBytes);
            counters.bytesSpilled.addAndGet(len);
            signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Producer side: no more bytes. The consumer still gets everything queued, then -1 ({@code
     * cause == null}) or {@code cause}.
     */
    void finish(IOException cause) {
        lock.lock();
        try {
            if (finished) {
                return;
            }
            finished = true;
            failure = cause;
            sealTail();
            signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Consumer side: copies up to {@code len} bytes, waiting at most {@code timeoutNanos} for some.
     *
     * @return bytes copied, 0 on timeout, -1 at a clean end
     * @throws IOException the producer's failure, once everything before it was read
     */
    int read(byte[] b, int off, int len, long timeoutNanos) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (true) {
                int n = readLocked(b, off, len);
                if (n != 0) {
                    return n;
                }
                if (remaining <= 0) {
                    return 0;
                }
                try {
                    remaining = readable.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading flow " + flow);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Completes when {@link #read} would return without waiting. */
    CompletableFuture<Void> available() {
        lock.lock();
        try {
            if (hasReadableLocked()) {
                return CompletableFuture.completedFuture(null);
            }
            if (availability.isDone()) {
                availability = new CompletableFuture<>();
            }
            return availability;
        } finally {
            lock.unlock();
        }
    }

    boolean isFinished() {
        lock.lock();
        try {
            return finished;
        } finally {
            lock.unlock();
        }
    }

    IOException failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    /** Drops everything queued and deletes the spill files. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            finished = true;
            for (Object s : segments) {
                if (s instanceof SpillFile f) {
                    deleteQuietly(f);
                }
            }
            segments.clear();
            memoryBytes = 0;
            diskBytes = 0;
            counters.memoryBytes.set(0);
            counters.spillBytesOnDisk.set(0);
            signal();
        } finally {
            lock.unlock();
        }
    }

    private int readLocked(byte[] b, int off, int len) throws IOException {
        if (closed) {
            return -1;
        }
        while (!segments.isEmpty()) {
            Object head = segments.peekFirst();
            if (head instanceof MemChunk m) {
                int n = Math.min(len, m.data.length - m.pos);
                System.arraycopy(m.data, m.pos, b, off, n);
                m.pos += n;
                if (m.pos == m.data.length) {
                    segments.pollFirst();
                }
                memoryBytes -= n;
                counters.memoryBytes.set(memoryBytes);
                counters.bytesConsumed.addAndGet(n);
                return n;
            }
            SpillFile f = (SpillFile) head;
            long avail = f.written - f.readPos;
            if (avail == 0) {
                if (!f.sealed) {
                    if (segments.size() == 1 && f.reserved == f.written) {
                        // Caught up with the producer: drop the file; the next bytes go to memory.
                        f.sealed = true;
                        spilling = false;
                        continue;
                    }
                    return 0;
                }
                segments.pollFirst();
                deleteQuietly(f);
                diskBytes -= f.written;
                counters.spillBytesOnDisk.set(diskBytes);
                continue;
            }
            ByteBuffer dst = ByteBuffer.wrap(b, off, (int) Math.min(len, avail));
            int n = 0;
            while (dst.hasRemaining()) {
                int r = f.channel.read(dst, f.readPos + n);
                if (r < 0) {
                    throw new IOException("spill file " + f.path + " of flow " + flow + " is shorter than written");
                }
                n += r;
            }
            f.readPos += n;
            counters.bytesConsumed.addAndGet(n);
            if (f.readPos == f.written && (f.sealed || (segments.size() == 1 && f.reserved == f.written))) {
                // Fully read (and the producer is not writing to it): delete it now.
                segments.pollFirst();
                deleteQuietly(f);
                diskBytes -= f.written;
                counters.spillBytesOnDisk.set(diskBytes);
                if (!f.sealed) {
                    f.sealed = true;
                    spilling = false;
                }
            }
            return n;
        }
        if (finished) {
            if (failure != null) {
                throw failure;
            }
            return -1;
        }
        return 0;
    }

    private boolean hasReadableLocked() {
        if (closed || finished) {
            return true;
        }
        for (Object s : segments) {
            if (s instanceof MemChunk) {
                return true;
            }
            SpillFile f = (SpillFile) s;
            if (f.written > f.readPos || f.sealed) {
                return true;
            }
            return false;
        }
        return false;
    }

    private SpillFile newSpillFile() throws IOException {
        Files.createDirectories(spillDir);
        Path p = Files.createTempFile(spillDir, "df2redis-flow" + flow + "-", ".spill");
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
        counters.spillFiles.incrementAndGet();
        return new SpillFile(p, ch);
    }

    private void sealTail() {
        Object tail = segments.peekLast();
        if (tail instanceof SpillFile s) {
            s.sealed = true;
        }
    }

    private void deleteQuietly(SpillFile f) {
        try {
            f.channel.close();
        } catch (IOException ignored) {
            // the file is deleted next
        }
        try {
            Files.deleteIfExists(f.path);
        } catch (IOException ignored) {
            // best effort: the directory is the operator's
        }
    }

    private void signal() {
        readable.signalAll();
        availability.complete(null);
    }
}
