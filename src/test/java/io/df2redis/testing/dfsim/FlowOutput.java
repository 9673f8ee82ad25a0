package io.df2redis.testing.dfsim;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The master side of a flow socket: writes in bounded pieces and remembers since when the current
 * write has been blocked, which is what the master's replication timeout measures.
 */
final class FlowOutput {
    private final OutputStream out;
    private final int maxWrite;
    private volatile long blockedSinceNanos;
    private volatile long bytesWritten;

    FlowOutput(OutputStream out, int maxWrite) {
        this.out = out;
        this.maxWrite = maxWrite;
    }

    /** Writes everything or throws {@link UncheckedIOException} (socket closed: session cancelled). */
    synchronized void write(byte[] b, int off, int len) {
        try {
            for (int pos = off; pos < off + len; pos += maxWrite) {
                int n = Math.min(maxWrite, off + len - pos);
                blockedSinceNanos = System.nanoTime();
                out.write(b, pos, n);
                out.flush();
                blockedSinceNanos = 0;
                bytesWritten += n;
            }
        } catch (IOException e) {
            blockedSinceNanos = 0;
            throw new UncheckedIOException(e);
        }
    }

    void write(byte[] b) {
        write(b, 0, b.length);
    }

    /** How long the write in progress has been blocked, 0 when none is. */
    long blockedNanos() {
        long s = blockedSinceNanos;
        return s == 0 ? 0 : System.nanoTime() - s;
    }

    long bytesWritten() {
        return bytesWritten;
    }
}
