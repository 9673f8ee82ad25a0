package io.df2redis.testing.recordings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of a {@code dataset-*.jsonl} / {@code *.expected.jsonl} dump.
 *
 * @param type the server's TYPE reply ({@code string}, {@code list}, …, {@code ReJSON-RL}, …)
 * @param expireAtMs absolute expiry in Unix ms, {@code null} without TTL (compare this, never pttl)
 * @param memberExpireAtS hash-field / set-member TTLs as absolute Unix seconds (±2 s), {@code null}
 *     when the key has none
 */
public record DatasetRow(
        int db,
        Bytes key,
        String type,
        long pttl,
        Long expireAtMs,
        DatasetValue value,
        Map<Bytes, Long> memberExpireAtS) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a whole dump file (one JSON object per line, empty file = no keys). */
    public static List<DatasetRow> readAll(Path file) throws IOException {
        List<DatasetRow> rows = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    rows.add(parse(line));
                }
            }
        }
        return rows;
    }

    public static DatasetRow parse(String jsonLine) throws IOException {
        JsonNode n = JSON.readTree(jsonLine);
        String type = n.get("type").asText();
        JsonNode exp = n.get("expire_at_ms");
        Map<Bytes, Long> memberTtl = null;
        if (n.hasNonNull("member_expire_at_s")) {
            memberTtl = new LinkedHashMap<>();
            for (JsonNode p : n.get("member_expire_at_s")) {
                memberTtl.put(Bytes.fromBase64(p.get(0).asText()), p.get(1).asLong());
            }
            memberTtl = Collections.unmodifiableMap(memberTtl);
        }
        return new DatasetRow(
                n.get("db").asInt(),
                Bytes.fromBase64(n.get("key_b64").asText()),
                type,
                n.get("pttl").asLong(),
                exp == null || exp.isNull() ? null : exp.asLong(),
                value(type, n.get("value")),
                memberTtl);
    }

    private static DatasetValue value(String type, JsonNode v) {
        if (v.isObject() && v.has("unsupported")) {
            return new DatasetValue.Unsupported(v.get("unsupported").asText());
        }
        return switch (type) {
            case "string" -> new DatasetValue.StringValue(Bytes.fromBase64(v.asText()));
            case "list" -> new DatasetValue.ListValue(bytesList(v));
            case "set" -> new DatasetValue.SetValue(bytesList(v));
            case "hash" -> new DatasetValue.HashValue(pairs(v));
            case "zset" -> {
                List<DatasetValue.ScoredMember> m = new ArrayList<>();
                for (JsonNode p : v) {
                    m.add(new DatasetValue.ScoredMember(
                            Bytes.fromBase64(p.get(0).asText()), DatasetValue.parseScore(p.get(1).asText())));
                }
                yield new DatasetValue.ZSetValue(List.copyOf(m));
            }
            case "stream" -> stream(v);
            case "ReJSON-RL" -> new DatasetValue.JsonValue(v.asText());
            default -> new DatasetValue.Unsupported(type);
        };
    }

    private static DatasetValue.StreamValue stream(JsonNode v) {
        List<DatasetValue.StreamEntry> entries = new ArrayList<>();
        for (JsonNode e : v.get("entries")) {
            entries.add(new DatasetValue.StreamEntry(e.get(0).asText(), pairs(e.get(1))));
        }
        List<DatasetValue.StreamGroup> groups = new ArrayList<>();
        for (JsonNode g : v.get("groups")) {
            List<DatasetValue.StreamConsumer> consumers = new ArrayList<>();
            for (JsonNode c : g.get("consumers")) {
                consumers.add(new DatasetValue.StreamConsumer(c.get(0).asText(), c.get(1).asLong()));
            }
            groups.add(new DatasetValue.StreamGroup(
                    g.get("name").asText(),
                    g.get("last_delivered_id").asText(),
                    g.get("pending").asLong(),
                    List.copyOf(consumers)));
        }
        return new DatasetValue.StreamValue(
                List.copyOf(entries), v.get("length").asLong(), v.get("last_generated_id").asText(), List.copyOf(groups));
    }

    private static List<Bytes> bytesList(JsonNode v) {
        List<Bytes> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            out.add(Bytes.fromBase64(e.asText()));
        }
        return List.copyOf(out);
    }

    private static List<DatasetValue.FieldValue> pairs(JsonNode v) {
        List<DatasetValue.FieldValue> out = new ArrayList<>(v.size());
        for (JsonNode p : v) {
            out.add(new DatasetValue.FieldValue(Bytes.fromBase64(p.get(0).asText()), Bytes.fromBase64(p.get(1).asText())));
        }
        return List.copyOf(out);
    }
}
