package io.df2redis.translate;

import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.FlowEvent.ObjectPart;
import io.df2redis.dragonfly.event.FlowEvent.SnapshotObject;
import io.df2redis.dragonfly.event.RdbValue;
import io.df2redis.dragonfly.rdb.DumpPayload;
import io.df2redis.dragonfly.rdb.RdbFormatException;
import io.df2redis.dragonfly.rdb.RdbType;
import io.df2redis.dragonfly.rdb.ValueDecoder;
import io.df2redis.redis.RedisCommand;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Snapshot values → target writes, with replace semantics (DESIGN §5):
 *
 * <ul>
 *   <li>already expired (expiry before "now"): not written, counted — as Dragonfly's replica does;
 *   <li>Dragonfly-only types: the family's policy (transcode, skip and report, fail);
 *   <li>types the target's RESTORE knows, within the size limit, except short strings in the
 *       default {@code AUTO} mode: {@code RESTORE key <abs ms|0> <payload> REPLACE ABSTTL}, the
 *       payload made of the stream's own value bytes, the target's RDB version and a CRC64 — no
 *       decoding;
 *   <li>short strings: {@code SET key value [PXAT ms]} (measured cheaper than RESTORE);
 *   <li>everything else: decoded and written natively in bounded batches ({@link NativeValues}),
 *       then {@code PEXPIREAT}.
 * </ul>
 *
 * Parts of values too big to hold are always native: part 0 replaces, later parts append, the
 * last one sets the expiry. Stateless between calls, so parts of many keys may interleave.
 */
public final class ObjectTranslator {
    private final TranslateConfig config;
    private final TargetProfile target;
    private final LongSupplier clock;
    private final TranslationCounters counters;
    private final SkipListener skips;
    private final NativeValues natives;

    public ObjectTranslator(TranslateConfig config, TargetProfile target, LongSupplier clock,
            TranslationCounters counters, SkipListener skips) {
        this.config = config.validate(target);
        this.target = target;
        this.clock = clock;
        this.counters = counters;
        this.skips = skips;
        this.natives = new NativeValues(config, target, counters, skips);
    }

    public void snapshot(SnapshotObject o, Consumer<RedisCommand> out) {
        int db = targetDb(o.db(), o.key());
        if (db < 0) {
            return;
        }
        attributes(o.dfMask());
        value(db, o.db(), o.key(), o.expireAtMs(), o.value(), false, out);
    }

    /**
     * A source key's {@code DUMP} payload (Dragonfly's type numbers) as the target commands that
     * replace {@code key} in target db {@code db}: a repair copies the source's value this way, with
     * the same translation (and policies) as the snapshot.
     *
     * @throws IllegalArgumentException when the payload cannot be read
     */
    public void replaceFromDump(int db, int sourceDb, byte[] key, long expireAtMs, byte[] payload, Consumer<RedisCommand> out) {
        io.df2redis.dragonfly.rdb.DumpPayload.Parsed p;
        try {
            p = io.df2redis.dragonfly.rdb.DumpPayload.parse(payload, io.df2redis.dragonfly.rdb.TypeTable.DRAGONFLY);
        } catch (io.df2redis.dragonfly.rdb.RdbFormatException e) {
            throw new IllegalArgumentException("DUMP payload of " + TranslationException.printable(key) + ": " + e.getMessage(), e);
        }
        value(db, sourceDb, key, expireAtMs, p.value(), true, out);
    }

    /**
     * A whole value of known bytes (a snapshot object, or the payload of a journaled RESTORE) into
     * target db {@code db}.
     *
     * @param deleteWhenNotWritten whether an existing key must be deleted when the value is not
     *     written (expired, skipped): a journaled RESTORE replaces the key, a snapshot object lands on
     *     a cleared target
     */
    void value(int db, int sourceDb, byte[] key, long expireAtMs, RdbValue value, boolean deleteWhenNotWritten,
            Consumer<RedisCommand> out) {
        long now = clock.getAsLong();
        if (expireAtMs > 0 && expireAtMs <= now) {
            counters.inc(Outcome.EXPIRED_SKIPPED);
            if (deleteWhenNotWritten) {
                out.accept(RedisCommand.of(db, key, Args.b("DEL"), key));
            }
            return;
        }
        RdbType type = value.type();
        DfFamily family = DfFamily.of(type);
        if (family != null) {
            if (!DfPolicies.transcode(config, counters, skips, family, sourceDb, key, "type " + type)) {
                if (deleteWhenNotWritten) {
                    out.accept(RedisCommand.of(db, key, Args.b("DEL"), key));
                }
                return;
            }
            DecodedValue decoded = decode(sourceDb, key, value);
            natives.write(db, sourceDb, key, decoded, true, now, out);
            NativeValues.expire(db, key, expireAtMs, out);
            counters.inc(Outcome.DF_TRANSCODED);
            return;
        }
        if (type.kind() == RdbType.Kind.MODULE) {
            // A Redis module value (RedisJSON from a Redis file): only JSON has a meaning here.
            DecodedValue decoded = decode(sourceDb, key, value);
            DfFamily f = decoded instanceof DecodedValue.JsonValue ? DfFamily.JSON : DfFamily.OTHER;
            if (!DfPolicies.transcode(config, counters, skips, f, sourceDb, key, "module type")) {
                if (deleteWhenNotWritten) {
                    out.accept(RedisCommand.of(db, key, Args.b("DEL"), key));
                }
                return;
            }
            natives.write(db, sourceDb, key, decoded, true, now, out);
            NativeValues.expire(db, key, expireAtMs, out);
            return;
        }
        TranslateConfig.SnapshotWrite mode = config.snapshotWrite();
        boolean restore = mode == TranslateConfig.SnapshotWrite.RESTORE
                || (mode == TranslateConfig.SnapshotWrite.AUTO && (type.kind() != RdbType.Kind.STRING
                        || value.size() >= TranslateConfig.SnapshotWrite.AUTO_SET_MAX_STRING_BYTES));
        if (restore && target.restores(type) && value.size() <= config.restoreMaxBytes()) {
            byte[] payload = DumpPayload.build(value, target.rdbVersion());
            out.accept(RedisCommand.of(db, key, Args.b("RESTORE"), key,
                    Args.b(Math.max(expireAtMs, 0)), payload, Args.b("REPLACE"), Args.b("ABSTTL")));
            counters.inc(Outcome.SNAPSHOT_RESTORED);
            return;
        }
        DecodedValue decoded = decode(sourceDb, key, value);
        counters.inc(Outcome.SNAPSHOT_NATIVE);
        if (decoded instanceof DecodedValue.StringValue s) {
            // SET replaces a key of any type and takes the expiry along: one command.
            out.accept(expireAtMs > 0
                    ? RedisCommand.of(db, key, Args.b("SET"), key, s.bytes(), Args.b("PXAT"), Args.b(expireAtMs))
                    : RedisCommand.of(db, key, Args.b("SET"), key, s.bytes()));
            return;
        }
        natives.write(db, sourceDb, key, decoded, true, now, out);
        NativeValues.expire(db, key, expireAtMs, out);
    }

    public void part(ObjectPart p, Consumer<RedisCommand> out) {
        int db = targetDb(p.db(), p.key());
        if (db < 0) {
            return;
        }
        if (p.index() == 0) {
            attributes(p.dfMask());
        }
        long now = clock.getAsLong();
        if (p.expireAtMs() > 0 && p.expireAtMs() <= now) {
            // Expired while (or before) it streamed in: make sure no partial value stays behind.
            if (p.index() == 0) {
                counters.inc(Outcome.EXPIRED_SKIPPED);
            }
            out.accept(RedisCommand.of(db, p.key(), Args.b("DEL"), p.key()));
            return;
        }
        DfFamily family = DfFamily.of(p.type());
        if (family != null) {
            // Report a skipped key once, at its first part; skip the others silently.
            boolean go = p.index() == 0
                    ? DfPolicies.transcode(config, counters, skips, family, p.db(), p.key(), "type " + p.type())
                    : config.policy(family) == DfTypePolicy.TRANSCODE;
            if (!go) {
                return;
            }
            if (family == DfFamily.JSON && !(p.index() == 0 && p.last())) {
                throw new UnsupportedValueException(family, p.db(), p.key(), "JSON document sent in parts");
            }
        }
        natives.write(db, p.db(), p.key(), p.elements(), p.index() == 0, now, out);
        if (p.last()) {
            NativeValues.expire(db, p.key(), p.expireAtMs(), out);
        }
        counters.inc(Outcome.SNAPSHOT_PARTS);
    }

    private static DecodedValue decode(int sourceDb, byte[] key, RdbValue value) {
        try {
            return ValueDecoder.decode(value);
        } catch (RdbFormatException e) {
            throw new TranslationException("db " + sourceDb + " key " + TranslationException.printable(key) + ": "
                    + value.type() + " value does not decode: " + e.getMessage(), e);
        }
    }

    private void attributes(int dfMask) {
        if ((dfMask & 1) != 0) {
            counters.inc(Outcome.STICKY_DROPPED);
        }
        if ((dfMask & 2) != 0) {
            counters.inc(Outcome.MC_FLAGS_DROPPED);
        }
    }

    /** The mapped target db, or -1 (counted) when the source db is ignored. */
    int targetDb(int sourceDb, byte[] key) {
        int db = config.dbMapping().target(sourceDb, target.cluster(), key);
        if (db == DbMapping.IGNORED) {
            counters.inc(Outcome.DB_IGNORED);
        }
        return db;
    }
}
