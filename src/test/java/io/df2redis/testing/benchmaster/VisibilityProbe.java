package io.df2redis.testing.benchmaster;

import io.df2redis.resp.RespReader;
import io.df2redis.resp.RespReply;
import io.df2redis.resp.RespWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;

/**
 * How far the target is behind the master's writes, seen from the target itself (not from ACKs,
 * which trail by a checkpoint): the newest stable write whose value is already in the target, found
 * by a binary search over the recent writes with one {@code GET} per step. Writes of different flows
 * may land out of order, so this is an estimate to within the flows' skew.
 */
final class VisibilityProbe implements AutoCloseable {
    private static final byte[] GET = {'G', 'E', 'T'};
    private final BenchData data;
    private final Socket socket;
    private final OutputStream out;
    private final RespReader in;

    VisibilityProbe(String hostPort, BenchData data) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        this.data = data;
        this.socket = new Socket(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        this.in = new RespReader(socket.getInputStream());
    }

    /**
     * Writes made but not yet visible, looking back at most {@code window} writes from {@code writes}
     * (returns {@code window} when even the oldest of them is not visible).
     */
    long invisibleWrites(long writes, long window) throws IOException {
        try {
            return invisibleWrites(writes, window, j -> {
                try {
                    return visible(j);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The binary search of {@link #invisibleWrites(long, long)} over any visibility test. */
    static long invisibleWrites(long writes, long window, java.util.function.LongPredicate visible) {
        long lo = Math.max(0, writes - window); // lowest candidate
        long hi = writes - 1;
        if (hi < 0 || visible.test(hi)) {
            return 0;
        }
        if (!visible.test(lo)) {
            return writes - lo;
        }
        // visible(lo) and !visible(hi): find the boundary.
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (visible.test(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return writes - 1 - lo;
    }

    /** Whether stable write {@code j} (or a later write of its key) is in the target. */
    private boolean visible(long j) throws IOException {
        long k = data.keyOfWrite(j);
        out.write(RespWriter.encode(List.of(GET, BenchData.key(k))));
        out.flush();
        RespReply r = in.read();
        if (!(r instanceof RespReply.Bulk b)) {
            return false;
        }
        return generation(b.bytes()) >= data.generationOfWrite(j);
    }

    /** The generation a value carries: {@code <index>:<generation>:…}. */
    static long generation(byte[] v) {
        int i = 0;
        while (i < v.length && v[i] != ':') {
            i++;
        }
        long g = 0;
        for (i++; i < v.length && v[i] != ':'; i++) {
            g = g * 10 + (v[i] - '0');
        }
        return g;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
