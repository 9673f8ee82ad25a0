package io.df2redis.testing.dfsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One recorded replication session of a real master ({@code ../shared/testdata/dragonfly/<scenario>}
 * or a {@code session-<n>} folder of it): meta.json, the main-connection log with raw replies, and
 * each flow's bytes.
 */
public record Recording(
        Path dir,
        String masterId,
        String syncId,
        int numFlows,
        int advertisedVersion,
        String mode,
        Map<String, String> infoServer,
        List<Exchange> mainLog,
        List<RecordedFlow> flows,
        long[] nextLsn) {

    /** A command on the main connection and the raw reply bytes it got. */
    public record Exchange(String command, byte[] reply) {}

    /**
     * @param bytesAtStartStable bytes received before STARTSTABLE was sent (0 for PARTIAL)
     */
    public record RecordedFlow(int flow, String command, String kind, String token, byte[] reply, byte[] bytes,
            int bytesAtStartStable, long requestedLsn) {}

    private static final Pattern LOG_LINE = Pattern.compile("^\\[t=[0-9.]+\\] (?:(flow-(\\d+)) )?(>>>|<<<) (.*)$");

    /** The shared test data root: {@code -Ddf2redis.shared.dir}, else {@code ../shared}. */
    public static Path sharedDir() {
        String p = System.getProperty("df2redis.shared.dir");
        return p != null ? Path.of(p) : Path.of("..", "shared");
    }

    public static Path scenario(String name) {
        return sharedDir().resolve("testdata").resolve("dragonfly").resolve(name);
    }

    public static Recording load(Path dir) {
        try {
            JsonNode meta = new ObjectMapper().readTree(dir.resolve("meta.json").toFile());
            Map<String, String> info = new LinkedHashMap<>();
            meta.path("info_server").fields().forEachRemaining(e -> info.put(e.getKey(), e.getValue().asText()));
            List<Exchange> main = new ArrayList<>();
            Map<Integer, byte[]> flowReplies = new LinkedHashMap<>();
            String pendingCmd = null;
            for (String line : Files.readAllLines(dir.resolve("main.log"), StandardCharsets.UTF_8)) {
                Matcher m = LOG_LINE.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                boolean out = m.group(3).equals(">>>");
                if (m.group(1) != null) {
                    if (!out) {
                        flowReplies.put(Integer.parseInt(m.group(2)), unescape(m.group(4)));
                    }
                } else if (out) {
                    pendingCmd = m.group(4);
                } else {
                    main.add(new Exchange(pendingCmd, unescape(m.group(4))));
                    pendingCmd = null;
                }
            }
            List<RecordedFlow> flows = new ArrayList<>();
            for (JsonNode f : meta.path("flows")) {
                int i = f.path("flow").asInt();
                byte[] bytes = Files.readAllBytes(dir.resolve("flow-" + i + ".bin"));
                flows.add(new RecordedFlow(i, f.path("command").asText(), f.path("reply_kind").asText(),
                        f.path("eof_token").asText(), flowReplies.get(i), bytes, f.path("bytes_at_startstable").asInt(),
                        f.path("requested_lsn").asLong(-1)));
            }
            long[] next = new long[flows.size()];
            for (int i = 0; i < next.length; i++) {
                next[i] = meta.path("next_lsn").path(i).asLong();
            }
            return new Recording(dir, meta.path("master_id").asText(), meta.path("sync_id").asText(),
                    meta.path("num_flows").asInt(), meta.path("advertised_version").asInt(), meta.path("mode").asText(),
                    info, main, flows, next);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the recording in " + dir, e);
        }
    }

    /** The raw reply recorded for the first main-connection command equal to {@code command}. */
    public byte[] replyTo(String command) {
        for (Exchange e : mainLog) {
            if (e.command().equals(command)) {
                return e.reply();
            }
        }
        return null;
    }

    /** Undoes main.log's escaping: {@code \r}, {@code \n}, {@code \t}, {@code \\}, {@code \xHH}. */
    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'x' -> {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> out.write(n);
            }
        }
        return out.toByteArray();
    }
}
