package io.df2redis.cutover;

import io.df2redis.redis.KeyspaceClient;
import io.df2redis.redis.RedisCommand;
import io.df2redis.redis.RedisWriter;
import io.df2redis.resp.RespReply;
import io.df2redis.translate.ObjectTranslator;
import io.df2redis.verify.Difference;
import io.df2redis.verify.VerifyConfig;
import io.df2redis.verify.VerifyReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a differing key in the target what it is in the source, while the source's writes are
 * paused: the source's value ({@code DUMP} + {@code PTTL}) written through the job's translation
 * (so Dragonfly-only encodings and the translate policies apply as in the snapshot), or {@code DEL}
 * when the source has no such key. Renamed keys (the job's {@code map.key-prefix}) are written
 * under their target names.
 */
final class Repair {
    private final KeyspaceClient source;
    private final RedisWriter target;
    private final ObjectTranslator objects;
    private final VerifyConfig scope;

    Repair(KeyspaceClient source, RedisWriter target, ObjectTranslator objects, VerifyConfig scope) {
        this.source = source;
        this.target = target;
        this.objects = objects;
        this.scope = scope;
    }

    /** Repairs {@code d}; returns null when done, or why it could not be (the key stays different). */
    String repair(Difference d) throws IOException, InterruptedException {
        if (d.kind() == Difference.Kind.EXTRA) {
            submit(RedisCommand.of(d.db(), d.key(), b("DEL"), d.key()));
            return null;
        }
        int targetDb = scope.targetDb().apply(d.db());
        byte[] targetKey = scope.scope().targetName(d.key());
        List<RespReply> read = source.read(d.db(), List.of(new byte[][] {b("DUMP"), d.key()}, new byte[][] {b("PTTL"), d.key()}));
        if (read.get(0) instanceof RespReply.Error e) {
            return "DUMP on the source: " + e.message();
        }
        if (!(read.get(0) instanceof RespReply.Bulk payload)) {
            submit(RedisCommand.of(targetDb, targetKey, b("DEL"), targetKey)); // gone from the source meanwhile
            return null;
        }
        long ttl = read.get(1) instanceof RespReply.Integer i ? i.value() : -1;
        long expireAt = ttl >= 0 ? System.currentTimeMillis() + ttl : -1;
        List<RedisCommand> commands = new ArrayList<>();
        try {
            objects.replaceFromDump(targetDb, d.db(), targetKey, expireAt, payload.bytes(), commands::add);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        if (commands.isEmpty()) {
            return "the translation leaves " + VerifyReport.printable(d.key()) + " out (translate.dragonfly-types.*)";
        }
        for (RedisCommand c : commands) {
            submit(c);
        }
        return null;
    }

    private void submit(RedisCommand c) throws InterruptedException {
        target.submit(c);
    }

    /** Waits until every repair write is acknowledged. */
    void flush() throws IOException, InterruptedException {
        target.flush();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
