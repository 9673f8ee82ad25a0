package io.df2redis.redis;

import io.df2redis.resp.RespReader;
import io.df2redis.resp.RespReply;
import io.df2redis.resp.RespWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One blocking request/reply connection to a node, logged in ({@code AUTH}) and named. Used for
 * control work (probes, topology, key clean-up, test set-up) and as the socket under a
 * {@link PipelinedConnection}. Not thread-safe. Error replies are returned, not thrown, by
 * {@link #call}; {@link #callOk} throws them.
 */
public final class RedisConnection implements AutoCloseable {
    private final NodeAddress address;
    private final Socket socket;
    /** The TCP socket under {@code socket} (the same object without TLS). */
    private final Socket tcp;
    private final InputStream in;
    private final OutputStream out;
    private final RespReader reader;
    private final RespWriter writer = new RespWriter(1024);

    private RedisConnection(NodeAddress address, Socket socket, Socket tcp) throws IOException {
        this.address = address;
        this.socket = socket;
        this.tcp = tcp;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.reader = new RespReader(in, 64 * 1024, RespReader.DEFAULT_MAX_BULK);
    }

    /** Connects, sets up TLS, logs in and names the connection. */
    public static RedisConnection open(NodeAddress address, RedisTarget target) throws IOException {
        Socket tcp = new Socket();
        Socket s = tcp;
        try {
            tcp.setTcpNoDelay(true);
            tcp.setKeepAlive(true);
            tcp.connect(new InetSocketAddress(address.host(), address.port()), (int) target.connectTimeout().toMillis());
            tcp.setSoTimeout((int) target.replyTimeout().toMillis());
            if (target.tlsEnabled()) {
                SSLSocket ssl = (SSLSocket) target.tls().socketFactory().createSocket(tcp, address.host(), address.port(), true);
                s = ssl;
                if (target.tls().verifyHostname()) {
                    SSLParameters params = ssl.getSSLParameters();
                    params.setEndpointIdentificationAlgorithm("HTTPS");
                    ssl.setSSLParameters(params);
                }
                ssl.startHandshake();
            }
            RedisConnection c = new RedisConnection(address, s, tcp);
            c.login(target);
            return c;
        } catch (IOException | RuntimeException e) {
            closeQuietly(tcp);
            if (e instanceof RedisReplyException) {
                throw e;
            }
            throw new IOException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
    }

    private void login(RedisTarget target) throws IOException {
        if (target.password() != null) {
            RespReply r = target.user() != null
                    ? call("AUTH", target.user(), target.password())
                    : call("AUTH", target.password());
            if (r.isError()) {
                throw new RedisReplyException(address, "AUTH" + (target.user() != null ? " as " + target.user() : ""), (RespReply.Error) r);
            }
        }
        if (target.clientName() != null) {
            RespReply r = call("CLIENT", "SETNAME", target.clientName());
            // A user without +client may not name itself: the name is only for operators.
            if (r.isError() && !((RespReply.Error) r).code().equals("NOPERM")) {
                throw new RedisReplyException(address, "CLIENT SETNAME", (RespReply.Error) r);
            }
        }
    }

    public NodeAddress address() {
        return address;
    }

    public RespReply call(String... args) throws IOException {
        writer.reset();
        writer.command(args);
        writer.writeTo(out);
        out.flush();
        return reader.read();
    }

    public RespReply call(byte[]... args) throws IOException {
        writer.reset();
        writer.command(args);
        writer.writeTo(out);
        out.flush();
        return reader.read();
    }

    /** Like {@link #call(String...)} but an error reply becomes a {@link RedisReplyException}. */
    public RespReply callOk(String... args) throws IOException {
        RespReply r = call(args);
        if (r instanceof RespReply.Error e) {
            throw new RedisReplyException(address, String.join(" ", args), e);
        }
        return r;
    }

    /** Sends all commands in one write and reads their replies in order. */
    public List<RespReply> pipeline(List<byte[][]> commands) throws IOException {
        writer.reset();
        for (byte[][] c : commands) {
            writer.command(c);
            if (writer.size() > 256 * 1024) {
                writer.writeTo(out);
                writer.reset();
            }
        }
        writer.writeTo(out);
        out.flush();
        List<RespReply> replies = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            replies.add(reader.read());
        }
        return replies;
    }

    /** The {@code field:value} lines of an {@code INFO} section. */
    public java.util.Map<String, String> info(String section) throws IOException {
        String text = callOk("INFO", section).asText();
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }

    Socket socket() {
        return socket;
    }

    InputStream input() {
        return in;
    }

    /** Buffered; flush after each batch. */
    OutputStream output() {
        return out;
    }

    RespReader reader() {
        return reader;
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        closeQuietly(socket);
        closeQuietly(tcp);
    }

    /**
     * Closes the TCP socket at once, also under TLS (an SSL socket's close would first try to send
     * close_notify, which can wait behind a blocked writer): blocked reads and writes fail.
     */
    void abort() {
        closeQuietly(tcp);
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with this socket
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
