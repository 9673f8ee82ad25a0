package io.df2redis.testing.dragonfly;

import io.df2redis.dragonfly.session.ConnectConfig;
import io.df2redis.dragonfly.session.DragonflyEndpoint;
import io.df2redis.dragonfly.session.MasterConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Dragonfly master for tests, from the binary named by {@code DF2REDIS_DRAGONFLY_BIN}: started
 * on a free loopback port with a small {@code --proactor_threads}, stopped by PID (also from a
 * shutdown hook, should the test JVM die first). Its log goes to {@code dir/dragonfly.log}.
 */
public final class DragonflyProcess implements RealMaster {
    public static final String ENV = "DF2REDIS_DRAGONFLY_BIN";

    private final Process process;
    private final int port;
    private final Path log;
    private final Thread hook;

    private DragonflyProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.hook = new Thread(process::destroyForcibly, "dragonfly-" + port + "-killer");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The binary, when the environment names an executable file. */
    public static Optional<Path> binary() {
        String p = System.getenv(ENV);
        if (p == null || p.isBlank()) {
            return Optional.empty();
        }
        Path bin = Path.of(p);
        return Files.isExecutable(bin) ? Optional.of(bin) : Optional.empty();
    }

    /** Why real-master tests are skipped here, for the skip message. */
    public static String whyMissing() {
        String p = System.getenv(ENV);
        return p == null || p.isBlank()
                ? ENV + " is not set: no Dragonfly binary to test against (the simulator covers the protocol)"
                : ENV + "=" + p + " is not an executable file";
    }

    public static DragonflyProcess start(Path bin, int threads, Path dir, String... extraFlags) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // The caller's directory may not exist yet (a job test passes a sub-folder of its temp dir).
        java.nio.file.Files.createDirectories(dir);
        Path log = dir.resolve("dragonfly-" + port + ".log");
        List<String> cmd = new java.util.ArrayList<>(List.of(bin.toString(), "--port=" + port, "--bind=127.0.0.1",
                "--dbfilename=", "--version_check=false", "--logtostderr", "--proactor_threads=" + threads,
                "--dir=" + dir));
        cmd.addAll(List.of(extraFlags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DragonflyProcess d = new DragonflyProcess(p, port, log);
        try {
            d.awaitReady(Duration.ofSeconds(30));
        } catch (IOException | InterruptedException | RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IOException("dragonfly exited with " + process.exitValue() + "; see " + log);
            }
            try (MasterConnection c = MasterConnection.open(endpoint(), ConnectConfig.defaults().withReplyTimeout(Duration.ofSeconds(2)),
                    "probe")) {
                if (c.call("PING").asText().equals("PONG")) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IOException("dragonfly on port " + port + " not ready in " + timeout + "; see " + log, last);
    }

    public DragonflyEndpoint endpoint() {
        return DragonflyEndpoint.plain("127.0.0.1", port);
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** Stops the process by PID: SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is shutting down: the hook runs anyway
        }
    }
}
