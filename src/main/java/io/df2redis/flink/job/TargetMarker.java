package io.df2redis.flink.job;

import io.df2redis.redis.RedisCommand;
import io.df2redis.redis.RedisWriter;
import io.df2redis.redis.Slots;
import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The key in db 0 naming the job (by Flink's fixed job id, application mode) that applied the
 * target policy, so that main() running again after a JobManager failover does not apply it again.
 * Jobs without a fixed id never write it. Writers that clear or flush the target put it back; it
 * stays after the migration (delete it after the cut-over).
 */
public final class TargetMarker {
    public static final String KEY = "__df2redis:prepared-for-job";
    private static final byte[] KEY_BYTES = KEY.getBytes(StandardCharsets.UTF_8);
    /** The hash slot of {@link #KEY}: the writer that owns it keeps the marker. */
    public static final int SLOT = Slots.slot(KEY_BYTES);
    private static final byte[] GET = {'G', 'E', 'T'};
    private static final byte[] SET = {'S', 'E', 'T'};

    private TargetMarker() {}

    /** The job id the target is marked with, or {@code null}. */
    public static String read(RedisWriter w) throws IOException, InterruptedException {
        RespReply r = w.call(List.of(RedisCommand.of(0, KEY_BYTES, GET, KEY_BYTES))).get(0);
        if (r instanceof RespReply.Bulk b) {
            return new String(b.bytes(), StandardCharsets.UTF_8);
        }
        if (r instanceof RespReply.Null) {
            return null;
        }
        throw new IOException("cannot read " + KEY + " on the target: " + r);
    }

    /** Marks the target for {@code jobId} (after everything submitted before). */
    public static void write(RedisWriter w, String jobId) throws IOException, InterruptedException {
        RespReply r = w.call(List.of(RedisCommand.of(0, KEY_BYTES, SET, KEY_BYTES, jobId.getBytes(StandardCharsets.UTF_8)))).get(0);
        if (r.isError()) {
            throw new IOException("cannot write " + KEY + " on the target: " + r);
        }
    }
}
