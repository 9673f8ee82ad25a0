package io.df2redis.redis;

/** Base of the writer's typed errors. */
public class RedisWriteException extends RuntimeException {
    public RedisWriteException(String message) {
        super(message);
    }

    public RedisWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
