package io.df2redis.translate;

import io.df2redis.redis.RedisCommand;
import io.df2redis.redis.RedisWriter;
import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.BitSet;
import java.util.List;

/**
 * {@link TargetIo} over the project's {@link RedisWriter} (pipelined, per-slot ordered, cluster
 * routing): what the sink does, for tests. The synchronous calls of cross-slot moves go, after a
 * writer flush, through a plain connection, until the writer's own call() is on main.
 */
final class WriterTargetIo implements TestTargetIo {
    final RedisWriter writer;
    private final JedisTargetIo calls;

    private WriterTargetIo(RedisWriter writer, JedisTargetIo calls) {
        this.writer = writer;
        this.calls = calls;
    }

    static WriterTargetIo open(String url, String host, int port, boolean cluster) {
        try {
            RedisWriter w = RedisWriter.open(url);
            return new WriterTargetIo(w, cluster ? JedisTargetIo.cluster(host, port) : JedisTargetIo.standalone(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void submit(RedisCommand command) {
        try {
            writer.submit(command);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void drain() {
        try {
            writer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<RespReply> call(List<RedisCommand> commands) {
        drain();
        return calls.call(commands);
    }

    @Override
    public void flush(TargetFlush f) {
        try {
            if (!f.slotRanges().isEmpty()) {
                BitSet slots = new BitSet();
                for (int[] r : f.slotRanges()) {
                    slots.set(r[0], r[1] + 1);
                }
                writer.clearSlots(slots);
            } else if (f.all()) {
                writer.flushAll();
            } else {
                for (int db : f.dbs()) {
                    writer.flushDb(db);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        writer.close();
        calls.close();
    }
}
