package io.df2redis.translate;

import io.df2redis.dragonfly.event.DecodedValue.PendingEntry;
import io.df2redis.dragonfly.event.DecodedValue.StreamConsumer;
import io.df2redis.dragonfly.event.DecodedValue.StreamEntry;
import io.df2redis.dragonfly.event.DecodedValue.StreamGroup;
import io.df2redis.dragonfly.event.DecodedValue.StreamId;
import io.df2redis.dragonfly.event.DecodedValue.StreamMeta;
import io.df2redis.dragonfly.event.DecodedValue.StreamValue;
import io.df2redis.redis.RedisCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A stream rebuilt with commands Redis 7.0 has, for targets whose RESTORE does not know the
 * stream's encoding (Dragonfly writes type 21, Redis 7.2's): one XADD per entry with its id, then
 * from the metadata XSETID (last id, entries added, max deleted id), the groups (XGROUP CREATE with
 * ENTRIESREAD), their consumers (XGROUP CREATECONSUMER) and pending entries (XCLAIM … TIME
 * RETRYCOUNT FORCE JUSTID: same delivery time and count, owned by the same consumer).
 *
 * <p>What the commands cannot reproduce: consumers' seen/active times (XCLAIM sets them to now),
 * and pending entries whose message was deleted from the stream (XCLAIM ignores those).
 */
final class StreamCommands {
    private StreamCommands() {}

    static void write(int db, int slot, byte[] key, StreamValue v, int batch, Consumer<RedisCommand> out) {
        for (StreamEntry e : v.entries()) {
            List<byte[]> a = new ArrayList<>(e.fieldsAndValues().size() + 3);
            a.add(Args.b("XADD"));
            a.add(key);
            a.add(Args.b(e.id().toString()));
            a.addAll(e.fieldsAndValues());
            out.accept(new RedisCommand(db, slot, key, Args.array(a)));
        }
        if (v.meta() != null) {
            meta(db, slot, key, v.meta(), batch, out);
        }
    }

    private static void meta(int db, int slot, byte[] key, StreamMeta m, int batch, Consumer<RedisCommand> out) {
        List<StreamGroup> groups = m.groups() == null ? List.of() : m.groups();
        int firstGroup = 0;
        if (m.length() == 0) {
            // No entry was added: create the empty stream itself.
            if (!groups.isEmpty()) {
                out.accept(groupCreate(db, slot, key, groups.get(0), true));
                firstGroup = 1;
            } else {
                StreamId id = m.lastId().compareTo(StreamId.ZERO) > 0 ? m.lastId() : new StreamId(0, 1);
                out.accept(cmd(db, slot, key, "XADD", key, "MAXLEN", "0", id.toString(), "f", "v"));
            }
        }
        List<String> setid = new ArrayList<>(List.of("XSETID"));
        setid.add(m.lastId().toString());
        if (m.entriesAdded() >= 0) {
            setid.add("ENTRIESADDED");
            setid.add(Long.toString(m.entriesAdded()));
        }
        if (m.maxDeletedId() != null) {
            setid.add("MAXDELETEDID");
            setid.add(m.maxDeletedId().toString());
        }
        List<byte[]> a = new ArrayList<>();
        a.add(Args.b("XSETID"));
        a.add(key);
        for (int i = 1; i < setid.size(); i++) {
            a.add(Args.b(setid.get(i)));
        }
        out.accept(new RedisCommand(db, slot, key, Args.array(a)));
        for (int g = 0; g < groups.size(); g++) {
            StreamGroup group = groups.get(g);
            if (g >= firstGroup) {
                out.accept(groupCreate(db, slot, key, group, false));
            }
            Map<StreamId, PendingEntry> pel = new HashMap<>();
            for (PendingEntry p : group.pending()) {
                pel.put(p.id(), p);
            }
            for (StreamConsumer c : group.consumers()) {
                out.accept(new RedisCommand(db, slot, key,
                        new byte[][] {Args.b("XGROUP"), Args.b("CREATECONSUMER"), key, group.name(), c.name()}));
                claim(db, slot, key, group, c, pel, batch, out);
            }
        }
    }

    /** XCLAIM of a consumer's pending ids, grouped by identical delivery time and count. */
    private static void claim(int db, int slot, byte[] key, StreamGroup group, StreamConsumer c,
            Map<StreamId, PendingEntry> pel, int batch, Consumer<RedisCommand> out) {
        List<byte[]> ids = new ArrayList<>();
        long time = -1;
        long count = -1;
        for (StreamId id : c.pending()) {
            PendingEntry p = pel.get(id);
            long t = p == null ? 0 : p.deliveryTimeMs();
            long n = p == null ? 1 : p.deliveryCount();
            if (!ids.isEmpty() && (t != time || n != count || ids.size() >= batch)) {
                out.accept(xclaim(db, slot, key, group, c, ids, time, count));
                ids.clear();
            }
            ids.add(Args.b(id.toString()));
            time = t;
            count = n;
        }
        if (!ids.isEmpty()) {
            out.accept(xclaim(db, slot, key, group, c, ids, time, count));
        }
    }

    private static RedisCommand xclaim(int db, int slot, byte[] key, StreamGroup g, StreamConsumer c,
            List<byte[]> ids, long time, long count) {
        List<byte[]> a = new ArrayList<>(ids.size() + 12);
        a.add(Args.b("XCLAIM"));
        a.add(key);
        a.add(g.name());
        a.add(c.name());
        a.add(Args.b("0"));
        a.addAll(ids);
        a.add(Args.b("TIME"));
        a.add(Args.b(time));
        a.add(Args.b("RETRYCOUNT"));
        a.add(Args.b(count));
        a.add(Args.b("FORCE"));
        a.add(Args.b("JUSTID"));
        return new RedisCommand(db, slot, key, Args.array(a));
    }

    private static RedisCommand groupCreate(int db, int slot, byte[] key, StreamGroup g, boolean mkstream) {
        List<byte[]> a = new ArrayList<>(8);
        a.add(Args.b("XGROUP"));
        a.add(Args.b("CREATE"));
        a.add(key);
        a.add(g.name());
        a.add(Args.b(g.lastDeliveredId().toString()));
        if (mkstream) {
            a.add(Args.b("MKSTREAM"));
        }
        if (g.entriesRead() >= 0) {
            a.add(Args.b("ENTRIESREAD"));
            a.add(Args.b(g.entriesRead()));
        }
        return new RedisCommand(db, slot, key, Args.array(a));
    }

    private static RedisCommand cmd(int db, int slot, byte[] key, String name, byte[] k, String... rest) {
        byte[][] a = new byte[rest.length + 2][];
        a[0] = Args.b(name);
        a[1] = k;
        for (int i = 0; i < rest.length; i++) {
            a[i + 2] = Args.b(rest[i]);
        }
        return new RedisCommand(db, slot, key, a);
    }
}
