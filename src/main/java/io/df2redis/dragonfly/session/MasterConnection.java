package io.df2redis.dragonfly.session;

import io.df2redis.resp.RespProtocolException;
import io.df2redis.resp.RespReader;
import io.df2redis.resp.RespReply;
import io.df2redis.resp.RespWriter;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One RESP2 connection to the master, as the main connection or as a flow before it turns into a
 * raw byte stream. Connects (TLS for {@code rediss://}), authenticates, and runs request/reply
 * commands whose error replies become typed {@link MasterErrorException}s.
 */
public final class MasterConnection implements Closeable {
    private final String name;
    private final DragonflyEndpoint endpoint;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final RespReader reader;

    private MasterConnection(String name, DragonflyEndpoint endpoint, Socket socket) throws IOException {
        this.name = name;
        this.endpoint = endpoint;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        this.reader = new RespReader(in, 64 * 1024, RespReader.DEFAULT_MAX_BULK);
    }

    /** Connects, and sends {@code AUTH} when the endpoint has credentials. */
    public static MasterConnection open(DragonflyEndpoint endpoint, ConnectConfig config, String name) throws IOException {
        Socket socket = connect(endpoint, config);
        MasterConnection c;
        try {
            c = new MasterConnection(name, endpoint, socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        try {
            if (endpoint.needsAuth()) {
                if (endpoint.user() != null) {
                    c.call("AUTH", endpoint.user(), endpoint.password());
                } else {
                    c.call("AUTH", endpoint.password());
                }
            }
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static Socket connect(DragonflyEndpoint endpoint, ConnectConfig config) throws IOException {
        int connectMs = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.setKeepAlive(true);
            plain.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), connectMs);
            plain.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.replyTimeout().toMillis()));
            if (!endpoint.tls()) {
                return plain;
            }
            SSLContext ctx = config.sslContext() != null ? config.sslContext() : SSLContext.getDefault();
            SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, endpoint.host(), endpoint.port(), true);
            if (config.verifyHostname()) {
                SSLParameters p = tls.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(p);
            }
            tls.setSoTimeout(connectMs);
            tls.startHandshake();
            tls.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.replyTimeout().toMillis()));
            return tls;
        } catch (NoSuchAlgorithmException e) {
            plain.close();
            throw new DragonflyException("no default TLS context for " + endpoint, e);
        } catch (IOException e) {
            plain.close();
            throw e;
        }
    }

    /** Sends a command and reads its reply; an error reply throws the matching typed exception. */
    public RespReply call(String... args) throws IOException {
        RespReply reply = callRaw(args);
        if (reply instanceof RespReply.Error e) {
            throw MasterErrorException.of(describe(args), e.message());
        }
        return reply;
    }

    /** Sends a command and reads its reply, error replies included. */
    public RespReply callRaw(String... args) throws IOException {
        send(args);
        try {
            return reader.read();
        } catch (java.io.EOFException e) {
            throw new DragonflyException(name + ": the master closed the connection before answering '" + describe(args) + "'", e);
        } catch (SocketTimeoutException e) {
            throw new DragonflyException(name + ": no reply to '" + describe(args) + "' within the reply timeout", e);
        } catch (RespProtocolException e) {
            throw new DragonflyException(name + ": malformed reply to '" + describe(args) + "': " + e.getMessage(), e);
        }
    }

    /** As {@link #callRaw(String...)} with binary arguments (keys). */
    public RespReply callRaw(List<byte[]> args) throws IOException {
        out.write(RespWriter.encode(args));
        out.flush();
        try {
            return reader.read();
        } catch (java.io.EOFException e) {
            throw new DragonflyException(name + ": the master closed the connection before answering a "
                    + new String(args.get(0), java.nio.charset.StandardCharsets.UTF_8), e);
        } catch (SocketTimeoutException e) {
            throw new DragonflyException(name + ": no reply within the reply timeout", e);
        } catch (RespProtocolException e) {
            throw new DragonflyException(name + ": malformed reply: " + e.getMessage(), e);
        }
    }

    /** Sends a command that gets no reply (e.g. {@code REPLCONF ACK} on a flow). */
    public void send(String... args) throws IOException {
        out.write(RespWriter.encode(args));
        out.flush();
    }

    /** Bytes read past the last reply. The reader must not be used afterwards. */
    public byte[] takeBuffered() {
        return reader.takeBuffered();
    }

    public void setReadTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout(timeout == null ? 0 : (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    public InputStream input() {
        return in;
    }

    /** The raw output stream, for writers that own their own framing. */
    public OutputStream rawOutput() throws IOException {
        return socket.getOutputStream();
    }

    public Socket socket() {
        return socket;
    }

    public String name() {
        return name;
    }

    public DragonflyEndpoint endpoint() {
        return endpoint;
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with the socket
        }
    }

    /** The command as text for messages, with AUTH arguments masked. */
    static String describe(String... args) {
        if (args.length > 0 && args[0].equalsIgnoreCase("AUTH")) {
            return args.length > 2 ? "AUTH " + args[1] + " ***" : "AUTH ***";
        }
        return String.join(" ", args);
    }
}
