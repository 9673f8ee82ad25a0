package io.df2redis.dragonfly.flow;

import io.df2redis.dragonfly.session.DragonflyException;

/**
 * A flow's connection ended or failed. The master cancels the whole session when any of its
 * connections closes, so this ends the epoch.
 */
public class FlowLostException extends DragonflyException {
    private final int flow;
    private final long bytesReceived;

    public FlowLostException(int flow, long bytesReceived, String what, Throwable cause) {
        super("flow " + flow + " lost after " + bytesReceived + " bytes: " + what, cause);
        this.flow = flow;
        this.bytesReceived = bytesReceived;
    }

    public int flow() {
        return flow;
    }

    /** Bytes received on the flow before it was lost (stream offset of the cut). */
    public long bytesReceived() {
        return bytesReceived;
    }
}
