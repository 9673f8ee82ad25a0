package io.df2redis.flink.source.reader;

import io.df2redis.dragonfly.session.ConnectConfig;
import io.df2redis.dragonfly.session.DragonflyEndpoint;
import io.df2redis.dragonfly.session.MasterConnection;
import io.df2redis.resp.RespReply;
import io.df2redis.translate.JournalSplitter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a key's value from the master for a move into the filtered set ({@link
 * JournalSplitter.MovedIn}): {@code DUMP} and {@code PTTL} on a plain connection, opened on first
 * use and kept; the result is the {@code RESTORE key ttl payload} the journal translation already
 * applies to Dragonfly's own payloads, or {@code DEL key} when the master no longer has it.
 * Blocking, on the reader's thread: such moves are rare. Writes to the key between the move and this
 * read reach the target twice (in the value read, then from the journal): README "Filters".
 */
final class MasterReads implements JournalSplitter.MovedIn, AutoCloseable {
    private DragonflyEndpoint endpoint;
    private final ConnectConfig connect;
    private MasterConnection connection;
    private int selected = -1;

    MasterReads(DragonflyEndpoint endpoint, ConnectConfig connect) {
        this.endpoint = endpoint;
        this.connect = connect;
    }

    /** Reads go to the session's master from now on (after a failover, the promoted replica). */
    void master(DragonflyEndpoint master) {
        if (!master.equals(endpoint)) {
            close();
            connection = null;
            endpoint = master;
        }
    }

    @Override
    public List<byte[]> fetch(int db, byte[] key) {
        try {
            if (connection == null || connection.isClosed()) {
                connection = MasterConnection.open(endpoint, connect, "moved-in");
                selected = -1;
            }
            if (selected != db) {
                connection.call("SELECT", Integer.toString(db));
                selected = db;
            }
            RespReply dump = connection.callRaw(List.of(b("DUMP"), key));
            RespReply ttl = connection.callRaw(List.of(b("PTTL"), key));
            if (dump instanceof RespReply.Error e) {
                throw new IOException("DUMP on the master: " + e.message());
            }
            if (!(dump instanceof RespReply.Bulk payload)) {
                return List.of(b("DEL"), key);
            }
            long ms = ttl instanceof RespReply.Integer i ? i.value() : -1;
            if (ms == -2) {
                return List.of(b("DEL"), key); // expired between the two reads
            }
            return List.of(b("RESTORE"), key, b(Long.toString(Math.max(0, ms))), payload.bytes(), b("REPLACE"));
        } catch (IOException e) {
            if (connection != null) {
                connection.close();
                connection = null;
            }
            throw new UncheckedIOException("reading a key moved into the filtered set from the master " + endpoint + ": "
                    + e.getMessage(), e);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
