package io.df2redis.testing.dfsim;

import com.fasterxml.jackson.databind.JsonNode;
import io.df2redis.testing.recordings.Recording;
import io.df2redis.testing.recordings.RecordingMeta;
import io.df2redis.testing.recordings.Recordings;
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
 * What the replaying master serves for one recorded session ({@link Recording}): the raw replies
 * of the main-connection log (main.log), the FLOW replies, INFO SERVER, and each flow's bytes.
 */
public record ReplayScript(
        Path dir,
        String masterId,
        String syncId,
        int numFlows,
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

    /** A recording by name, e.g. {@code types-basic} or {@code partial-sync/session-2}. */
    public static ReplayScript of(String name) {
        return of(Recordings.get(name));
    }

    public static ReplayScript of(Recording rec) {
        try {
            RecordingMeta meta = rec.meta();
            JsonNode raw = meta.raw();
            Map<String, String> info = new LinkedHashMap<>();
            raw.path("info_server").properties().forEach(e -> info.put(e.getKey(), e.getValue().asText()));
            List<Exchange> main = new ArrayList<>();
            Map<Integer, byte[]> flowReplies = new LinkedHashMap<>();
            String pendingCmd = null;
            for (String line : Files.readAllLines(rec.dir().resolve("main.log"), StandardCharsets.UTF_8)) {
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
            for (RecordingMeta.Flow f : meta.flows()) {
                int i = f.flow();
                flows.add(new RecordedFlow(i, raw.path("flows").path(i).path("command").asText(), f.replyKind(), f.eofToken(),
                        flowReplies.get(i), rec.flowBytes(i), (int) Math.max(0, f.bytesAtStartStable()), f.requestedLsn()));
            }
            long[] next = meta.nextLsn().stream().mapToLong(Long::longValue).toArray();
            return new ReplayScript(rec.dir(), meta.masterId(), meta.syncId(), meta.numFlows(), meta.mode(), info, main,
                    flows, next);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the recording in " + rec.dir(), e);
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
