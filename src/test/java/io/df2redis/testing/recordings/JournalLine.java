package io.df2redis.testing.recordings;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a reference journal decoding: a {@code journal-<i>.txt} line, or a command inside a
 * JOURNAL_BLOB of {@code flow-<i>.decoded.txt} (then {@code lsn} is -1). SELECT records are folded
 * into {@code db}.
 *
 * @param offset byte offset of the record ({@code @N}: in the flow file; {@code +N}: inside the
 *     decompressed blob)
 * @param lsn the record's LSN; for {@link Kind#LSN} lines the LSN value carried by the record
 * @param args command name first; each token says whether the file cut it (long binary args)
 */
public record JournalLine(
        long offset, Kind kind, long lsn, int db, long txid, int shardCnt, List<EscapedText.Token> args) {

    public enum Kind {
        COMMAND, EXPIRED, MULTI_COMMAND, EXEC, PING, LSN
    }

    /** The command name, upper case as journaled; empty for records without a command. */
    public String command() {
        return args.isEmpty() ? "" : args.get(0).bytes().utf8();
    }

    /** Parses a journal-<i>.txt line, e.g. {@code @745 lsn=1 COMMAND db=0 txid=0 shard_cnt=1: SET k v}. */
    public static JournalLine parse(String line) {
        String s = line.strip();
        int sp = s.indexOf(' ');
        long offset = Long.parseLong(s.substring(1, sp));
        String rest = s.substring(sp + 1);
        if (rest.startsWith("LSN ")) {
            return new JournalLine(offset, Kind.LSN, Long.parseLong(rest.substring(4).strip()), -1, 0, 0, List.of());
        }
        long lsn = -1;
        if (rest.startsWith("lsn=")) {
            int e = rest.indexOf(' ');
            lsn = Long.parseLong(rest.substring(4, e));
            rest = rest.substring(e + 1);
        }
        return parseRecord(offset, lsn, rest, line);
    }

    /**
     * Parses the record part shared by both files: {@code COMMAND db=0 txid=0 shard_cnt=1: ARGS},
     * {@code PING}, {@code EXEC txid=… shard_cnt=…}.
     */
    static JournalLine parseRecord(long offset, long lsn, String rest, String line) {
        int colon = rest.indexOf(": ");
        String head = colon < 0 ? rest : rest.substring(0, colon);
        List<String> headTokens = EscapedText.split(head, false);
        Kind kind = Kind.valueOf(headTokens.get(0));
        int db = -1;
        long txid = 0;
        int shardCnt = 0;
        for (String t : headTokens.subList(1, headTokens.size())) {
            int eq = t.indexOf('=');
            String v = t.substring(eq + 1);
            switch (t.substring(0, eq)) {
                case "db" -> db = Integer.parseInt(v);
                case "txid" -> txid = Long.parseUnsignedLong(v);
                case "shard_cnt" -> shardCnt = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown field in: " + line);
            }
        }
        List<EscapedText.Token> args = new ArrayList<>();
        if (colon >= 0) {
            for (String t : EscapedText.split(rest.substring(colon + 2), false)) {
                args.add(EscapedText.token(t));
            }
        }
        return new JournalLine(offset, kind, lsn, db, txid, shardCnt, List.copyOf(args));
    }

    /** Whether {@code actual} (complete arguments) matches, honouring cut tokens (prefix + length). */
    public boolean argsMatch(List<byte[]> actual) {
        if (actual.size() != args.size()) {
            return false;
        }
        for (int i = 0; i < args.size(); i++) {
            EscapedText.Token t = args.get(i);
            Bytes a = Bytes.of(actual.get(i));
            if (t.truncated() ? !(a.length() == t.fullLength() && a.startsWith(t.bytes())) : !a.equals(t.bytes())) {
                return false;
            }
        }
        return true;
    }
}
