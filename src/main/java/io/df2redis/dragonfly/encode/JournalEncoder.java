package io.df2redis.dragonfly.encode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes journal entries (protocol doc §7.1): the stable stream, and the payload of JOURNAL_BLOB
 * records. Every integer is a packed length; opcodes are packed too (all below 64, one byte).
 */
public final class JournalEncoder {
    public static final int OP_SELECT = 6;
    public static final int OP_EXPIRED = 9;
    public static final int OP_COMMAND = 10;
    public static final int OP_PING = 13;
    public static final int OP_LSN = 15;

    private JournalEncoder() {}

    public static RdbWriter select(RdbWriter w, int db) {
        return w.length(OP_SELECT).length(db);
    }

    /** COMMAND: txid, shard_cnt, element count, total argument bytes, then each argument. */
    public static RdbWriter command(RdbWriter w, long txid, int shardCnt, List<byte[]> args) {
        return payload(w.length(OP_COMMAND).length(txid).length(shardCnt), args);
    }

    /** EXPIRED (masters up to v1.37): same layout as COMMAND. */
    public static RdbWriter expired(RdbWriter w, long txid, int shardCnt, List<byte[]> args) {
        return payload(w.length(OP_EXPIRED).length(txid).length(shardCnt), args);
    }

    public static RdbWriter ping(RdbWriter w) {
        return w.length(OP_PING);
    }

    public static RdbWriter lsn(RdbWriter w, long lsn) {
        return w.length(OP_LSN).length(lsn);
    }

    /** {@code SELECT db} followed by a COMMAND with shard_cnt 1, as a current master journals a write. */
    public static byte[] selectAndCommand(int db, long txid, List<byte[]> args) {
        RdbWriter w = new RdbWriter(64);
        select(w, db);
        return command(w, txid, 1, args).toByteArray();
    }

    public static List<byte[]> args(String... args) {
        List<byte[]> out = new ArrayList<>(args.length);
        for (String a : args) {
            out.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static RdbWriter payload(RdbWriter w, List<byte[]> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a journaled command needs a name");
        }
        long total = 0;
        for (byte[] a : args) {
            total += a.length;
        }
        w.length(args.size()).length(total);
        for (byte[] a : args) {
            w.rawString(a);
        }
        return w;
    }
}
