package io.df2redis.resp;

/** The peer sent bytes that are not valid RESP2, or a reply of an unexpected shape. */
public class RespProtocolException extends RuntimeException {
    public RespProtocolException(String message) {
        super(message);
    }

    public RespProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
