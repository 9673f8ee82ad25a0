package io.df2redis.testing.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Dumps a real Redis into the dataset format of the recordings' README (what the recorder's dfdump
 * does over RESP): every db of a standalone server, or db 0 of every master of a cluster. Keys are
 * found with SCAN; per key TYPE, PEXPIRETIME and the value by type. Hash field TTLs are read with
 * HPEXPIRETIME where the server has it (7.4+).
 */
public final class RedisDataset {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private RedisDataset() {}

    /** Every db of a standalone server. */
    public static Dataset dumpStandalone(String host, int port) {
        return dumpStandalone(host, port, k -> true);
    }

    public static Dataset dumpStandalone(String host, int port, Predicate<byte[]> keep) {
        List<DatasetRow> rows = new ArrayList<>();
        try (Jedis j = new Jedis(host, port)) {
            for (int db : databases(j)) {
                j.select(db);
                dumpNode(j, db, rows, keep);
            }
        }
        return new Dataset(rows);
    }

    /** Db 0 of every master of the cluster that {@code host:port} belongs to. */
    public static Dataset dumpCluster(String host, int port) {
        return dumpCluster(host, port, k -> true);
    }

    public static Dataset dumpCluster(String host, int port, Predicate<byte[]> keep) {
        List<DatasetRow> rows = new ArrayList<>();
        List<String[]> masters = new ArrayList<>();
        try (Jedis seed = new Jedis(host, port)) {
            for (String line : seed.clusterNodes().split("\n")) {
                String[] p = line.trim().split(" ");
                if (p.length > 2 && Arrays.asList(p[2].split(",")).contains("master") && !p[2].contains("fail")) {
                    String addr = p[1].split("@")[0];
                    int colon = addr.lastIndexOf(':');
                    masters.add(new String[] {addr.substring(0, colon).isEmpty() ? host : addr.substring(0, colon),
                        addr.substring(colon + 1)});
                }
            }
        }
        for (String[] m : masters) {
            try (Jedis j = new Jedis(m[0], Integer.parseInt(m[1]))) {
                dumpNode(j, 0, rows, keep);
            }
        }
        return new Dataset(rows);
    }

    private static List<Integer> databases(Jedis j) {
        List<Integer> dbs = new ArrayList<>();
        for (String line : j.info("keyspace").split("\n")) {
            line = line.trim();
            if (line.startsWith("db") && line.contains(":")) {
                dbs.add(Integer.parseInt(line.substring(2, line.indexOf(':'))));
            }
        }
        return dbs;
    }

    private static void dumpNode(Jedis j, int db, List<DatasetRow> rows, Predicate<byte[]> keep) {
        byte[] cursor = b("0");
        do {
            List<?> r = (List<?>) j.sendCommand(() -> b("SCAN"), cursor, b("COUNT"), b("1000"));
            cursor = (byte[]) r.get(0);
            for (Object k : (List<?>) r.get(1)) {
                byte[] key = (byte[]) k;
                if (keep.test(key)) {
                    DatasetRow row = row(j, db, key);
                    if (row != null) {
                        rows.add(row);
                    }
                }
            }
        } while (!Arrays.equals(cursor, b("0")));
    }

    /** One key, or {@code null} when it vanished meanwhile. */
    static DatasetRow row(Jedis j, int db, byte[] key) {
        String type = s((byte[]) j.sendCommand(() -> b("TYPE"), key));
        if (type.equals("none")) {
            return null;
        }
        long exp = (Long) j.sendCommand(() -> b("PEXPIRETIME"), key);
        JsonNode memberTtls = null;
        JsonNode value;
        switch (type) {
            case "string": {
                byte[] v = (byte[]) j.sendCommand(() -> b("GET"), key);
                if (v == null) {
                    return null; // deleted between TYPE and GET (a dump taken while writes go on)
                }
                value = F.textNode(b64(v));
                break;
            }
            case "list":
                value = b64Array(list(j.sendCommand(() -> b("LRANGE"), key, b("0"), b("-1"))));
                break;
            case "set": {
                List<byte[]> m = list(j.sendCommand(() -> b("SMEMBERS"), key));
                m.sort(Arrays::compareUnsigned);
                value = b64Array(m);
                break;
            }
            case "hash": {
                List<byte[]> fv = list(j.sendCommand(() -> b("HGETALL"), key));
                List<byte[][]> pairs = new ArrayList<>();
                for (int i = 0; i < fv.size(); i += 2) {
                    pairs.add(new byte[][] {fv.get(i), fv.get(i + 1)});
                }
                pairs.sort(Comparator.comparing((byte[][] p) -> p[0], Arrays::compareUnsigned));
                ArrayNode a = F.arrayNode();
                for (byte[][] p : pairs) {
                    a.add(F.arrayNode().add(b64(p[0])).add(b64(p[1])));
                }
                value = a;
                memberTtls = hashFieldTtls(j, key, pairs);
                break;
            }
            case "zset": {
                List<byte[]> ms = list(j.sendCommand(() -> b("ZRANGE"), key, b("0"), b("-1"), b("WITHSCORES")));
                ArrayNode a = F.arrayNode();
                for (int i = 0; i < ms.size(); i += 2) {
                    a.add(F.arrayNode().add(b64(ms.get(i))).add(s(ms.get(i + 1))));
                }
                value = a;
                break;
            }
            case "stream":
                value = stream(j, key);
                break;
            case "ReJSON-RL":
                value = F.textNode(s((byte[]) j.sendCommand(() -> b("JSON.GET"), key)));
                break;
            default:
                value = F.objectNode().put("unsupported", type);
        }
        return new DatasetRow(db, key, type, exp < 0 ? null : exp, value, memberTtls);
    }

    private static JsonNode hashFieldTtls(Jedis j, byte[] key, List<byte[][]> pairs) {
        if (pairs.isEmpty()) {
            return null;
        }
        List<byte[]> args = new ArrayList<>(List.of(key, b("FIELDS"), b(Integer.toString(pairs.size()))));
        for (byte[][] p : pairs) {
            args.add(p[0]);
        }
        List<?> ttls;
        try {
            ttls = (List<?>) j.sendCommand(() -> b("HPEXPIRETIME"), args.toArray(new byte[0][]));
        } catch (JedisDataException e) {
            return null; // the server has no field TTLs (< 7.4)
        }
        ArrayNode a = F.arrayNode();
        for (int i = 0; i < pairs.size(); i++) {
            long t = (Long) ttls.get(i);
            if (t > 0) {
                a.add(F.arrayNode().add(b64(pairs.get(i)[0])).add(t / 1000));
            }
        }
        return a.isEmpty() ? null : a;
    }

    private static JsonNode stream(Jedis j, byte[] key) {
        ObjectNode o = F.objectNode();
        ArrayNode entries = F.arrayNode();
        for (Object e : (List<?>) j.sendCommand(() -> b("XRANGE"), key, b("-"), b("+"))) {
            List<?> entry = (List<?>) e;
            List<byte[]> fv = list(entry.get(1));
            ArrayNode pairs = F.arrayNode();
            for (int i = 0; i < fv.size(); i += 2) {
                pairs.add(F.arrayNode().add(b64(fv.get(i))).add(b64(fv.get(i + 1))));
            }
            entries.add(F.arrayNode().add(s((byte[]) entry.get(0))).add(pairs));
        }
        o.set("entries", entries);
        List<?> info = (List<?>) j.sendCommand(() -> b("XINFO"), b("STREAM"), key);
        o.put("length", (Long) field(info, "length"));
        o.put("last_generated_id", s((byte[]) field(info, "last-generated-id")));
        ArrayNode groups = F.arrayNode();
        for (Object g : (List<?>) j.sendCommand(() -> b("XINFO"), b("GROUPS"), key)) {
            List<?> gi = (List<?>) g;
            byte[] name = (byte[]) field(gi, "name");
            ObjectNode go = F.objectNode();
            go.put("name", s(name));
            go.put("last_delivered_id", s((byte[]) field(gi, "last-delivered-id")));
            go.put("pending", (Long) field(gi, "pending"));
            ArrayNode consumers = F.arrayNode();
            for (Object c : (List<?>) j.sendCommand(() -> b("XINFO"), b("CONSUMERS"), key, name)) {
                List<?> ci = (List<?>) c;
                consumers.add(F.arrayNode().add(s((byte[]) field(ci, "name"))).add((Long) field(ci, "pending")));
            }
            go.set("consumers", consumers);
            groups.add(go);
        }
        o.set("groups", groups);
        return o;
    }

    private static Object field(List<?> flat, String name) {
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            if (name.equals(s((byte[]) flat.get(i)))) {
                return flat.get(i + 1);
            }
        }
        throw new IllegalStateException("no field " + name + " in XINFO reply");
    }

    @SuppressWarnings("unchecked")
    private static List<byte[]> list(Object reply) {
        return new ArrayList<>((List<byte[]>) reply);
    }

    private static ArrayNode b64Array(List<byte[]> l) {
        ArrayNode a = F.arrayNode();
        for (byte[] b : l) {
            a.add(b64(b));
        }
        return a;
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
