package io.df2redis.redis;

import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisServerProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntFunction;

/** Admin connections by slot, for reading a dataset back in tests. */
final class SlotConnections implements IntFunction<RedisConnection>, AutoCloseable {
    private final RedisConnection[] bySlot = new RedisConnection[Slots.COUNT];
    private final List<RedisConnection> all = new ArrayList<>();

    static SlotConnections of(RedisServerProcess server) throws IOException {
        SlotConnections s = new SlotConnections();
        RedisConnection c = server.connect();
        s.all.add(c);
        java.util.Arrays.fill(s.bySlot, c);
        return s;
    }

    static SlotConnections of(RedisClusterProcesses cluster) throws IOException {
        SlotConnections s = new SlotConnections();
        for (RedisServerProcess p : cluster.primaries()) {
            RedisConnection c = p.connect();
            s.all.add(c);
            BitSet slots = cluster.slotsOf(p);
            for (int i = slots.nextSetBit(0); i >= 0; i = slots.nextSetBit(i + 1)) {
                s.bySlot[i] = c;
            }
        }
        return s;
    }

    @Override
    public RedisConnection apply(int slot) {
        RedisConnection c = bySlot[slot];
        if (c == null) {
            throw new IllegalStateException("no primary serves slot " + slot);
        }
        return c;
    }

    @Override
    public void close() {
        all.forEach(RedisConnection::close);
    }
}
