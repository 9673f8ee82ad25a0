package io.df2redis.translate;

import io.df2redis.redis.RedisCommand;
import io.df2redis.resp.RespReply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A plain, synchronous {@link TargetIo} for tests: routes by slot on a cluster (db 0 only) or by db
 * on a standalone server, one connection per node, no pipelining. Submitted commands are buffered
 * like a writer's batches and only reach Redis on {@link #drain()}, before a {@link #call}, or
 * before a flush, so tests can decide when each applier's writes land. Error replies of submitted
 * commands fail the test at once (a writer would report them too).
 */
final class JedisTargetIo implements TestTargetIo {
    private final boolean cluster;
    private final Map<String, Jedis> nodes = new HashMap<>();
    private final String[] slotOwner = new String[16384];
    private final ArrayDeque<RedisCommand> buffered = new ArrayDeque<>();
    private final Map<String, Integer> selected = new HashMap<>();
    final List<RedisCommand> applied = new ArrayList<>();
    private final String seed;

    private JedisTargetIo(String host, int port, boolean cluster) {
        this.cluster = cluster;
        this.seed = host + ":" + port;
        if (cluster) {
            try (Jedis j = new Jedis(host, port)) {
                for (Object o : (List<?>) j.sendCommand(() -> "CLUSTER".getBytes(StandardCharsets.US_ASCII),
                        "SLOTS".getBytes(StandardCharsets.US_ASCII))) {
                    List<?> range = (List<?>) o;
                    List<?> master = (List<?>) range.get(2);
                    String addr = new String((byte[]) master.get(0), StandardCharsets.UTF_8) + ":" + master.get(1);
                    for (long s = (Long) range.get(0); s <= (Long) range.get(1); s++) {
                        slotOwner[(int) s] = addr;
                    }
                }
            }
        }
    }

    static JedisTargetIo standalone(String host, int port) {
        return new JedisTargetIo(host, port, false);
    }

    static JedisTargetIo cluster(String host, int port) {
        return new JedisTargetIo(host, port, true);
    }

    @Override
    public void submit(RedisCommand command) {
        buffered.add(command);
    }

    /** Sends every buffered command, in order. */
    @Override
    public void drain() {
        while (!buffered.isEmpty()) {
            RedisCommand c = buffered.poll();
            RespReply r = send(c);
            if (r instanceof RespReply.Error e) {
                throw new AssertionError("target refused " + describe(c) + ": " + e.message());
            }
        }
    }

    int buffered() {
        return buffered.size();
    }

    @Override
    public List<RespReply> call(List<RedisCommand> commands) {
        drain();
        List<RespReply> out = new ArrayList<>(commands.size());
        for (RedisCommand c : commands) {
            out.add(send(c));
        }
        return out;
    }

    @Override
    public void flush(TargetFlush f) {
        drain();
        if (cluster) {
            for (String addr : masters()) {
                Jedis j = node(addr);
                if (f.slotRanges().isEmpty()) {
                    j.flushAll();
                } else {
                    for (int[] r : f.slotRanges()) {
                        for (int s = r[0]; s <= r[1]; s++) {
                            if (addr.equals(slotOwner[s])) {
                                for (byte[] k : j.clusterGetKeysInSlotBinary(s, 100000)) {
                                    j.del(k);
                                }
                            }
                        }
                    }
                }
            }
            return;
        }
        Jedis j = node(seed);
        if (f.all()) {
            j.flushAll();
            return;
        }
        for (int db : f.dbs()) {
            select(seed, j, db);
            j.flushDB();
        }
    }

    private RespReply send(RedisCommand c) {
        String addr = cluster ? slotOwner[c.slot()] : seed;
        if (cluster && c.db() != 0) {
            throw new AssertionError("db " + c.db() + " on a cluster: " + describe(c));
        }
        Jedis j = node(addr);
        if (!cluster) {
            select(addr, j, c.db());
        }
        byte[][] rest = Arrays.copyOfRange(c.args(), 1, c.args().length);
        byte[] name = c.args()[0];
        applied.add(c);
        try {
            return convert(j.sendCommand(() -> name, rest));
        } catch (JedisDataException e) {
            return new RespReply.Error(e.getMessage());
        }
    }

    private void select(String addr, Jedis j, int db) {
        Integer cur = selected.get(addr);
        if (cur == null || cur != db) {
            j.select(db);
            selected.put(addr, db);
        }
    }

    private List<String> masters() {
        return Arrays.stream(slotOwner).distinct().toList();
    }

    private Jedis node(String addr) {
        return nodes.computeIfAbsent(addr, a -> {
            int colon = a.lastIndexOf(':');
            return new Jedis(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1)));
        });
    }

    static RespReply convert(Object o) {
        if (o == null) {
            return new RespReply.Null();
        }
        if (o instanceof byte[] b) {
            return new RespReply.Bulk(b);
        }
        if (o instanceof Long l) {
            return new RespReply.Integer(l);
        }
        if (o instanceof List<?> l) {
            List<RespReply> r = new ArrayList<>(l.size());
            for (Object e : l) {
                r.add(convert(e));
            }
            return new RespReply.Array(r);
        }
        throw new IllegalStateException("unexpected reply " + o.getClass());
    }

    static String describe(RedisCommand c) {
        StringBuilder sb = new StringBuilder();
        for (byte[] a : c.args()) {
            String s = new String(a, StandardCharsets.UTF_8);
            sb.append(s.length() > 60 ? s.substring(0, 60) + "…" : s).append(' ');
        }
        return sb.toString().trim();
    }

    @Override
    public void close() {
        nodes.values().forEach(Jedis::close);
    }
}
