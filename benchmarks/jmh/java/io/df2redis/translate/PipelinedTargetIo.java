package io.df2redis.translate;

import io.df2redis.redis.RedisCommand;
import io.df2redis.resp.RespReader;
import io.df2redis.resp.RespReply;
import io.df2redis.resp.RespWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark stand-in for the writer: one connection to a standalone Redis, commands pipelined in
 * batches of {@code batch}, every reply read and checked. Enough to measure the translation's cost
 * and the server's; the real writer's figures are its own.
 */
final class PipelinedTargetIo implements TargetIo, AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final RespReader in;
    private final RespWriter buf = new RespWriter(1 << 20);
    private final int batch;
    private int pending;
    private int db = 0;
    long commands;

    PipelinedTargetIo(String host, int port, int batch) throws IOException {
        this.socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        this.in = new RespReader(socket.getInputStream(), 1 << 16, 1 << 30);
        this.batch = batch;
    }

    @Override
    public void submit(RedisCommand c) {
        if (c.db() != db) {
            buf.command("SELECT", Integer.toString(c.db()));
            pending++;
            db = c.db();
        }
        buf.command(c.args());
        pending++;
        commands++;
        if (pending >= batch || buf.size() > (1 << 20)) {
            sync();
        }
    }

    /** Sends what is buffered and reads every reply. */
    void sync() {
        try {
            buf.writeTo(out);
            out.flush();
            buf.reset();
            for (; pending > 0; pending--) {
                RespReply r = in.read();
                if (r.isError()) {
                    throw new IllegalStateException("target refused a command: " + r.describe());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<RespReply> call(List<RedisCommand> cmds) {
        sync();
        List<RespReply> replies = new ArrayList<>();
        try {
            for (RedisCommand c : cmds) {
                if (c.db() != db) {
                    buf.command("SELECT", Integer.toString(c.db()));
                    buf.writeTo(out);
                    buf.reset();
                    out.flush();
                    in.read();
                    db = c.db();
                }
                buf.command(c.args());
            }
            buf.writeTo(out);
            buf.reset();
            out.flush();
            for (int i = 0; i < cmds.size(); i++) {
                replies.add(in.read());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return replies;
    }

    @Override
    public void flush(TargetFlush f) {
        sync();
        if (f.all()) {
            call(List.of(new RedisCommand(0, 0, new byte[0], new byte[][] {"FLUSHALL".getBytes()})));
        } else {
            for (int d : f.dbs()) {
                call(List.of(new RedisCommand(d, 0, new byte[0], new byte[][] {"FLUSHDB".getBytes()})));
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
