package io.df2redis.dragonfly.session;

/**
 * A caller asked for a command in an order that the protocol forbids. Two such orders crash a
 * v1.40 master ({@code REPLCONF CLIENT-VERSION} before {@code capa dragonfly}; {@code DFLY
 * STARTSTABLE} for FULL flows without a successful {@code DFLY SYNC}), so nothing was sent. This
 * is a bug in the caller, hence unchecked.
 */
public class ForbiddenOrderException extends IllegalStateException {
    public ForbiddenOrderException(String message) {
        super(message);
    }
}
