package io.df2redis.dragonfly.event;

import io.df2redis.dragonfly.rdb.RdbType;
import java.util.List;

/**
 * What the stream parser makes of one flow's bytes, in stream order. Applying a flow's events in
 * exactly this order reproduces the shard's data (DESIGN §0, record order). Events carry no flow id:
 * a parser instance belongs to one flow.
 */
public sealed interface FlowEvent {

    /** An AUX field of the RDB header (or a {@code lua} script body on flow 0). */
    record AuxField(String name, byte[] value) implements FlowEvent {}

    /**
     * A snapshot entry whose value was small enough to hold: applied with replace semantics.
     *
     * @param expireAtMs absolute Unix ms, or -1 without expiry
     * @param dfMask Dragonfly's DF_MASK flags (bit 0 sticky, bit 1 memcached flags), 0 if absent
     * @param mcFlags memcached flags when {@code dfMask} bit 1 is set, else 0
     */
    record SnapshotObject(int db, byte[] key, long expireAtMs, int dfMask, long mcFlags, RdbValue value)
            implements FlowEvent {}

    /**
     * One part of a snapshot entry too big to hold (or of unknown size past the parser's threshold).
     * Part 0 replaces the key's old value; later parts append; the part with {@code last} set ends
     * the value, and only then does {@code expireAtMs} apply. All parts of one key come in order,
     * possibly interleaved with events of other keys.
     */
    record ObjectPart(
            int db,
            byte[] key,
            RdbType type,
            int index,
            boolean last,
            long expireAtMs,
            int dfMask,
            long mcFlags,
            DecodedValue elements)
            implements FlowEvent {}

    /**
     * A journal command (COMMAND, EXPIRED or legacy MULTI_COMMAND opcode).
     *
     * @param lsn the entry's LSN in the stable journal; -1 inside the full sync (JOURNAL_BLOB),
     *     where entries carry no LSN
     * @param args command name first, exactly as journaled
     */
    record JournalCommand(int db, long txid, long lsn, JournalOpcode opcode, List<byte[]> args)
            implements FlowEvent {
        public boolean inFullSync() {
            return lsn < 0;
        }
    }

    /**
     * FLUSHALL, FLUSHDB or DFLYCLUSTER FLUSHSLOTS: journaled on every flow with the same txid and
     * applied once, when every flow has reached it. Inside the full sync it invalidates the static
     * data still to come, and the session must start again.
     */
    record GlobalCommand(int db, long txid, long lsn, List<byte[]> args) implements FlowEvent {
        public boolean inFullSync() {
            return lsn < 0;
        }
    }

    /** A PING journal record (WAIT, TAKEOVER): consumes an LSN; the consumer ACKs right after it. */
    record Ping(long lsn) implements FlowEvent {}

    /** Legacy EXEC record of masters up to v1.20: consumes an LSN, nothing to apply. */
    record Exec(long txid, long lsn) implements FlowEvent {}

    /** FULLSYNC_END: this flow's static data is complete; journal blobs may still follow. */
    record StaticDataEnd() implements FlowEvent {}

    /**
     * The stable cut on this flow: JOURNAL_OFFSET, EOF (checksum checked where present) and the
     * EOF token were read. Everything after is the stable journal, starting at {@code journalOffset}.
     */
    record StableCut(long journalOffset) implements FlowEvent {}

    /** Journal opcodes that carry a command. */
    enum JournalOpcode {
        COMMAND, EXPIRED, MULTI_COMMAND
    }
}
