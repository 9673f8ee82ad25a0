package io.df2redis.translate;

import io.df2redis.dragonfly.rdb.DumpPayload;
import io.df2redis.dragonfly.rdb.RdbFormatException;
import io.df2redis.dragonfly.rdb.TypeTable;
import io.df2redis.redis.RedisCommand;
import io.df2redis.redis.Slots;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One single-slot journal command (as the splitter cut it) → target commands. What Redis accepts
 * and computes the same is passed through; the rest is rewritten:
 *
 * <table>
 *   <caption>rewrites</caption>
 *   <tr><td>{@code SET … [STICK] [_MCFLAGS n]}</td><td>the Dragonfly tokens stripped (counted)</td></tr>
 *   <tr><td>{@code STICK k…}, {@code SCRIPT …}, {@code DFLYCLUSTER …}</td><td>dropped, counted</td></tr>
 *   <tr><td>{@code INCRBYFLOAT}, {@code HINCRBYFLOAT}</td><td>a script computing in double and
 *       printing the shortest round-trip text, as Dragonfly does ({@link FloatScripts})</td></tr>
 *   <tr><td>{@code RESTORE k ttl <Dragonfly DUMP> … [STICK]}</td><td>RESTORE with a payload the target
 *       accepts, else native commands; DEL when already expired</td></tr>
 *   <tr><td>{@code SADDEX k [KEEPTTL] ttl m…}</td><td>{@code SADD k m…}, TTLs dropped and reported
 *       (set-member-ttl: transcode)</td></tr>
 *   <tr><td>{@code HSETEX} (both syntaxes)</td><td>a script: HSET with the NX/FNX/FXX conditions, plus
 *       HPEXPIREAT on targets with field TTLs (≥ 7.4); elsewhere the TTLs are dropped and reported</td></tr>
 *   <tr><td>{@code FIELDEXPIRE}, {@code HEXPIRE}…</td><td>HPEXPIREAT / verbatim on ≥ 7.4, else dropped and reported</td></tr>
 *   <tr><td>{@code RENAME}/{@code RENAMENX} in one slot</td><td>a script that tolerates a missing source (replays)</td></tr>
 *   <tr><td>{@code COPY … [DB n]}, {@code MOVE k n}</td><td>the db mapped; MOVE between merged dbs is a no-op</td></tr>
 *   <tr><td>{@code JSON.*}, {@code BF.*}, {@code CF.*}, {@code CMS.*}, {@code TOPK.*}…</td><td>the family's policy</td></tr>
 * </table>
 */
public final class JournalTranslator {
    private final TranslateConfig config;
    private final TargetProfile target;
    private final ObjectTranslator objects;
    private final LongSupplier clock;
    private final TranslationCounters counters;
    private final SkipListener skips;

    public JournalTranslator(TranslateConfig config, TargetProfile target, ObjectTranslator objects, LongSupplier clock,
            TranslationCounters counters, SkipListener skips) {
        this.config = config;
        this.target = target;
        this.objects = objects;
        this.clock = clock;
        this.counters = counters;
        this.skips = skips;
    }

    /**
     * Translates one single-slot command of source db {@code sourceDb}. Cross-slot moves do not
     * come here ({@link CrossSlotMove}).
     */
    public void translate(int sourceDb, List<byte[]> args, Consumer<RedisCommand> out) {
        String name = new String(args.get(0), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
        CommandTable.Spec spec = CommandTable.spec(args.get(0));
        byte[] key = args.size() > 1 ? args.get(1) : null;
        Outcome dropped = CommandTable.dropped(name);
        if (dropped != null) {
            counters.add(dropped, dropped == Outcome.STICK_DROPPED ? args.size() - 1 : 1);
            return;
        }
        if (name.equals("FLUSHALL") || name.equals("FLUSHDB")) {
            throw new UntranslatableCommandException(sourceDb, null, name,
                    "a global command must go through GlobalTranslator, once for all flows");
        }
        if (spec == null) {
            if (config.unknownCommands() == DfTypePolicy.SKIP) {
                counters.inc(Outcome.COMMAND_SKIPPED);
                skips.onSkip(new SkipReport(sourceDb, key, name, null,
                        "unknown command, skipped by translate.unknown-commands"));
                return;
            }
            throw new UntranslatableCommandException(sourceDb, key, name,
                    "unknown to the translation (translate.unknown-commands=fail)");
        }
        if (spec.shape() == CommandTable.Shape.NONE) {
            if (spec.family() != null) {
                DfPolicies.keylessCommand(config, counters, skips, spec.family(), sourceDb, name);
            } else {
                counters.inc(Outcome.SERVER_COMMAND_SKIPPED);
            }
            return;
        }
        if (spec.shape() == CommandTable.Shape.SINGLE && spec.first() == 2) {
            key = args.size() > 2 ? args.get(2) : null;
        }
        if (key == null) {
            throw new UntranslatableCommandException(sourceDb, null, name, "no key");
        }
        int db = objects.targetDb(sourceDb, key);
        if (db < 0) {
            return;
        }
        try {
            translate(name, spec, sourceDb, db, key, args, out);
        } catch (IllegalArgumentException e) {
            throw new UntranslatableCommandException(sourceDb, key, name, e.getMessage());
        }
    }

    private void translate(String name, CommandTable.Spec spec, int sourceDb, int db, byte[] key, List<byte[]> args,
            Consumer<RedisCommand> out) {
        switch (name) {
            case "SET":
                set(db, key, args, out);
                return;
            case "INCRBYFLOAT":
                need(args, 3);
                eval(db, key, FloatScripts.INCRBYFLOAT, List.of(key), List.of(args.get(2)), out);
                return;
            case "HINCRBYFLOAT":
                need(args, 4);
                eval(db, key, FloatScripts.HINCRBYFLOAT, List.of(key), List.of(args.get(2), args.get(3)), out);
                return;
            case "RESTORE":
                restore(sourceDb, db, key, args, out);
                return;
            case "MOVE":
                move(sourceDb, db, key, args, out);
                return;
            case "RENAME":
            case "RENAMENX":
                need(args, 3);
                eval(db, key, Scripts.RENAME_IF_EXISTS, List.of(key, args.get(2)), List.of(), out);
                return;
            case "COPY":
                copy(sourceDb, db, key, args, out);
                return;
            case "SADDEX":
                saddex(sourceDb, db, key, args, out);
                return;
            case "HSETEX":
                hsetex(sourceDb, db, key, args, out);
                return;
            case "FIELDEXPIRE":
                fieldExpire(sourceDb, db, key, args, out);
                return;
            default:
                break;
        }
        if (spec.family() != null) {
            familyCommand(spec.family(), name, sourceDb, db, key, args, out);
            return;
        }
        verbatim(db, key, args, out);
    }

    private void verbatim(int db, byte[] key, List<byte[]> args, Consumer<RedisCommand> out) {
        counters.inc(Outcome.JOURNAL_VERBATIM);
        out.accept(new RedisCommand(db, Slots.slot(key), key, Args.array(args)));
    }

    private void rewritten(int db, byte[] key, List<byte[]> args, Consumer<RedisCommand> out) {
        counters.inc(Outcome.JOURNAL_REWRITTEN);
        out.accept(new RedisCommand(db, Slots.slot(key), key, Args.array(args)));
    }

    /** {@code SET k v [PXAT ms | KEEPTTL | …] [STICK] [_MCFLAGS n]}: Dragonfly tokens stripped. */
    private void set(int db, byte[] key, List<byte[]> args, Consumer<RedisCommand> out) {
        need(args, 3);
        List<byte[]> a = null;
        for (int i = 3; i < args.size(); i++) {
            byte[] t = args.get(i);
            if (Args.is(t, "EX") || Args.is(t, "PX") || Args.is(t, "EXAT") || Args.is(t, "PXAT")) {
                if (a != null) {
                    a.add(t);
                    if (i + 1 < args.size()) {
                        a.add(args.get(i + 1));
                    }
                }
                i++;
                continue;
            }
            boolean stick = Args.is(t, "STICK");
            boolean mc = Args.is(t, "_MCFLAGS");
            if (stick || mc) {
                if (a == null) {
                    a = new ArrayList<>(args.subList(0, i));
                }
                counters.inc(stick ? Outcome.STICKY_DROPPED : Outcome.MC_FLAGS_DROPPED);
                if (mc) {
                    i++;
                }
                continue;
            }
            if (a != null) {
                a.add(t);
            }
        }
        if (a == null) {
            verbatim(db, key, args, out);
        } else {
            rewritten(db, key, a, out);
        }
    }

    /**
     * {@code RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f] [STICK]} with a
     * payload Dragonfly made (a cross-shard RENAME's or a COPY's destination half).
     */
    private void restore(int sourceDb, int db, byte[] key, List<byte[]> args, Consumer<RedisCommand> out) {
        need(args, 4);
        long ttl = Args.parseLong(args.get(2), "ttl");
        boolean abs = false;
        for (int i = 4; i < args.size(); i++) {
            byte[] t = args.get(i);
            if (Args.is(t, "ABSTTL")) {
                abs = true;
            } else if (Args.is(t, "STICK")) {
                counters.inc(Outcome.STICKY_DROPPED);
            } else if (Args.is(t, "IDLETIME") || Args.is(t, "FREQ")) {
                i++;
            }
        }
        long now = clock.getAsLong();
        long expireAt = ttl <= 0 ? -1 : abs ? ttl : now + ttl;
        DumpPayload.Parsed p;
        try {
            p = DumpPayload.parse(args.get(3), TypeTable.DRAGONFLY);
        } catch (RdbFormatException e) {
            throw new IllegalArgumentException("DUMP payload: " + e.getMessage(), e);
        }
        counters.inc(Outcome.JOURNAL_REWRITTEN);
        // Dragonfly's RESTORE replaces the key: whatever the value becomes (nothing when expired or
        // skipped), the old one must go. RESTORE … REPLACE and native writes replace by themselves.
        objects.value(db, sourceDb, key, expireAt, p.value(), true, out);
    }

    private void move(int sourceDb, int db, byte[] key, List<byte[]> args, Consumer<RedisCommand> out) {
        need(args, 3);
        int toSource = (int) Args.parseLong(args.get(2), "db");
        int to = config.dbMapping().target(toSource, target.cluster(), key);
        if (to == DbMapping.IGNORED) {
            // The key leaves the replicated dbs.
            rewritten(db, key, List.of(Args.b("DEL"), key), out);
        } else if (to == db) {
            counters.inc(Outcome.MOVE_MERGED_NOOP);
        } else {
            rewritten(db, key, List.of(args.get(0), key, Args.b(to)), out);
        }
    }

    /** {@code COPY src dst [DB n] [REPLACE]} with both keys in one slot. */
    private void copy(int sourceDb, int db, byte[] key, List<byte[]> args, Consumer<RedisCommand> out) {
        need(args, 3);
        List<byte[]> a = new ArrayList<>(List.of(args.get(0), key, args.get(2)));
        int toDb = db;
        for (int i = 3; i < args.size(); i++) {
            if (Args.is(args.get(i), "DB") && i + 1 < args.size()) {
                toDb = config.dbMapping().target((int) Args.parseLong(args.get(++i), "db"), target.cluster(), key);
            }
        }
        if (toDb == DbMapping.IGNORED) {
            counters.inc(Outcome.DB_IGNORED);
            return;
        }
        if (toDb != db) {
            a.add(Args.b("DB"));
            a.add(Args.b(toDb));
        }
        // Dragonfly journals COPY only when it copied, i.e. the destination was free or REPLACE was
        // given; REPLACE makes a replay converge instead of leaving the destination as it was.
        a.add(Args.b("REPLACE"));
        rewritten(db, key, a, out);
    }

    private void saddex(int sourceDb, int db, byte[] key, List<byte[]> args, Consumer<RedisCommand> out) {
        if (!DfPolicies.transcode(config, counters, skips, DfFamily.SET_MEMBER_TTL, sourceDb, key, "SADDEX")) {
            return;
        }
        int i = 2;
        if (i < args.size() && Args.is(args.get(i), "KEEPTTL")) {
            i++;
        }
        i++; // ttl_sec
        if (i >= args.size()) {
            throw new IllegalArgumentException("no member");
        }
        List<byte[]> a = new ArrayList<>(args.size() - i + 2);
        a.add(Args.b("SADD"));
        a.add(key);
        a.addAll(args.subList(i, args.size()));
        memberTtlDropped(sourceDb, key, "SADDEX", DfFamily.SET_MEMBER_TTL);
        rewritten(db, key, a, out);
    }

    /**
     * Dragonfly syntax {@code HSETEX key [NX|FNX|FXX] [KEEPTTL] ttl_sec field value…} and Redis 8
     * syntax {@code HSETEX key [FNX|FXX] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL] FIELDS n field value…}.
     */
    private void hsetex(int sourceDb, int db, byte[] key, List<byte[]> args, Consumer<RedisCommand> out) {
        if (!DfPolicies.transcode(config, counters, skips, DfFamily.HASH_FIELD_TTL, sourceDb, key, "HSETEX")) {
            return;
        }
        long now = clock.getAsLong();
        String mode = "";
        boolean keepTtl = false;
        long expireAt = 0;
        int i = 2;
        for (; i < args.size(); i++) {
            byte[] t = args.get(i);
            if (Args.is(t, "NX") || Args.is(t, "FNX") || Args.is(t, "FXX")) {
                mode = Args.s(t).toUpperCase(Locale.ROOT);
            } else if (Args.is(t, "KEEPTTL")) {
                keepTtl = true;
            } else if (Args.is(t, "EX") || Args.is(t, "PX") || Args.is(t, "EXAT") || Args.is(t, "PXAT")) {
                long v = Args.parseLong(arg(args, ++i), "expiry");
                expireAt = Args.is(t, "EX") ? now + v * 1000 : Args.is(t, "PX") ? now + v
                        : Args.is(t, "EXAT") ? v * 1000 : v;
            } else {
                break;
            }
        }
        int pairsFrom;
        if (i < args.size() && Args.is(args.get(i), "FIELDS")) {
            long n = Args.parseLong(arg(args, i + 1), "numfields");
            pairsFrom = i + 2;
            if (args.size() - pairsFrom != 2 * n) {
                throw new IllegalArgumentException("FIELDS " + n + " but " + (args.size() - pairsFrom) + " arguments follow");
            }
        } else {
            expireAt = now + Args.parseLong(arg(args, i), "ttl_sec") * 1000;
            pairsFrom = i + 1;
        }
        if (pairsFrom >= args.size() || (args.size() - pairsFrom) % 2 != 0) {
            throw new IllegalArgumentException("field/value pairs expected");
        }
        boolean ttlOnTarget = target.hashFieldTtl() && expireAt > 0;
        if (expireAt > 0 && !ttlOnTarget) {
            memberTtlDropped(sourceDb, key, "HSETEX", DfFamily.HASH_FIELD_TTL);
        }
        List<byte[]> argv = new ArrayList<>(args.size());
        argv.add(Args.b(mode));
        argv.add(Args.b(keepTtl ? "1" : "0"));
        argv.add(Args.b(ttlOnTarget ? expireAt : 0));
        argv.addAll(args.subList(pairsFrom, args.size()));
        counters.inc(Outcome.DF_TRANSCODED);
        eval(db, key, Scripts.HSETEX, List.of(key), argv, out);
    }

    /** {@code FIELDEXPIRE key ttl_sec field…}: on a hash or on a set with member TTLs. */
    private void fieldExpire(int sourceDb, int db, byte[] key, List<byte[]> args, Consumer<RedisCommand> out) {
        need(args, 4);
        DfFamily family = config.policy(DfFamily.HASH_FIELD_TTL) == DfTypePolicy.TRANSCODE
                        || config.policy(DfFamily.SET_MEMBER_TTL) != DfTypePolicy.TRANSCODE
                ? DfFamily.HASH_FIELD_TTL : DfFamily.SET_MEMBER_TTL;
        if (!DfPolicies.transcode(config, counters, skips, family, sourceDb, key, "FIELDEXPIRE")) {
            return;
        }
        long ttl = Args.parseLong(args.get(2), "ttl_sec");
        if (!target.hashFieldTtl()) {
            memberTtlDropped(sourceDb, key, "FIELDEXPIRE", family);
            return;
        }
        List<byte[]> argv = new ArrayList<>(args.size());
        argv.add(Args.b(clock.getAsLong() + ttl * 1000));
        argv.addAll(args.subList(3, args.size()));
        counters.inc(Outcome.DF_TRANSCODED);
        eval(db, key, Scripts.FIELDEXPIRE, List.of(key), argv, out);
    }

    /** A command of a Dragonfly family (JSON.*, BF.*, HEXPIRE…): passed on when transcodable. */
    private void familyCommand(DfFamily family, String name, int sourceDb, int db, byte[] key, List<byte[]> args,
            Consumer<RedisCommand> out) {
        if (!DfPolicies.transcode(config, counters, skips, family, sourceDb, key, "journal command " + name)) {
            return;
        }
        if (family == DfFamily.HASH_FIELD_TTL && !target.hashFieldTtl()) {
            // HEXPIRE, HPERSIST …: only TTLs, which the target cannot hold.
            memberTtlDropped(sourceDb, key, name, family);
            return;
        }
        counters.inc(Outcome.DF_TRANSCODED);
        out.accept(new RedisCommand(db, Slots.slot(key), key, Args.array(args)));
    }

    private void memberTtlDropped(int sourceDb, byte[] key, String what, DfFamily family) {
        counters.inc(Outcome.MEMBER_TTL_DROPPED);
        skips.onSkip(new SkipReport(sourceDb, key, what, family,
                "field/member TTLs dropped: the target cannot hold them"));
    }

    private void eval(int db, byte[] key, String script, List<byte[]> keys, List<byte[]> argv,
            Consumer<RedisCommand> out) {
        List<byte[]> a = new ArrayList<>(keys.size() + argv.size() + 3);
        a.add(Args.b("EVAL"));
        a.add(Args.b(script));
        a.add(Args.b(keys.size()));
        a.addAll(keys);
        a.addAll(argv);
        counters.inc(Outcome.JOURNAL_REWRITTEN);
        out.accept(new RedisCommand(db, Slots.slot(key), key, Args.array(a)));
    }

    private static byte[] arg(List<byte[]> args, int i) {
        if (i >= args.size()) {
            throw new IllegalArgumentException("missing argument " + i);
        }
        return args.get(i);
    }

    private static void need(List<byte[]> args, int n) {
        if (args.size() < n) {
            throw new IllegalArgumentException("needs at least " + (n - 1) + " arguments, got " + (args.size() - 1));
        }
    }
}
