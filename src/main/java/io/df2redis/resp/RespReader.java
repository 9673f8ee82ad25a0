package io.df2redis.resp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads RESP2 replies from a blocking stream through its own buffer. The buffer is exposed
 * ({@link #takeBuffered()}) because a Dragonfly flow switches from RESP to a raw byte stream right
 * after the {@code DFLY FLOW} reply, and bytes read ahead belong to that stream.
 */
public final class RespReader {
    /** Redis's own default {@code proto-max-bulk-len}. */
    public static final int DEFAULT_MAX_BULK = 512 * 1024 * 1024;
    private static final int MAX_ARRAY = 64 * 1024 * 1024;
    private static final RespReply.SimpleString OK = new RespReply.SimpleString("OK");

    private final InputStream in;
    private final int maxBulk;
    private byte[] buf;
    private int pos;
    private int lim;
    private long consumed;

    public RespReader(InputStream in) {
        this(in, 64 * 1024, DEFAULT_MAX_BULK);
    }

    public RespReader(InputStream in, int bufferSize, int maxBulk) {
        this.in = in;
        this.buf = new byte[Math.max(256, bufferSize)];
        this.maxBulk = maxBulk;
    }

    /** Reads one complete reply; throws {@link EOFException} if the peer closed first. */
    public RespReply read() throws IOException {
        int type = readByte();
        switch (type) {
            case '+':
                // "+OK" is most replies a writer reads: one shared instance, no line scan, no allocation.
                if (lim - pos >= 4 && buf[pos] == 'O' && buf[pos + 1] == 'K' && buf[pos + 2] == '\r' && buf[pos + 3] == '\n') {
                    pos += 4;
                    consumed += 4;
                    return OK;
                }
                return new RespReply.SimpleString(readLine());
            case '-':
                return new RespReply.Error(readLine());
            case ':':
                return new RespReply.Integer(parseLong(readLine()));
            case '$': {
                long n = parseLong(readLine());
                if (n < 0) {
                    return new RespReply.Null();
                }
                if (n > maxBulk) {
                    throw new RespProtocolException("bulk length " + n + " exceeds the limit " + maxBulk);
                }
                byte[] b = readExact((int) n);
                expectCrlf();
                return new RespReply.Bulk(b);
            }
            case '*': {
                long n = parseLong(readLine());
                if (n < 0) {
                    return new RespReply.Null();
                }
                if (n > MAX_ARRAY) {
                    throw new RespProtocolException("array length " + n + " exceeds the limit " + MAX_ARRAY);
                }
                List<RespReply> elements = new ArrayList<>((int) Math.min(n, 1024));
                for (long i = 0; i < n; i++) {
                    elements.add(read());
                }
                return new RespReply.Array(elements);
            }
            default:
                throw new RespProtocolException(
                        "unexpected RESP type byte 0x" + Integer.toHexString(type & 0xff) + " at reply offset " + (consumed - 1));
        }
    }

    /** Bytes buffered past the last reply read; the reader must not be used afterwards. */
    public byte[] takeBuffered() {
        byte[] rest = Arrays.copyOfRange(buf, pos, lim);
        pos = lim;
        return rest;
    }

    /** Total bytes consumed by replies so far. */
    public long consumed() {
        return consumed;
    }

    private int readByte() throws IOException {
        if (pos == lim) {
            fill();
        }
        consumed++;
        return buf[pos++] & 0xff;
    }

    private void fill() throws IOException {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            throw new EOFException("connection closed by peer");
        }
        lim += n;
    }

    private String readLine() throws IOException {
        for (int i = pos; i + 1 < lim; i++) {
            if (buf[i] == '\r') {
                if (buf[i + 1] != '\n') {
                    throw new RespProtocolException("CR not followed by LF in a reply line");
                }
                String line = new String(buf, pos, i - pos, StandardCharsets.UTF_8);
                consumed += i + 2 - pos;
                pos = i + 2;
                return line;
            }
        }
        // The line continues past the buffered bytes: take it byte by byte.
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        while (true) {
            int b = readByte();
            if (b == '\r') {
                if (readByte() != '\n') {
                    throw new RespProtocolException("CR not followed by LF in a reply line");
                }
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() > 1 << 20) {
                throw new RespProtocolException("reply line longer than 1 MiB");
            }
            line.write(b);
        }
    }

    private byte[] readExact(int n) throws IOException {
        byte[] out = new byte[n];
        int off = 0;
        while (off < n) {
            if (pos == lim) {
                fill();
            }
            int c = Math.min(n - off, lim - pos);
            System.arraycopy(buf, pos, out, off, c);
            pos += c;
            off += c;
        }
        consumed += n;
        return out;
    }

    private void expectCrlf() throws IOException {
        if (readByte() != '\r' || readByte() != '\n') {
            throw new RespProtocolException("bulk string not terminated by CRLF");
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new RespProtocolException("not a RESP integer: '" + s + "'");
        }
    }
}
