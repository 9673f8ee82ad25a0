package io.df2redis.testing.recordings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facts of {@code meta.json} a consumer test needs (see the recordings' README for every field);
 * {@link #raw()} has the rest.
 *
 * @param mode {@code full} or {@code partial}
 * @param nextLsn per flow: the next LSN after the whole file (= DFLY REPLICAOFFSET at the end)
 */
public record RecordingMeta(
        String mode,
        String masterId,
        String syncId,
        int numFlows,
        long startedAtUnixMs,
        List<Long> nextLsn,
        List<Flow> flows,
        JsonNode raw) {

    /**
     * One flow's facts. Offsets are -1 where they do not apply (partial flows have no token).
     *
     * @param journalOffsetValue the JOURNAL_OFFSET value (full sync), else -1
     * @param requestedLsn the LSN requested with DFLY FLOW (partial sync), else -1
     * @param stableEntries counts of stable journal records by opcode name
     */
    public record Flow(
            int flow,
            String replyKind,
            String eofToken,
            long bytesTotal,
            long bytesAtStartStable,
            long tokenOffset,
            long stableJournalOffset,
            long eofOpcodeOffset,
            long journalOffsetValue,
            long journalOffsetOpcodeOffset,
            long requestedLsn,
            long nextLsnByParse,
            Map<String, Integer> stableEntries) {

        public boolean partial() {
            return "PARTIAL".equals(replyKind);
        }
    }

    public boolean partial() {
        return "partial".equals(mode);
    }

    public static RecordingMeta read(Path file) throws IOException {
        JsonNode n = new ObjectMapper().readTree(file.toFile());
        List<Flow> flows = new ArrayList<>();
        for (JsonNode f : n.get("flows")) {
            Map<String, Integer> entries = new LinkedHashMap<>();
            f.path("stable_entries").fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue().asInt()));
            flows.add(new Flow(
                    f.get("flow").asInt(),
                    f.get("reply_kind").asText(),
                    f.get("eof_token").asText(),
                    f.get("bytes_total").asLong(),
                    num(f, "bytes_at_startstable"),
                    num(f, "token_offset"),
                    num(f, "stable_journal_offset"),
                    num(f, "eof_opcode_offset"),
                    num(f, "journal_offset_value"),
                    num(f, "journal_offset_opcode_offset"),
                    num(f, "requested_lsn"),
                    num(f, "next_lsn_by_parse"),
                    Map.copyOf(entries)));
        }
        List<Long> next = new ArrayList<>();
        n.get("next_lsn").forEach(x -> next.add(x.asLong()));
        return new RecordingMeta(
                n.get("mode").asText(),
                n.get("master_id").asText(),
                n.get("sync_id").asText(),
                n.get("num_flows").asInt(),
                n.get("started_at_unix_ms").asLong(),
                List.copyOf(next),
                List.copyOf(flows),
                n);
    }

    private static long num(JsonNode f, String name) {
        JsonNode v = f.get(name);
        return v == null || v.isNull() ? -1 : v.asLong();
    }
}
