package io.df2redis.translate;

import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.DecodedValue.HashValue;
import io.df2redis.dragonfly.event.DecodedValue.JsonValue;
import io.df2redis.dragonfly.event.DecodedValue.ListValue;
import io.df2redis.dragonfly.event.DecodedValue.SetValue;
import io.df2redis.dragonfly.event.DecodedValue.StreamValue;
import io.df2redis.dragonfly.event.DecodedValue.StringValue;
import io.df2redis.dragonfly.event.DecodedValue.ZSetValue;
import io.df2redis.redis.RedisCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Writes decoded elements with ordinary commands, in bounded batches: a whole value, or the parts
 * of one too big to hold (part 0 replaces the key, later parts append). The key's TTL is written
 * by the caller after the last part ({@link #expire}).
 */
final class NativeValues {
    /** Dragonfly's member-TTL epoch is already applied by the decoder: expireAtSec is Unix seconds. */
    private final TranslateConfig config;
    private final TargetProfile target;
    private final TranslationCounters counters;
    private final SkipListener skips;

    NativeValues(TranslateConfig config, TargetProfile target, TranslationCounters counters, SkipListener skips) {
        this.config = config;
        this.target = target;
        this.counters = counters;
        this.skips = skips;
    }

    /**
     * Emits the commands for {@code value}'s elements.
     *
     * @param replace whether this is the value's first (or only) part: the key is deleted first
     * @param sourceDb for reports
     */
    void write(int db, int sourceDb, byte[] key, DecodedValue value, boolean replace, long nowMs,
            Consumer<RedisCommand> out) {
        int slot = io.df2redis.redis.Slots.slot(key);
        if (value instanceof StringValue s) {
            // SET replaces whatever was there (any type), so no DEL is needed for strings.
            byte[] name = Args.b(replace ? "SET" : "APPEND");
            out.accept(new RedisCommand(db, slot, key, new byte[][] {name, key, s.bytes()}));
            return;
        }
        if (replace) {
            out.accept(new RedisCommand(db, slot, key, new byte[][] {Args.b("DEL"), key}));
        }
        if (value instanceof ListValue l) {
            CommandBatch b = batch(db, slot, key, "RPUSH", 1, out);
            for (byte[] e : l.elements()) {
                b.add(e);
            }
            b.flush();
        } else if (value instanceof SetValue s) {
            writeSet(db, sourceDb, slot, key, s, nowMs, out);
        } else if (value instanceof HashValue h) {
            writeHash(db, sourceDb, slot, key, h, nowMs, out);
        } else if (value instanceof ZSetValue z) {
            CommandBatch b = batch(db, slot, key, "ZADD", 2, out);
            for (int i = 0; i < z.members().size(); i++) {
                b.add(Args.score(z.scores()[i]), z.members().get(i));
            }
            b.flush();
        } else if (value instanceof StreamValue st) {
            StreamCommands.write(db, slot, key, st, config.nativeBatchElements(), out);
        } else if (value instanceof JsonValue j) {
            out.accept(new RedisCommand(db, slot, key, new byte[][] {Args.b("JSON.SET"), key, Args.b("$"), j.text()}));
        } else {
            throw new TranslationException("db " + sourceDb + " key " + TranslationException.printable(key)
                    + ": no native form for " + value.getClass().getSimpleName());
        }
    }

    /** PEXPIREAT after the last part, when the value has a TTL. */
    static void expire(int db, byte[] key, long expireAtMs, Consumer<RedisCommand> out) {
        if (expireAtMs > 0) {
            out.accept(RedisCommand.of(db, key, Args.b("PEXPIREAT"), key, Args.b(expireAtMs)));
        }
    }

    private void writeSet(int db, int sourceDb, int slot, byte[] key, SetValue s, long nowMs,
            Consumer<RedisCommand> out) {
        CommandBatch b = batch(db, slot, key, "SADD", 1, out);
        long[] ttl = s.expireAtSec();
        boolean anyTtl = false;
        for (int i = 0; i < s.members().size(); i++) {
            if (ttl != null && ttl[i] >= 0) {
                if (ttl[i] * 1000 <= nowMs) {
                    counters.inc(Outcome.MEMBERS_EXPIRED_SKIPPED);
                    continue;
                }
                anyTtl = true;
            }
            b.add(s.members().get(i));
        }
        b.flush();
        if (anyTtl) {
            ttlDropped(sourceDb, key, "set with member TTLs", DfFamily.SET_MEMBER_TTL);
        }
    }

    private void writeHash(int db, int sourceDb, int slot, byte[] key, HashValue h, long nowMs,
            Consumer<RedisCommand> out) {
        CommandBatch b = batch(db, slot, key, "HSET", 2, out);
        long[] ttl = h.expireAtSec();
        List<byte[]> fv = h.fieldsAndValues();
        TreeMap<Long, List<byte[]>> byExpiry = new TreeMap<>();
        for (int i = 0; i < fv.size() / 2; i++) {
            if (ttl != null && ttl[i] >= 0) {
                if (ttl[i] * 1000 <= nowMs) {
                    counters.inc(Outcome.MEMBERS_EXPIRED_SKIPPED);
                    continue;
                }
                byExpiry.computeIfAbsent(ttl[i] * 1000, k -> new ArrayList<>()).add(fv.get(2 * i));
            }
            b.add(fv.get(2 * i), fv.get(2 * i + 1));
        }
        b.flush();
        if (byExpiry.isEmpty()) {
            return;
        }
        if (!target.hashFieldTtl()) {
            ttlDropped(sourceDb, key, "hash with field TTLs", DfFamily.HASH_FIELD_TTL);
            return;
        }
        for (var e : byExpiry.entrySet()) {
            List<byte[]> fields = e.getValue();
            for (int from = 0; from < fields.size(); from += config.nativeBatchElements()) {
                int to = Math.min(fields.size(), from + config.nativeBatchElements());
                List<byte[]> a = new ArrayList<>(to - from + 5);
                a.add(Args.b("HPEXPIREAT"));
                a.add(key);
                a.add(Args.b(e.getKey()));
                a.add(Args.b("FIELDS"));
                a.add(Args.b(to - from));
                a.addAll(fields.subList(from, to));
                out.accept(new RedisCommand(db, slot, key, Args.array(a)));
            }
        }
    }

    private void ttlDropped(int sourceDb, byte[] key, String what, DfFamily family) {
        counters.inc(Outcome.MEMBER_TTL_DROPPED);
        skips.onSkip(new SkipReport(sourceDb, key, what, family,
                "written without its field/member TTLs: the target cannot hold them"
                        + " (translate.drop-unsupported-member-ttls=true)"));
    }

    private CommandBatch batch(int db, int slot, byte[] key, String name, int argsPerElement,
            Consumer<RedisCommand> out) {
        return new CommandBatch(db, slot, key, List.of(Args.b(name), key), argsPerElement,
                config.nativeBatchElements(), config.nativeBatchBytes(), out);
    }
}
