package io.df2redis.testing.dfsim;

import io.df2redis.resp.RespReader;
import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A loopback server answering each command with whatever a script returns (raw bytes, or null for
 * no reply): for shapes the simulator never produces, such as a Redis master or a reply glued to
 * stream bytes. Records every command received. Test code only.
 */
public final class ScriptedServer implements AutoCloseable {
    private final ServerSocket server;
    private final Function<List<String>, byte[]> script;
    private final List<List<String>> received = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread thread;

    public ScriptedServer(Function<List<String>, byte[]> script) throws IOException {
        this.script = script;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::accept, "scripted-server");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<List<String>> received() {
        return new ArrayList<>(received);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "scripted-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try {
            RespReader r = new RespReader(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                List<String> cmd = new ArrayList<>();
                for (RespReply e : r.read().asArray()) {
                    cmd.add(e.asText());
                }
                received.add(cmd);
                byte[] reply = script.apply(cmd);
                if (reply != null) {
                    out.write(reply);
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            // closed
        }
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
