package io.df2redis.testing.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Flink standalone session cluster (JobManager and TaskManager processes) for tests, run by
 * {@code deploy/standalone/flink-session.sh}: the same recipe users get. {@link #close()} stops both
 * processes by PID, also when the test failed.
 */
public final class FlinkSessionCluster implements AutoCloseable {
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");

    private final Path script;
    private final Path dir;
    private final int restPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private FlinkSessionCluster(Path script, Path dir, int restPort) {
        this.script = script;
        this.dir = dir;
        this.restPort = restPort;
    }

    /** Starts JobManager + TaskManager with {@code slots} slots; waits until they are up. */
    public static FlinkSessionCluster start(Path projectDir, Path dir, int slots) throws IOException, InterruptedException {
        Path script = projectDir.resolve("deploy/standalone/flink-session.sh");
        int port = freePort();
        FlinkSessionCluster c = new FlinkSessionCluster(script, dir, port);
        Runtime.getRuntime().addShutdownHook(new Thread(c::stopQuietly));
        Result r = c.run(Duration.ofMinutes(5), "start", dir.toString(), Integer.toString(port), Integer.toString(slots));
        if (r.exit != 0) {
            c.stopQuietly();
            throw new IOException("flink session cluster did not start (exit " + r.exit + "):\n" + r.output);
        }
        return c;
    }

    public Path dir() {
        return dir;
    }

    public Path savepointDir() {
        return dir.resolve("savepoints");
    }

    /** {@code flink run -d [-s savepoint] jar args…}; returns the job id. */
    public String submit(Path jar, String savepoint, List<String> jobArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("cli", dir.toString(), "run", "-d"));
        if (savepoint != null) {
            cmd.add("-s");
            cmd.add(savepoint);
        }
        cmd.add(jar.toString());
        cmd.addAll(jobArgs);
        Result r = run(Duration.ofMinutes(3), cmd.toArray(new String[0]));
        Matcher m = JOB_ID.matcher(r.output);
        if (r.exit != 0 || !m.find()) {
            throw new IOException("flink run failed (exit " + r.exit + "):\n" + r.output);
        }
        return m.group(1);
    }

    /** {@code flink stop --savepointPath …}: stops the job with a savepoint; returns its path. */
    public String stopWithSavepoint(String jobId) throws IOException, InterruptedException {
        Result r = run(Duration.ofMinutes(3), "cli", dir.toString(), "stop", "--savepointPath",
                savepointDir().toUri().toString(), jobId);
        Matcher m = SAVEPOINT.matcher(r.output);
        if (r.exit != 0 || !m.find()) {
            throw new IOException("flink stop failed (exit " + r.exit + "):\n" + r.output);
        }
        return m.group(1);
    }

    public void cancel(String jobId) throws IOException, InterruptedException {
        run(Duration.ofMinutes(1), "cli", dir.toString(), "cancel", jobId);
    }

    /** The job's state from the REST API (RUNNING, FINISHED, FAILED, …). */
    public String jobState(String jobId) throws IOException, InterruptedException {
        JsonNode n = rest("/jobs/" + jobId);
        return n.path("state").asText();
    }

    /** Waits until the job is in {@code state}; fails early if it reaches FAILED instead. */
    public void awaitState(String jobId, String state, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String s = "";
        while (System.nanoTime() < deadline) {
            s = jobState(jobId);
            if (s.equals(state)) {
                return;
            }
            if (s.equals("FAILED") && !state.equals("FAILED")) {
                throw new IOException("job " + jobId + " FAILED: " + rest("/jobs/" + jobId + "/exceptions").toString());
            }
            Thread.sleep(250);
        }
        throw new IOException("job " + jobId + " is " + s + ", not " + state + ", after " + timeout);
    }

    /** Number of completed checkpoints of the job. */
    public long completedCheckpoints(String jobId) throws IOException, InterruptedException {
        return rest("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    public JsonNode rest(String path) throws IOException, InterruptedException {
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(resp.body());
    }

    /** The JobManager's and TaskManager's logs, for a failing test's message. */
    public String logs() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("jobmanager.log", "taskmanager.log")) {
            Path p = dir.resolve("log").resolve(name);
            try {
                List<String> lines = Files.readAllLines(p);
                sb.append("==== ").append(name).append(" (last 80 lines)\n");
                for (String l : lines.subList(Math.max(0, lines.size() - 80), lines.size())) {
                    sb.append(l).append('\n');
                }
            } catch (IOException e) {
                sb.append("(no ").append(name).append(")\n");
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            run(Duration.ofMinutes(1), "stop", dir.toString());
        } catch (IOException | InterruptedException ignored) {
            // best effort: the script kills by PID
        }
    }

    private record Result(int exit, String output) {}

    private Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("flink-session", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
