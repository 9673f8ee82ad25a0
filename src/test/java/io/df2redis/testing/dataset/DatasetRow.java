package io.df2redis.testing.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One key of a dataset dump, in the format of {@code ../shared/testdata/dragonfly/README.md}
 * ("dataset-*.jsonl"): db, key, the server's TYPE, absolute expiry (PEXPIRETIME) and the value.
 *
 * @param expireAtMs absolute Unix ms, {@code null} without TTL
 * @param value per type as the README says (base64 strings, sorted set/hash members, zset score texts,
 *     stream object, JSON text, {@code {"unsupported": type}})
 * @param memberExpireAtS {@code [[member_b64, unix_seconds]…]} for hashes/sets with member TTLs, else null
 */
public record DatasetRow(int db, byte[] key, String type, Long expireAtMs, JsonNode value, JsonNode memberExpireAtS) {

    public String keyB64() {
        return Base64.getEncoder().encodeToString(key);
    }

    /** The key for messages: text when printable, else base64. */
    public String keyText() {
        for (byte b : key) {
            if (b < 0x20 || b == 0x7f) {
                return "b64:" + keyB64();
            }
        }
        return new String(key, StandardCharsets.UTF_8);
    }

    public DatasetRow withDb(int newDb) {
        return new DatasetRow(newDb, key, type, expireAtMs, value, memberExpireAtS);
    }

    /** The JSON line of this row (pttl written as -1 or the rounded remaining time at {@code nowMs}). */
    public ObjectNode toJson(long nowMs) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("db", db);
        o.put("key_b64", keyB64());
        o.put("type", type);
        o.put("pttl", expireAtMs == null ? -1 : Math.max(0, Math.round((expireAtMs - nowMs) / 1000.0) * 1000));
        if (expireAtMs == null) {
            o.putNull("expire_at_ms");
        } else {
            o.put("expire_at_ms", expireAtMs);
        }
        o.set("value", value);
        if (memberExpireAtS != null) {
            o.set("member_expire_at_s", memberExpireAtS);
        }
        return o;
    }

    static DatasetRow fromJson(JsonNode o) {
        JsonNode exp = o.get("expire_at_ms");
        return new DatasetRow(o.get("db").asInt(), Base64.getDecoder().decode(o.get("key_b64").asText()),
                o.get("type").asText(), exp == null || exp.isNull() ? null : exp.asLong(), o.get("value"),
                o.hasNonNull("member_expire_at_s") ? o.get("member_expire_at_s") : null);
    }
}
