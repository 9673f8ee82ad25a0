package io.df2redis.redis;

import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;

/** Asks a node what it is and what it accepts ({@link TargetCapabilities}). */
final class CapabilityProbe {
    private CapabilityProbe() {}

    /**
     * @param c a connection to a primary
     * @param owned the slots {@code c}'s node serves (where a temporary DUMP key may go)
     */
    static TargetCapabilities probe(RedisConnection c, boolean cluster, IntPredicate owned) throws IOException {
        String version = c.info("server").get("redis_version");
        if (version == null) {
            throw new IOException("INFO server on " + c.address() + " has no redis_version");
        }
        int measured = dumpRdbVersion(c, owned);
        boolean fromDump = measured > 0;
        int rdb = fromDump ? measured : TargetCapabilities.rdbVersionForServer(version);
        List<String> modules = new ArrayList<>();
        RespReply ml = c.call("MODULE", "LIST");
        if (!ml.isError()) {
            for (RespReply m : ml.asArray()) {
                List<RespReply> f = m.asArray();
                String name = null;
                String ver = null;
                for (int i = 0; i + 1 < f.size(); i += 2) {
                    String k = f.get(i).asText();
                    if (k.equals("name")) {
                        name = f.get(i + 1).asText();
                    } else if (k.equals("ver")) {
                        ver = f.get(i + 1).asText();
                    }
                }
                modules.add(name + "/" + ver);
            }
        }
        int databases = cluster ? 1 : -1;
        if (!cluster) {
            RespReply cfg = c.call("CONFIG", "GET", "databases");
            if (!cfg.isError() && cfg.asArray().size() == 2) {
                databases = (int) cfg.asArray().get(1).asLong();
            }
        }
        return new TargetCapabilities(version, cluster, rdb, fromDump, List.copyOf(modules),
                commandExists(c, "JSON.SET"), commandExists(c, "BF.ADD"), commandExists(c, "HEXPIRE"), databases);
    }

    private static boolean commandExists(RedisConnection c, String name) throws IOException {
        RespReply r = c.call("COMMAND", "INFO", name);
        if (r.isError()) {
            return false;
        }
        List<RespReply> a = r.asArray();
        return !a.isEmpty() && !(a.get(0) instanceof RespReply.Null);
    }

    /**
     * The RDB version of this server's own DUMP payloads (their last 10 bytes: version, CRC64),
     * from an existing key if there is one, else from a temporary key deleted at once. 0 if not
     * allowed.
     */
    private static int dumpRdbVersion(RedisConnection c, IntPredicate owned) throws IOException {
        RespReply any = c.call("RANDOMKEY");
        if (any instanceof RespReply.Bulk k) {
            int v = versionOf(c.call("DUMP".getBytes(StandardCharsets.US_ASCII), k.bytes()));
            if (v > 0) {
                return v;
            }
        }
        String key = probeKey(owned);
        RespReply set = c.call("SET", key, "x", "PX", "10000");
        if (set.isError()) {
            return 0;
        }
        try {
            return versionOf(c.call("DUMP", key));
        } finally {
            c.call("DEL", key);
        }
    }

    private static int versionOf(RespReply dump) {
        if (dump instanceof RespReply.Bulk b && b.bytes().length >= 10) {
            byte[] p = b.bytes();
            return (p[p.length - 10] & 0xff) | (p[p.length - 9] & 0xff) << 8;
        }
        return 0;
    }

    private static String probeKey(IntPredicate owned) {
        String base = "df2redis:probe:" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        for (int tag = 0; tag < 1_000_000; tag++) {
            String k = base + "{" + tag + "}";
            if (owned.test(Slots.slot(k.getBytes(StandardCharsets.UTF_8)))) {
                return k;
            }
        }
        return base;
    }
}
