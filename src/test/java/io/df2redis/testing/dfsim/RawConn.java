package io.df2redis.testing.dfsim;

import io.df2redis.resp.RespReader;
import io.df2redis.resp.RespReply;
import io.df2redis.resp.RespWriter;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A bare client for probing the simulator: commands out, raw bytes or replies in. Test code only. */
public final class RawConn implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    public RawConn(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    public RawConn send(String... args) throws IOException {
        socket.getOutputStream().write(RespWriter.encode(args));
        socket.getOutputStream().flush();
        return this;
    }

    /** One RESP reply; bytes read past it stay available to {@link #readExactly}. */
    public RespReply reply() throws IOException {
        RespReader r = new RespReader(new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                // One byte at a time: the reader must not swallow what follows the reply.
                return RawConn.this.read(b, off, Math.min(len, 1));
            }
        });
        return r.read();
    }

    public RespReply call(String... args) throws IOException {
        return send(args).reply();
    }

    public byte[] readExactly(int n) throws IOException {
        byte[] out = new byte[n];
        int off = 0;
        while (off < n) {
            int r = read(out, off, n - off);
            if (r < 0) {
                throw new EOFException("closed after " + off + " of " + n + " bytes");
            }
            off += r;
        }
        return out;
    }

    /** Everything until the peer closes or nothing arrives for {@code quietMs}. */
    public byte[] readUntilQuiet(int quietMs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        socket.setSoTimeout(quietMs);
        byte[] buf = new byte[65536];
        try {
            while (true) {
                int n = read(buf, 0, buf.length);
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // quiet
        } finally {
            socket.setSoTimeout(10_000);
        }
        return out.toByteArray();
    }

    /** True when the peer closed the connection (EOF or reset) within {@code ms}. */
    public boolean closedByPeerWithin(int ms) throws IOException {
        socket.setSoTimeout(ms);
        try {
            byte[] buf = new byte[65536];
            long end = System.currentTimeMillis() + ms;
            while (System.currentTimeMillis() < end) {
                if (read(buf, 0, buf.length) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(10_000);
            }
        }
    }

    private int read(byte[] b, int off, int len) throws IOException {
        return in.read(b, off, len);
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
