package io.df2redis.dragonfly.session;

import io.df2redis.resp.RespReply;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * A plain connection to the Dragonfly master for the cut-over: how many replicas are connected,
 * pausing and un-pausing client writes ({@code CLIENT PAUSE ms WRITE}), and waiting until every
 * replica acknowledged everything written so far ({@code WAIT}: the master journals a PING on
 * every shard and counts the replicas whose ACKs passed it; df2redis ACKs only what Redis holds).
 */
public final class SourceControl implements Closeable {
    private final MasterConnection connection;

    private SourceControl(MasterConnection connection) {
        this.connection = connection;
    }

    public static SourceControl open(DragonflyEndpoint endpoint, ConnectConfig connect) throws IOException {
        return new SourceControl(MasterConnection.open(endpoint, connect, "cutover"));
    }

    /** What the address is (a Dragonfly master or not), for one clear sentence. */
    public SourceIdentity identity() throws IOException {
        return SourceIdentity.read(connection);
    }

    /** {@code connected_slaves} of {@code INFO replication}: replicas and df2redis jobs. */
    public int connectedReplicas() throws IOException {
        RespReply r = connection.callRaw("INFO", "REPLICATION");
        if (!(r instanceof RespReply.Bulk b)) {
            throw new IOException("INFO REPLICATION refused: " + r.describe());
        }
        Map<String, String> info = SessionController.parseInfo(b.text());
        String n = info.get("connected_slaves");
        if (n == null) {
            throw new IOException("INFO REPLICATION has no connected_slaves");
        }
        return Integer.parseInt(n.trim());
    }

    public void pauseWrites(Duration d) throws IOException {
        connection.call("CLIENT", "PAUSE", Long.toString(Math.max(1, d.toMillis())), "WRITE");
    }

    public void unpause() throws IOException {
        connection.call("CLIENT", "UNPAUSE");
    }

    /** {@code WAIT replicas timeout}: how many replicas acknowledged everything before it, within {@code timeout}. */
    public long waitForReplicas(int replicas, Duration timeout) throws IOException {
        connection.setReadTimeout(timeout.plusSeconds(10));
        RespReply r = connection.call("WAIT", Integer.toString(replicas), Long.toString(Math.max(1, timeout.toMillis())));
        return r.asLong();
    }

    /** Writes {@code key = value} (expiring after {@code ttl}) on the master: a request the job reads in its journal. */
    public void set(byte[] key, String value, Duration ttl) throws IOException {
        RespReply r = connection.callRaw(java.util.List.of("SET".getBytes(java.nio.charset.StandardCharsets.US_ASCII), key,
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8), "PX".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                Long.toString(ttl.toMillis()).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        if (r instanceof RespReply.Error e) {
            throw new IOException("SET on the source: " + e.message());
        }
    }

    public void del(byte[] key) throws IOException {
        connection.callRaw(java.util.List.of("DEL".getBytes(java.nio.charset.StandardCharsets.US_ASCII), key));
    }

    /** Whether the master still answers on this connection. */
    public boolean answers() {
        try {
            return !(connection.callRaw("PING") instanceof RespReply.Error);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@code DFLY REPLICAOFFSET}: per shard, the next LSN. */
    public long[] offsets() throws IOException {
        java.util.List<RespReply> a = connection.call("DFLY", "REPLICAOFFSET").asArray();
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asLong();
        }
        return out;
    }

    @Override
    public void close() {
        connection.close();
    }
}
