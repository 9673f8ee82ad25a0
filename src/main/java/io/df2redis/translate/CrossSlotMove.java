package io.df2redis.translate;

import io.df2redis.redis.Slots;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A RENAME, RENAMENX or COPY whose two keys are in different Redis slots. Dragonfly journals these
 * verbatim when both keys live on one of its shards (journal-rewrites: {@code RENAME rn:src
 * rn:same:3}); on the target the two keys may belong to two writers that know nothing of each other.
 * The splitter sends the command to both slots; each half runs in its own slot's order.
 *
 * <h2>How it is applied (no writer ever waits for another)</h2>
 *
 * <ol>
 *   <li><b>Source half</b> (slot of {@code src}, in order): once the slot's earlier commands are
 *       applied, read {@code DUMP src} and its expiry; write {@code RESTORE staging <expiry> <dump>
 *       REPLACE [ABSTTL]} and {@code SET marker V} — staging and marker carry a hash tag of the
 *       destination's slot — and wait until Redis has acknowledged them; then {@code DEL src}
 *       (RENAME/RENAMENX only) and carry on. If {@code src} is missing, only {@code SET marker N}.
 *       This half only waits for Redis, never for the other half.
 *   <li><b>Destination half</b> (slot of {@code dst}, in order): the slot is <em>parked</em>:
 *       its later records are translated and held, in order, in checkpointable state; other slots
 *       go on. {@link SlotApplier#poll()} (from a timer, and right away on arrival) reads the
 *       marker; once it is there, one script in the destination's slot does {@code RENAME staging
 *       dst} (or {@code DEL dst} when the staged value expired meanwhile; nothing for {@code N}) and
 *       sets the marker to {@code D} (done, with a long TTL); then the parked records are released
 *       in order.
 * </ol>
 *
 * Why this cannot deadlock: both halves are emitted by the source at once, and no writer ever stops
 * consuming its input (parking is not blocking), so the source half is reached as soon as its
 * writer drains the records queued before it, whatever the destination's writer does. A chain or a
 * swap of renames (a→b, then b→a) only parks and releases in order on both sides.
 *
 * <p><b>Replays (at-least-once).</b> Staging and marker names contain the operation's id (epoch,
 * flow, sequence), so a replayed half rewrites the same keys. A replayed source half after the move
 * happened finds {@code src} missing and writes {@code N}: the destination keeps the value it already
 * got. A destination half restored from a checkpoint whose marker was already consumed finds {@code
 * D} and only releases. A marker never written (the operator restored a savepoint older than the
 * {@code D} TTL) is reported after {@code translate.cross-slot-wait-timeout-ms} with the keys to fix,
 * never waited on silently.
 *
 * <p><b>RENAMENX</b> is applied as RENAME: Dragonfly journals it only when it succeeded, so the
 * destination did not exist at that point of the source's history; under replay, replacing
 * converges where "not if exists" would keep a stale value.
 *
 * @param opId unique per job across epochs, e.g. {@code <epoch>:<flow>:<sequence>}
 * @param sourceDb the journal entry's (source) db
 * @param args {@code RENAME|RENAMENX|COPY src dst [DB n] [REPLACE]}
 */
public record CrossSlotMove(String opId, int sourceDb, List<byte[]> args) {

    /**
     * Whether {@code key} is the staging or marker key of some move. A writer clearing its slots for
     * a global command keeps these: the source half of a move that came after the command may already
     * have staged its value in this writer's slot (the other writer passed the command first), and
     * clearing it would leave the destination half waiting for ever.
     */
    public static Predicate<byte[]> anyMoveKey(String internalKeyPrefix) {
        return key -> StagingKeys.isMoveKey(internalKeyPrefix, key);
    }

    /**
     * Whether {@code key} is the staging or marker key of a move of reset epoch {@code epoch} (op ids
     * {@link SlotApplier#opId} {@code x<epoch>:…}, or {@code <epoch>:…} without LSNs). A writer
     * clearing its slots for the full sync of that epoch keeps these: another writer, which took the
     * reset earlier, may already have staged a move of the new epoch in this writer's slots. Those of
     * older epochs are deleted; their moves belong to the history the full sync replaces.
     */
    public static Predicate<byte[]> moveKeyOfEpoch(String internalKeyPrefix, int epoch) {
        String x = "x" + epoch + ":";
        String plain = epoch + ":";
        return key -> {
            String op = StagingKeys.opIdOf(internalKeyPrefix, key);
            return op != null && (op.startsWith(x) || op.startsWith(plain));
        };
    }

    public enum Kind {
        RENAME, RENAMENX, COPY
    }

    public CrossSlotMove {
        if (args.size() < 3) {
            throw new IllegalArgumentException("a move needs a source and a destination");
        }
        if (opId.indexOf('{') >= 0 || opId.indexOf('}') >= 0) {
            throw new IllegalArgumentException("operation id must not contain braces: " + opId);
        }
        args = List.copyOf(args);
    }

    public Kind kind() {
        return Kind.valueOf(Args.s(args.get(0)).toUpperCase(Locale.ROOT));
    }

    public byte[] source() {
        return args.get(1);
    }

    public byte[] destination() {
        return args.get(2);
    }

    public int sourceSlot() {
        return Slots.slot(source());
    }

    public int destinationSlot() {
        return Slots.slot(destination());
    }

    /** COPY … DB n writes into source db {@code n}. */
    public int destinationSourceDb() {
        for (int i = 3; i + 1 < args.size(); i++) {
            if (Args.is(args.get(i), "DB")) {
                return (int) Args.parseLong(args.get(i + 1), "db");
            }
        }
        return sourceDb;
    }

    /** Whether a command (as journaled) is a move whose keys are in different slots. */
    public static boolean isCrossSlot(List<byte[]> args) {
        if (args.size() < 3) {
            return false;
        }
        byte[] n = args.get(0);
        if (!Args.is(n, "RENAME") && !Args.is(n, "RENAMENX") && !Args.is(n, "COPY")) {
            return false;
        }
        return Slots.slot(args.get(1)) != Slots.slot(args.get(2));
    }

    /** Approximate bytes held while parked. */
    long weight() {
        long n = opId.length() + 32;
        for (byte[] a : args) {
            n += a.length + 8;
        }
        return n;
    }
}
