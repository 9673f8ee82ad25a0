package io.df2redis.dragonfly.session;

/** {@code REPLCONF capa dragonfly} was answered like a Redis master would: no Dragonfly session. */
public class NotDragonflyMasterException extends DragonflyException {
    public NotDragonflyMasterException(String message) {
        super(message);
    }
}
