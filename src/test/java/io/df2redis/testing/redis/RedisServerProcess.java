package io.df2redis.testing.redis;

import io.df2redis.redis.NodeAddress;
import io.df2redis.redis.RedisConnection;
import io.df2redis.redis.RedisTarget;
import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code redis-server} process on a free loopback port, configured through a {@code redis.conf}
 * in its own directory (absolute log path, no persistence, diskless replication without delay).
 * Stopped by PID on {@link #close}, also on JVM exit ({@link ProcessReaper}).
 */
public final class RedisServerProcess implements AutoCloseable {
    /** {@code DF2REDIS_REDIS_SERVER} or Debian's {@code /usr/bin/redis-server}. */
    public static final String BINARY = System.getenv().getOrDefault("DF2REDIS_REDIS_SERVER",
            Files.isExecutable(Path.of("/usr/bin/redis-server")) ? "/usr/bin/redis-server" : "redis-server");

    private final Builder config;
    private final Path dir;
    private final boolean ownDir;
    private int port;
    private Process process;

    private RedisServerProcess(Builder config, Path dir, boolean ownDir) {
        this.config = config;
        this.dir = dir;
        this.ownDir = ownDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options; {@link #start()} picks the port (unless set) and waits until the server answers. */
    public static final class Builder {
        private Path dir;
        private Integer port;
        private String password;
        private final List<String> aclLines = new ArrayList<>();
        private TlsFiles tls;
        private boolean tlsClientAuth = true;
        private boolean cluster;
        private int clusterNodeTimeoutMs = 5000;
        private final List<String> extra = new ArrayList<>();

        /** Working directory (default: a new temporary one). */
        public Builder dir(Path d) {
            this.dir = d;
            return this;
        }

        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /** {@code requirepass}: the default user's password. */
        public Builder password(String p) {
            this.password = p;
            return this;
        }

        /** An ACL user, e.g. {@code aclUser("writer", "pw", "~app:*", "+@all")} (on, with this password). */
        public Builder aclUser(String name, String userPassword, String... rules) {
            aclLines.add("user " + name + " on >" + userPassword + " " + String.join(" ", rules));
            return this;
        }

        /** TLS only (the plain port is closed); client certificates required unless {@code clientAuth} is false. */
        public Builder tls(TlsFiles files, boolean clientAuth) {
            this.tls = files;
            this.tlsClientAuth = clientAuth;
            return this;
        }

        public Builder cluster(int nodeTimeoutMs) {
            this.cluster = true;
            this.clusterNodeTimeoutMs = nodeTimeoutMs;
            return this;
        }

        /** Any other directive, e.g. {@code config("maxmemory", "10mb")}. */
        public Builder config(String directive, String... values) {
            extra.add(directive + (values.length == 0 ? "" : " " + String.join(" ", values)));
            return this;
        }

        public RedisServerProcess start() throws IOException, InterruptedException {
            Path d = dir != null ? dir : Files.createTempDirectory("df2redis-redis-");
            Files.createDirectories(d);
            RedisServerProcess s = new RedisServerProcess(this, d.toAbsolutePath(), dir == null);
            s.startFresh();
            return s;
        }
    }

    private void startFresh() throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            port = config.port != null ? config.port : config.cluster ? FreePorts.withClusterBus() : FreePorts.loopback();
            try {
                launch();
                return;
            } catch (IOException e) {
                last = e;
                if (config.port != null || !e.getMessage().contains("Address already in use")) {
                    throw e;
                }
            }
        }
        throw last;
    }

    private void launch() throws IOException, InterruptedException {
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, configText(), StandardCharsets.UTF_8);
        Files.deleteIfExists(logFile());
        process = new ProcessBuilder(BINARY, conf.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                .start();
        ProcessReaper.register(process, "redis-server :" + port, this::deleteOwnDir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            if (!process.isAlive()) {
                ProcessReaper.unregister(process);
                throw new IOException("redis-server on port " + port + " exited with " + process.exitValue() + ": " + logTail());
            }
            try (RedisConnection c = connect()) {
                RespReply r = c.call("PING");
                if (!r.isError()) {
                    // Someone else may hold the port we were given: be sure it is our process that answers.
                    if (String.valueOf(process.pid()).equals(c.info("server").get("process_id"))) {
                        return;
                    }
                } else if (!r.describe().contains("LOADING")) {
                    throw new IOException("redis-server on port " + port + " answered PING with " + r.describe());
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IOException("redis-server on port " + port + " did not answer within 15 s: " + logTail());
            }
            Thread.sleep(20);
        }
    }

    private String configText() {
        StringBuilder c = new StringBuilder();
        c.append("bind 127.0.0.1\n");
        if (config.tls != null) {
            c.append("port 0\ntls-port ").append(port).append('\n');
            c.append("tls-cert-file ").append(config.tls.serverCert()).append('\n');
            c.append("tls-key-file ").append(config.tls.serverKey()).append('\n');
            c.append("tls-ca-cert-file ").append(config.tls.caCert()).append('\n');
            c.append("tls-auth-clients ").append(config.tlsClientAuth ? "yes" : "no").append('\n');
            if (config.cluster) {
                c.append("tls-cluster yes\ntls-replication yes\n");
            }
        } else {
            c.append("port ").append(port).append('\n');
        }
        c.append("dir ").append(dir).append('\n');
        c.append("logfile ").append(logFile()).append('\n');
        c.append("daemonize no\nsave \"\"\nappendonly no\nrepl-diskless-sync yes\nrepl-diskless-sync-delay 0\n");
        if (config.password != null) {
            c.append("requirepass ").append(config.password).append('\n');
            c.append("masterauth ").append(config.password).append('\n');
        }
        for (String acl : config.aclLines) {
            c.append(acl).append('\n');
        }
        if (config.cluster) {
            c.append("cluster-enabled yes\ncluster-config-file ").append(dir.resolve("nodes.conf")).append('\n');
            c.append("cluster-node-timeout ").append(config.clusterNodeTimeoutMs).append('\n');
        }
        for (String e : config.extra) {
            c.append(e).append('\n');
        }
        return c.toString();
    }

    /** The default user's password, or null. */
    public String password() {
        return config.password;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public NodeAddress address() {
        return new NodeAddress(host(), port);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public Path dir() {
        return dir;
    }

    public Path logFile() {
        return dir.resolve("redis.log");
    }

    /** {@code redis://} (or {@code rediss://}) URL logging in as the default user. */
    public String url() {
        return (config.tls != null ? "rediss://" : "redis://") + (config.password != null ? ":" + encode(config.password) + "@" : "")
                + host() + ":" + port;
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** URL for an ACL user added with {@link Builder#aclUser}. */
    public String url(String user, String userPassword) {
        return (config.tls != null ? "rediss://" : "redis://") + encode(user) + ":" + encode(userPassword) + "@" + host() + ":" + port;
    }

    /** The default user's target, with the TLS client options when TLS is on. */
    public RedisTarget target() {
        return withTls(RedisTarget.parse(url()));
    }

    /** Adds this server's TLS client options to a target (no-op without TLS). */
    public RedisTarget withTls(RedisTarget t) {
        return config.tls != null ? t.withTls(config.tls.clientOptions()) : t;
    }

    /** A new admin connection (default user). */
    public RedisConnection connect() throws IOException {
        return RedisConnection.open(address(), target().withConnectTimeout(Duration.ofSeconds(2)).withReplyTimeout(Duration.ofSeconds(30)));
    }

    /** Runs one command as the default user and returns the reply (errors included). */
    public RespReply call(String... args) throws IOException {
        try (RedisConnection c = connect()) {
            return c.call(args);
        }
    }

    /** SIGKILL (no shutdown, no save): what a crash looks like to clients and replicas. */
    public void kill() {
        if (process != null) {
            ProcessReaper.kill(process);
            ProcessReaper.unregister(process);
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 10 s). */
    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                ProcessReaper.kill(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessReaper.kill(process);
        }
        ProcessReaper.unregister(process);
    }

    /** Starts the same configuration again, on the same port and directory (a cluster node keeps its nodes.conf). */
    public void restart() throws IOException, InterruptedException {
        stop();
        launch();
    }

    /** The last lines of the log, for error messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the process and deletes its directory if the harness created it. */
    @Override
    public void close() {
        stop();
        deleteOwnDir();
    }

    private void deleteOwnDir() {
        if (ownDir && !isRunning() && Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temp directory left behind is harmless
            }
        }
    }

    @Override
    public String toString() {
        return "redis-server :" + port + (process != null ? " (pid " + process.pid() + ")" : "");
    }
}
