package io.df2redis.translate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * redis-server processes for this package's tests, on free loopback ports, stopped by PID (also on
 * JVM exit). Stop-gap until the writer's {@code io.df2redis.testing.redis} harness is on main; the
 * tests only use {@link #host()}, {@link #port()} and {@link #close()} so they can switch over.
 */
final class LocalRedis implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private LocalRedis(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static LocalRedis standalone() throws IOException, InterruptedException {
        return start(false);
    }

    static LocalRedis start(boolean cluster) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("df2redis-translate-redis-");
        for (int attempt = 0; ; attempt++) {
            int port = freePort(cluster);
            List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind",
                    "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile",
                    dir.resolve("redis-" + port + ".log").toString(), "--repl-diskless-sync-delay", "0"));
            if (cluster) {
                cmd.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file",
                        dir.resolve("nodes-" + port + ".conf").toString(), "--cluster-node-timeout", "5000"));
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout-" + port).toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
            LocalRedis r = new LocalRedis(p, port, dir);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && p.isAlive()) {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    if ("PONG".equals(j.ping())) {
                        return r;
                    }
                } catch (RuntimeException e) {
                    Thread.sleep(20);
                }
            }
            r.close();
            if (attempt >= 3) {
                throw new IOException("redis-server on port " + port + " did not start; see " + dir);
            }
        }
    }

    String host() {
        return "127.0.0.1";
    }

    int port() {
        return port;
    }

    Jedis jedis() {
        return new Jedis(host(), port);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort(boolean clusterBus) throws IOException {
        for (int i = 0; i < 50; i++) {
            int p;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                p = s.getLocalPort();
            }
            if (!clusterBus || p + 10000 > 65535) {
                if (!clusterBus) {
                    return p;
                }
                continue;
            }
            try (ServerSocket bus = new ServerSocket(p + 10000, 1, InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException busy) {
                // try another
            }
        }
        throw new IOException("no free port");
    }

    /** A 3-master, 3-replica cluster on loopback. */
    static final class Cluster implements AutoCloseable {
        final List<LocalRedis> nodes = new ArrayList<>();

        static Cluster start() throws IOException, InterruptedException {
            Cluster c = new Cluster();
            try {
                for (int i = 0; i < 6; i++) {
                    c.nodes.add(LocalRedis.start(true));
                }
                List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
                for (LocalRedis n : c.nodes) {
                    cmd.add("127.0.0.1:" + n.port());
                }
                cmd.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(c.nodes.get(0).dir.resolve("cluster-create.log").toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IOException("redis-cli --cluster create failed; see " + c.nodes.get(0).dir);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                for (LocalRedis n : c.nodes) {
                    while (true) {
                        try (Jedis j = n.jedis()) {
                            if (j.clusterInfo().contains("cluster_state:ok")) {
                                break;
                            }
                        }
                        if (System.nanoTime() > deadline) {
                            throw new IOException("cluster did not reach state ok");
                        }
                        Thread.sleep(50);
                    }
                }
                return c;
            } catch (IOException | InterruptedException | RuntimeException e) {
                c.close();
                throw e;
            }
        }

        LocalRedis seed() {
            return nodes.get(0);
        }

        @Override
        public void close() {
            for (LocalRedis n : nodes) {
                n.close();
            }
        }
    }
}
