package io.df2redis.redis;

/** A command Redis refused (or that could not be delivered), with its key and the reply. */
public class CommandFailedException extends RedisWriteException {
    private final CommandFailure failure;

    public CommandFailedException(CommandFailure failure) {
        super(failure.toString());
        this.failure = failure;
    }

    public CommandFailure failure() {
        return failure;
    }
}
