package io.df2redis.dragonfly.session;

/** The master answered with a reply of a shape the protocol does not allow here. */
public class UnexpectedReplyException extends DragonflyException {
    public UnexpectedReplyException(String command, String expected, String got) {
        super("unexpected reply to '" + command + "': expected " + expected + ", got " + got);
    }
}
