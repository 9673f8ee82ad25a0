package io.df2redis.translate;

import io.df2redis.redis.RedisCommand;
import io.df2redis.resp.RespReply;
import java.util.List;

/**
 * What {@link SlotApplier} needs from the writer. Implemented by the Flink sink over the Redis
 * writer; tests implement it over a plain connection.
 */
public interface TargetIo {

    /** Hands a command to the writer: applied asynchronously, in order with its slot's other commands. */
    void submit(RedisCommand command);

    /**
     * Runs {@code commands} once everything submitted earlier for their slots is applied, waits for
     * them, and returns their replies in order (error replies included, not thrown). Used by the
     * two halves of a cross-slot move only.
     */
    List<RespReply> call(List<RedisCommand> commands);

    /**
     * Carries out a global command's flush once everything submitted earlier is applied. In a job
     * with several sink instances every instance receives the global command and clears only the
     * slots it owns (in the given dbs, or all dbs for {@link TargetFlush#all()}): a whole-target
     * FLUSHALL from each instance at its own time would delete what faster instances already wrote
     * after the flush. A single instance owning every slot may flush the target outright.
     */
    void flush(TargetFlush flush);
}
