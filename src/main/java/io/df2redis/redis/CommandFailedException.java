package io.df2redis.redis;

/** A command Redis refused (or that could not be delivered), with its key and the reply. */
public class CommandFailedException extends RedisWriteException {
    /** Not serialized: Flink ships a task's failure to the JobManager, which needs only the message. */
    private final transient CommandFailure failure;

    public CommandFailedException(CommandFailure failure) {
        super(failure.toString());
        this.failure = failure;
    }

    public CommandFailure failure() {
        return failure;
    }
}
