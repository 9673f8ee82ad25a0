package io.df2redis.testing.benchmaster;

import io.df2redis.resp.RespReply;
import io.df2redis.testing.dfsim.RawConn;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A replica that reads and discards: the handshake, one connection per flow, {@code DFLY SYNC}, then
 * every flow drained into a null sink until the master reports every FULLSYNC_END written and all
 * those bytes arrived; then {@code DFLY STARTSTABLE}. Measures how fast the master can serve a full
 * sync over loopback when the consumer costs nothing.
 */
final class NullReplica {
    /** What one drained full sync took. */
    record Result(long keys, long bytes, long nanos) {
        double keysPerSecond() {
            return keys / (nanos / 1e9);
        }

        double megabytesPerSecond() {
            return bytes / 1e6 / (nanos / 1e9);
        }
    }

    private NullReplica() {}

    static Result fullSync(int port, long keys) throws IOException, InterruptedException {
        List<RawConn> flows = new ArrayList<>();
        List<Thread> drains = new ArrayList<>();
        AtomicLong received = new AtomicLong();
        try (RawConn main = new RawConn(port)) {
            expectOk(main.call("PING"), "PING");
            RespReply capa = main.call("REPLCONF", "capa", "dragonfly");
            List<RespReply> c = capa.asArray();
            String masterId = c.get(0).asText();
            String syncId = c.get(1).asText();
            int n = (int) c.get(2).asLong();
            for (int i = 0; i < n; i++) {
                RawConn f = new RawConn(port);
                flows.add(f);
                RespReply r = f.call("DFLY", "FLOW", masterId, syncId, Integer.toString(i));
                if (r.isError()) {
                    throw new IOException("DFLY FLOW " + i + ": " + r.describe());
                }
                f.socket().setSoTimeout(0);
                InputStream in = f.socket().getInputStream();
                Thread t = new Thread(() -> drain(in, received), "null-replica-flow-" + i);
                t.setDaemon(true);
                drains.add(t);
                t.start();
            }
            long t0 = System.nanoTime();
            expectOk(main.call("DFLY", "SYNC", syncId), "DFLY SYNC");
            while (true) {
                Map<String, String> info = info(main);
                long ended = parseOrZero(info.get("bench_fullsync_end_flows"));
                long bytes = parseOrZero(info.get("bench_snapshot_bytes"));
                if (ended == n && received.get() >= bytes) {
                    long nanos = System.nanoTime() - t0;
                    expectOk(main.call("DFLY", "STARTSTABLE", syncId), "DFLY STARTSTABLE");
                    return new Result(keys, received.get(), nanos);
                }
                Thread.sleep(5);
            }
        } finally {
            for (RawConn f : flows) {
                f.close();
            }
            for (Thread t : drains) {
                t.join(5000);
            }
        }
    }

    private static void drain(InputStream in, AtomicLong received) {
        byte[] buf = new byte[256 * 1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                received.addAndGet(n);
            }
        } catch (IOException e) {
            // closed at the end
        }
    }

    static Map<String, String> info(RawConn main) throws IOException {
        RespReply r = main.call("INFO");
        Map<String, String> m = new HashMap<>();
        for (String line : ((RespReply.Bulk) r).text().split("\r\n")) {
            int i = line.indexOf(':');
            if (i > 0) {
                m.put(line.substring(0, i), line.substring(i + 1));
            }
        }
        return m;
    }

    private static long parseOrZero(String s) {
        return s == null || s.equals("null") ? 0 : Long.parseLong(s);
    }

    private static void expectOk(RespReply r, String what) throws IOException {
        if (r.isError()) {
            throw new IOException(what + ": " + r.describe());
        }
    }
}
