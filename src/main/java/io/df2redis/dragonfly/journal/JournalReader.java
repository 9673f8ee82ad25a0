package io.df2redis.dragonfly.journal;

import io.df2redis.dragonfly.rdb.RdbCursor;
import io.df2redis.dragonfly.rdb.RdbFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads journal records (protocol doc §7.1): packed-uint opcode, then SELECT {@code dbid}; COMMAND /
 * EXPIRED / MULTI_COMMAND {@code txid shard_cnt n_elems total_len (len bytes)×n}; EXEC {@code txid
 * shard_cnt}; PING; LSN {@code lsn}. A record is read whole or not at all: if the window ends
 * inside it, the cursor throws {@code Underflow} and the caller retries with more bytes.
 */
public final class JournalReader {
    private JournalReader() {}

    public static JournalRecord read(RdbCursor c, int maxEntryBytes) throws RdbFormatException {
        long at = c.offset();
        long code = c.packedUInt();
        JournalOp op = JournalOp.of(code);
        if (op == null) {
            throw new RdbFormatException("a journal opcode (got " + Long.toUnsignedString(code) + ")", at);
        }
        switch (op) {
            case SELECT:
            case LSN:
                return new JournalRecord(op, c.packedUInt(), 0, 0, List.of());
            case NOOP:
            case PING:
                return new JournalRecord(op, 0, 0, 0, List.of());
            case EXEC: {
                long txid = c.packedUInt();
                long shards = c.packedUInt();
                return new JournalRecord(op, 0, txid, shards, List.of());
            }
            case COMMAND:
            case EXPIRED:
            case MULTI_COMMAND: {
                long txid = c.packedUInt();
                long shards = c.packedUInt();
                return new JournalRecord(op, 0, txid, shards, payload(c, maxEntryBytes));
            }
            default:
                throw new RdbFormatException("a journal opcode valid in replication (got " + op + ")", at);
        }
    }

    private static List<byte[]> payload(RdbCursor c, int maxEntryBytes) throws RdbFormatException {
        long at = c.offset();
        long n = c.packedUInt();
        long total = c.packedUInt();
        if (total < 0 || total > maxEntryBytes) {
            throw new RdbFormatException("a journal entry of ≤ " + maxEntryBytes + " bytes (got "
                    + Long.toUnsignedString(total) + ")", at);
        }
        if (n < 1 || n > total + 1 || n > maxEntryBytes) {
            throw new RdbFormatException("1.." + (total + 1) + " command elements (got " + Long.toUnsignedString(n) + ")", at);
        }
        // Each element has at least one length byte: insist on that much before allocating.
        c.need(n + total);
        List<byte[]> args = new ArrayList<>((int) n);
        long sum = 0;
        for (long i = 0; i < n; i++) {
            long argAt = c.offset();
            long len = c.packedUInt();
            if (len < 0 || sum + len > total) {
                throw new RdbFormatException("command elements totalling " + total + " bytes", argAt);
            }
            c.need(len);
            byte[] arg = new byte[(int) len];
            System.arraycopy(c.array(), c.pos(), arg, 0, (int) len);
            c.skip(len);
            sum += len;
            args.add(arg);
        }
        if (sum != total) {
            throw new RdbFormatException("command elements totalling " + total + " bytes (got " + sum + ")", at);
        }
        return args;
    }

    /**
     * FLUSHALL, FLUSHDB and DFLYCLUSTER FLUSHSLOTS: journaled on every flow with one txid and applied
     * once ({@code TransactionData::IsGlobalCmd}).
     */
    public static boolean isGlobalCommand(List<byte[]> args) {
        if (args.isEmpty()) {
            return false;
        }
        String name = new String(args.get(0), java.nio.charset.StandardCharsets.US_ASCII);
        if (name.equalsIgnoreCase("FLUSHALL") || name.equalsIgnoreCase("FLUSHDB")) {
            return true;
        }
        return name.equalsIgnoreCase("DFLYCLUSTER") && args.size() > 1
                && new String(args.get(1), java.nio.charset.StandardCharsets.US_ASCII).equalsIgnoreCase("FLUSHSLOTS");
    }
}
