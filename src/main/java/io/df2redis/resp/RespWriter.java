package io.df2redis.resp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes commands as RESP2 arrays of bulk strings into a growable buffer. Not thread-safe; reuse
 * one per connection ({@link #reset()}) so that a pipelined batch is one write.
 */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};

    private byte[] buf;
    private int len;

    public RespWriter() {
        this(8192);
    }

    public RespWriter(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    /** Encodes one command into a fresh array. */
    public static byte[] encode(List<byte[]> args) {
        RespWriter w = new RespWriter(estimate(args));
        w.command(args);
        return w.toByteArray();
    }

    public static byte[] encode(String... args) {
        RespWriter w = new RespWriter(64);
        w.command(args);
        return w.toByteArray();
    }

    /** Upper bound of the encoded size of {@code args}. */
    public static int estimate(List<byte[]> args) {
        int n = 16;
        for (byte[] a : args) {
            n += a.length + 16;
        }
        return n;
    }

    public RespWriter command(List<byte[]> args) {
        arrayHeader(args.size());
        for (byte[] a : args) {
            bulk(a);
        }
        return this;
    }

    public RespWriter command(byte[][] args) {
        arrayHeader(args.length);
        for (byte[] a : args) {
            bulk(a);
        }
        return this;
    }

    public RespWriter command(String... args) {
        arrayHeader(args.length);
        for (String a : args) {
            bulk(a.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    public RespWriter arrayHeader(int n) {
        ensure(24);
        buf[len++] = '*';
        number(n);
        return this;
    }

    public RespWriter bulk(byte[] a) {
        return bulk(a, 0, a.length);
    }

    public RespWriter bulk(byte[] a, int off, int n) {
        ensure(n + 24);
        buf[len++] = '$';
        number(n);
        System.arraycopy(a, off, buf, len, n);
        len += n;
        buf[len++] = '\r';
        buf[len++] = '\n';
        return this;
    }

    /**
     * Only the header of a bulk string ({@code $n\r\n}): the caller sends the {@code n} payload bytes
     * and the closing CRLF itself, e.g. straight from a large array to the socket without copying it
     * into this buffer.
     */
    public RespWriter bulkHeader(int n) {
        ensure(24);
        buf[len++] = '$';
        number(n);
        return this;
    }

    /** Appends raw bytes (a payload after {@link #bulkHeader(int)}, or CRLF). */
    public RespWriter raw(byte[] a, int off, int n) {
        ensure(n);
        System.arraycopy(a, off, buf, len, n);
        len += n;
        return this;
    }

    // Writes the decimal digits without allocating: this runs twice per argument on the hot path.
    private void number(long v) {
        if (v >= 0 && v < 10) {
            buf[len++] = (byte) ('0' + v);
        } else if (v > 0) {
            int digits = 0;
            for (long t = v; t > 0; t /= 10) {
                digits++;
            }
            int end = len + digits;
            for (int i = end - 1; i >= len; i--) {
                buf[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            len = end;
        } else {
            byte[] digits = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(digits, 0, buf, len, digits.length);
            len += digits.length;
        }
        buf[len++] = CRLF[0];
        buf[len++] = CRLF[1];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            byte[] n = new byte[Math.max(buf.length * 2, len + extra)];
            System.arraycopy(buf, 0, n, 0, len);
            buf = n;
        }
    }

    public int size() {
        return len;
    }

    public void reset() {
        len = 0;
    }

    /** The internal buffer; valid bytes are {@code [0, size())}. */
    public byte[] buffer() {
        return buf;
    }

    public byte[] toByteArray() {
        byte[] out = new byte[len];
        System.arraycopy(buf, 0, out, 0, len);
        return out;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, len);
    }

    public void writeTo(ByteArrayOutputStream out) {
        out.write(buf, 0, len);
    }
}
