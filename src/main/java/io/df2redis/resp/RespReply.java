package io.df2redis.resp;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** One RESP2 reply. Bulk payloads stay bytes; text accessors are for control replies only. */
public sealed interface RespReply {

    /** {@code +text}. */
    record SimpleString(String text) implements RespReply {}

    /** {@code -ERR text}: the whole line after the dash, e.g. {@code "ERR invalid state"}. */
    record Error(String message) implements RespReply {
        /** The first word of the message ({@code ERR}, {@code MOVED}, {@code LOADING}, ...). */
        public String code() {
            int sp = message.indexOf(' ');
            return sp < 0 ? message : message.substring(0, sp);
        }
    }

    /** {@code :n}. */
    record Integer(long value) implements RespReply {}

    /** {@code $n ...}; never null (a null bulk is {@link Null}). */
    record Bulk(byte[] bytes) implements RespReply {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** {@code *n ...}. */
    record Array(List<RespReply> elements) implements RespReply {}

    /** {@code $-1} or {@code *-1}. */
    record Null() implements RespReply {}

    default boolean isError() {
        return this instanceof Error;
    }

    /** The reply as text: simple string, bulk, or integer. */
    default String asText() {
        if (this instanceof SimpleString s) {
            return s.text();
        }
        if (this instanceof Bulk b) {
            return b.text();
        }
        if (this instanceof Integer i) {
            return Long.toString(i.value());
        }
        throw new RespProtocolException("expected a text reply, got " + describe());
    }

    default long asLong() {
        if (this instanceof Integer i) {
            return i.value();
        }
        try {
            return Long.parseLong(asText());
        } catch (NumberFormatException e) {
            throw new RespProtocolException("expected an integer reply, got " + describe());
        }
    }

    default List<RespReply> asArray() {
        if (this instanceof Array a) {
            return a.elements();
        }
        throw new RespProtocolException("expected an array reply, got " + describe());
    }

    /** Short printable form for error messages and logs. */
    default String describe() {
        if (this instanceof SimpleString s) {
            return "+" + s.text();
        }
        if (this instanceof Error e) {
            return "-" + e.message();
        }
        if (this instanceof Integer i) {
            return ":" + i.value();
        }
        if (this instanceof Bulk b) {
            String t = b.bytes().length > 64 ? new String(b.bytes(), 0, 64, StandardCharsets.UTF_8) + "..." : b.text();
            return "$" + b.bytes().length + " " + t;
        }
        if (this instanceof Array a) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < a.elements().size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                if (i == 8) {
                    sb.append("... ").append(a.elements().size() - 8).append(" more");
                    break;
                }
                sb.append(a.elements().get(i).describe());
            }
            return sb.append(']').toString();
        }
        return "(nil)";
    }
}
