package io.df2redis.dragonfly.session;

/** The master's release is older than this client supports. */
public class UnsupportedMasterException extends DragonflyException {
    public UnsupportedMasterException(String message) {
        super(message);
    }
}
