package io.df2redis.dragonfly.session;

import java.io.IOException;

/**
 * Base of every typed failure of the replication session and its flows. Being an {@link
 * IOException}, it travels the same paths as socket errors; the subclass says what went wrong.
 */
public class DragonflyException extends IOException {
    public DragonflyException(String message) {
        super(message);
    }

    public DragonflyException(String message, Throwable cause) {
        super(message, cause);
    }
}
