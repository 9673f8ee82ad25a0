package io.df2redis.dragonfly.stream;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.journal.JournalOp;
import io.df2redis.dragonfly.journal.JournalReader;
import io.df2redis.dragonfly.journal.JournalRecord;
import io.df2redis.dragonfly.rdb.Crc64;
import io.df2redis.dragonfly.rdb.RdbBytes;
import io.df2redis.dragonfly.rdb.RdbCursor;
import io.df2redis.dragonfly.rdb.RdbFormatException;
import io.df2redis.dragonfly.rdb.TypeTable;
import io.df2redis.dragonfly.rdb.Underflow;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one flow's bytes into {@link FlowEvent}s, exactly in stream order: bytes in, events out,
 * synchronously, no threads, no sockets. Bytes may come in pieces of any size (even one byte); a
 * top-level item may span any number of pieces and a value may be larger than memory (it then
 * streams as {@link FlowEvent.ObjectPart}s).
 *
 * <p>Full sync (protocol doc §5): {@code REDIS0009}, AUX fields, then any interleaving of key
 * entries, SELECTDB, journal blobs (their own SELECT state), compressed blobs (parsed as if inline)
 * and tagged chunks (reassembled per stream id), FULLSYNC_END, JOURNAL_OFFSET, EOF + zero checksum,
 * the 40-byte token, then the journal. Partial sync: only the journal. {@link #nextLsn()} counts as
 * §7.3 says.
 *
 * <p>Errors are {@link StreamFormatException}s naming the flow, the byte offset, the key when known
 * and what was expected. After an error the parser is unusable.
 */
public final class FlowStreamParser {
    private static final Logger LOG = LoggerFactory.getLogger(FlowStreamParser.class);

    private static final int OP_FUNCTION2 = 0xf5;
    private static final int OP_FUNCTION = 0xf6;
    private static final int OP_MODULE_AUX = 0xf7;
    private static final int OP_IDLE = 0xf8;
    private static final int OP_FREQ = 0xf9;
    private static final int OP_AUX = 0xfa;
    private static final int OP_RESIZEDB = 0xfb;
    private static final int OP_EXPIRETIME_MS = 0xfc;
    private static final int OP_EXPIRETIME = 0xfd;
    private static final int OP_SELECTDB = 0xfe;
    private static final int OP_EOF = 0xff;
    private static final int OP_SLOT_INFO = 0xf4;
    private static final int OP_FULLSYNC_END = 0xc8;
    private static final int OP_ZSTD_BLOB = 0xc9;
    private static final int OP_LZ4_BLOB = 0xca;
    private static final int OP_JOURNAL_BLOB = 0xd2;
    private static final int OP_JOURNAL_OFFSET = 0xd3;
    private static final int OP_DF_MASK = 0xdc;
    private static final int OP_VECTOR_INDEX = 0xde;
    private static final int OP_SHARD_DOC_INDEX = 0xdf;
    private static final int OP_TAGGED_CHUNK = 0xe0;

    static final int TOKEN_LENGTH = 40;

    /** What the bytes are. */
    enum Source { FLOW_FULL, FLOW_PARTIAL, FILE }

    private enum State { MAGIC, ITEMS, ENTRY, CHUNK_PAYLOAD, TOKEN, JOURNAL, END }

    private final int flowId;
    private final byte[] eofToken;
    private final ParserConfig cfg;
    private final Consumer<FlowEvent> out;
    private final Source source;
    private TypeTable table;
    private int rdbVersion = 9;

    private State state;
    private Phase phase;
    private long fed;
    /** Flow offset of the first byte not yet processed (held bytes are not processed). */
    private long processed;
    private final ByteAcc hold = new ByteAcc(64);
    private long holdNeed;
    private final RdbCursor cur;
    private final BlobDecompressor decompressor = new BlobDecompressor();

    private final EntryReader inline;
    private final Map<Integer, EntryReader> tagged = new HashMap<>();
    private EntryReader chunkReader;
    private int chunkId;
    private long chunkLeft;

    private int selectDb;
    private int blobJournalDb;
    private int stableDb;
    private long journalOffset = -1;
    private long nextLsn = -1;
    private long stableJournalOffset = -1;
    private boolean lsnMismatchLogged;

    private boolean inBlob;

    // RDB file checksum: CRC-64 of every byte up to and including the EOF opcode
    private long crc;
    private boolean crcDone;
    private int crcPos;

    private long entries;
    private boolean failed;

    private FlowStreamParser(int flowId, String eofToken, ParserConfig cfg, Consumer<FlowEvent> out, Source source,
            TypeTable table) {
        this.flowId = flowId;
        this.eofToken = eofToken == null ? null : eofToken.getBytes(StandardCharsets.US_ASCII);
        this.cfg = cfg;
        this.out = out;
        this.source = source;
        this.table = table;
        this.cur = new RdbCursor(cfg.maxStringBytes());
        this.inline = new EntryReader(cfg, out);
        if (source == Source.FLOW_PARTIAL) {
            state = State.JOURNAL;
            phase = Phase.STABLE;
        } else {
            state = State.MAGIC;
            phase = Phase.HEADER;
        }
    }

    /**
     * A full-sync flow: bytes start at {@code REDIS0009}.
     *
     * @param eofToken the 40-character token of the FLOW reply, checked after EOF
     */
    public static FlowStreamParser fullSync(int flowId, String eofToken, ParserConfig config, Consumer<FlowEvent> out) {
        if (eofToken == null || eofToken.length() != TOKEN_LENGTH) {
            throw new IllegalArgumentException("EOF token must have 40 characters: " + eofToken);
        }
        return new FlowStreamParser(flowId, eofToken, config, out, Source.FLOW_FULL, TypeTable.DRAGONFLY);
    }

    /** A partial-sync flow: the bytes are pure journal starting at {@code startLsn}. */
    public static FlowStreamParser partial(int flowId, long startLsn, ParserConfig config, Consumer<FlowEvent> out) {
        FlowStreamParser p = new FlowStreamParser(flowId, null, config, out, Source.FLOW_PARTIAL, TypeTable.DRAGONFLY);
        p.nextLsn = startLsn;
        p.stableJournalOffset = 0;
        return p;
    }

    /** An RDB file (see {@link RdbFileParser}); {@code table} null = choose from the header. */
    static FlowStreamParser file(ParserConfig config, TypeTable table, Consumer<FlowEvent> out) {
        return new FlowStreamParser(-1, null, config, out, Source.FILE, table);
    }

    /** The next LSN this flow needs (protocol doc §7.3); -1 before the stable cut of a full sync. */
    public long nextLsn() {
        return nextLsn;
    }

    public Phase phase() {
        return phase;
    }

    /** Bytes fed so far (all of them taken over: a partial item waits inside the parser). */
    public long offset() {
        return fed;
    }

    /** The JOURNAL_OFFSET value once read, else -1. */
    public long journalOffset() {
        return journalOffset;
    }

    /** Flow offset where the stable journal starts (after the token; 0 for partial sync), else -1. */
    public long stableJournalOffset() {
        return stableJournalOffset;
    }

    /** Key entries completed so far (held whole, streamed in parts, or skipped as empty). */
    public long entriesRead() {
        return entries;
    }

    /** Empty collections skipped, as Redis's and Dragonfly's loaders do. */
    public long emptyValuesSkipped() {
        long n = inline.skippedEmpty();
        for (EntryReader r : tagged.values()) {
            n += r.skippedEmpty();
        }
        return n + taggedSkippedEmpty;
    }

    private long taggedSkippedEmpty;

    int rdbVersion() {
        return rdbVersion;
    }

    TypeTable typeTable() {
        return table;
    }

    /** Parses {@code b[off, off+len)}; emits every event it completes to the consumer before returning. */
    public void feed(byte[] b, int off, int len) throws StreamFormatException {
        if (failed) {
            throw new IllegalStateException("flow " + flowId + ": parser failed earlier");
        }
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        fed += len;
        try {
            int p = off;
            int end = off + len;
            while (p < end) {
                if (!hold.isEmpty()) {
                    long want = Math.max(1, holdNeed - hold.len);
                    int n = (int) Math.min(want, end - p);
                    hold.append(b, p, n);
                    p += n;
                    if (hold.len < holdNeed) {
                        continue;
                    }
                    int q = processOuter(hold.a, 0, hold.len, processed);
                    hold.discard(q);
                    if (!hold.isEmpty()) {
                        holdNeed -= q;
                    } else {
                        hold.shrink(1 << 16);
                    }
                } else {
                    int q = processOuter(b, p, end, processed - p);
                    if (q < end) {
                        hold.append(b, q, end - q);
                        holdNeed -= q;
                    }
                    p = end;
                }
            }
        } catch (StreamFormatException e) {
            failed = true;
            throw e;
        }
    }

    public void feed(byte[] b) throws StreamFormatException {
        feed(b, 0, b.length);
    }

    /**
     * The input ended (connection closed, file read). Fails if it stopped inside an item, before a
     * full sync's token, or with tagged entries still open.
     */
    public void endOfInput() throws StreamFormatException {
        if (failed) {
            throw new IllegalStateException("flow " + flowId + ": parser failed earlier");
        }
        String missing = null;
        if (!hold.isEmpty() || state == State.ENTRY || state == State.CHUNK_PAYLOAD) {
            missing = "the rest of the " + describeState() + " (input ended inside it)";
        } else if (source == Source.FILE && state != State.END) {
            missing = "the RDB EOF opcode (input ended first)";
        } else if (source == Source.FLOW_FULL && state != State.JOURNAL) {
            missing = "the rest of the full sync up to the EOF token (input ended in phase " + phase + ")";
        }
        if (missing != null) {
            failed = true;
            throw new StreamFormatException(flowId, processed, currentKey(), "truncated stream: expected " + missing);
        }
    }

    private String describeState() {
        return switch (state) {
            case ENTRY -> "key entry";
            case CHUNK_PAYLOAD -> "tagged chunk";
            case JOURNAL -> "journal entry";
            case TOKEN -> "EOF token";
            case MAGIC -> "RDB header";
            default -> "item";
        };
    }

    private byte[] currentKey() {
        if (state == State.ENTRY) {
            return inline.key();
        }
        if (state == State.CHUNK_PAYLOAD && chunkReader != null) {
            return chunkReader.key();
        }
        return null;
    }

    /** Processes a window of the flow itself; returns the index reached (the rest is a partial item). */
    private int processOuter(byte[] a, int from, int to, long base) throws StreamFormatException {
        crcPos = from;
        int q;
        try {
            q = process(a, from, to, base);
        } catch (RdbFormatException e) {
            throw translate(e);
        }
        if (source == Source.FILE && !crcDone) {
            crc = Crc64.update(crc, a, crcPos, q - crcPos);
        }
        processed = base + q;
        if (q < to) {
            holdNeed = cur.needEnd();
        }
        return q;
    }

    /** An error inside a compressed blob: its offset is inside the decompressed data. */
    private static final class InBlob extends RdbFormatException {
        final long blobAt;

        InBlob(RdbFormatException e, long blobAt) {
            super(e.expected(), e.offset(), e);
            this.blobAt = blobAt;
        }
    }

    private StreamFormatException translate(RdbFormatException e) {
        failed = true;
        byte[] key = currentKey();
        if (e instanceof InBlob b) {
            return new StreamFormatException(flowId, b.blobAt, Math.max(0, e.offset()), key, e.expected(), e.getCause());
        }
        long at = e.offset() >= 0 ? e.offset() : processed;
        return new StreamFormatException(flowId, at, -1, key, e.expected(), e);
    }

    /**
     * The item loop over {@code a[from, to)}; {@code base} is the location of {@code a[0]} (flow
     * offset, or offset in the decompressed blob). Returns the index of the first byte of an
     * incomplete item, or {@code to}.
     */
    private int process(byte[] a, int from, int to, long base) throws RdbFormatException {
        int p = from;
        while (p < to) {
            switch (state) {
                case ENTRY -> {
                    p += inline.feed(a, p, to, base);
                    if (inline.done()) {
                        entries++;
                        state = State.ITEMS;
                    }
                }
                case CHUNK_PAYLOAD -> {
                    int lim = (int) Math.min(to, p + chunkLeft);
                    int n = chunkReader.feed(a, p, lim, base);
                    chunkLeft -= n;
                    p += n;
                    if (chunkReader.done()) {
                        if (chunkLeft != 0) {
                            throw new RdbFormatException("tagged entry " + chunkId + " to end at its chunk's end ("
                                    + chunkLeft + " payload bytes left)", base + p);
                        }
                        entries++;
                        taggedSkippedEmpty += chunkReader.skippedEmpty();
                        tagged.remove(chunkId);
                        chunkReader = null;
                        state = State.ITEMS;
                    } else if (chunkLeft == 0) {
                        chunkReader = null;
                        state = State.ITEMS;
                    }
                }
                case END -> throw new RdbFormatException("nothing after the RDB EOF and checksum", base + p);
                default -> {
                    cur.reset(a, p, to, base);
                    try {
                        item(a);
                    } catch (Underflow u) {
                        return p;
                    }
                    p = cur.pos();
                }
            }
        }
        return p;
    }

    /** Reads one atomic item (or starts an entry / chunk payload without consuming it). */
    private void item(byte[] a) throws RdbFormatException {
        switch (state) {
            case MAGIC -> magic();
            case TOKEN -> token();
            case JOURNAL -> journalRecord();
            default -> bodyItem(a);
        }
    }

    private void magic() throws RdbFormatException {
        long at = cur.offset();
        cur.need(9);
        byte[] m = Arrays.copyOfRange(cur.array(), cur.pos(), cur.pos() + 9);
        String s = new String(m, StandardCharsets.US_ASCII);
        if (!s.startsWith("REDIS") || !s.substring(5).chars().allMatch(Character::isDigit)) {
            throw new RdbFormatException("the RDB header \"REDIS\" + 4 digits (got \"" + RdbBytes.printable(m) + "\")", at);
        }
        int version = Integer.parseInt(s.substring(5));
        if (source != Source.FILE && version != 9) {
            throw new RdbFormatException("RDB version 9 in a Dragonfly flow (got " + version + ")", at);
        }
        if (version < 1 || version > 12) {
            throw new RdbFormatException("an RDB version 1..12 (got " + version + ")", at);
        }
        cur.skip(9);
        rdbVersion = version;
        state = State.ITEMS;
    }

    private void token() throws RdbFormatException {
        long at = cur.offset();
        cur.need(TOKEN_LENGTH);
        byte[] t = Arrays.copyOfRange(cur.array(), cur.pos(), cur.pos() + TOKEN_LENGTH);
        if (!Arrays.equals(t, eofToken)) {
            throw new RdbFormatException("the EOF token " + new String(eofToken, StandardCharsets.US_ASCII) + " (got \""
                    + RdbBytes.printable(t) + "\")", at);
        }
        cur.skip(TOKEN_LENGTH);
        state = State.JOURNAL;
        phase = Phase.STABLE;
        nextLsn = journalOffset;
        stableJournalOffset = cur.offset();
        out.accept(new FlowEvent.StableCut(journalOffset));
    }

    private void bodyItem(byte[] a) throws RdbFormatException {
        long at = cur.offset();
        int op = cur.peekU8();
        if (op == OP_EXPIRETIME_MS || op == OP_DF_MASK || op == OP_EXPIRETIME || table(op)) {
            leaveHeader();
            inline.start(selectDb, table, rdbVersion);
            state = State.ENTRY;
            return;
        }
        switch (op) {
            case OP_AUX -> {
                cur.u8();
                byte[] name = cur.string();
                byte[] value = cur.string();
                aux(name, value);
            }
            case OP_SELECTDB -> {
                cur.u8();
                leaveHeader();
                selectDb = cur.len(Integer.MAX_VALUE, "a db index");
            }
            case OP_RESIZEDB -> {
                cur.u8();
                cur.len();
                cur.len();
            }
            case OP_FULLSYNC_END -> {
                cur.need(9);
                checkZeros(cur.array(), cur.pos() + 1, 8, "FULLSYNC_END padding of 8 zero bytes", at);
                cur.skip(9);
                leaveHeader();
                if (phase == Phase.SNAPSHOT) {
                    phase = Phase.STATIC_DATA_ENDED;
                }
                out.accept(new FlowEvent.StaticDataEnd());
            }
            case OP_ZSTD_BLOB, OP_LZ4_BLOB -> compressedBlob(op, at);
            case OP_JOURNAL_BLOB -> journalBlob(at);
            case OP_JOURNAL_OFFSET -> {
                cur.need(9);
                cur.u8();
                long v = cur.i64le();
                if (source == Source.FILE) {
                    throw new RdbFormatException("no JOURNAL_OFFSET in an RDB file", at);
                }
                journalOffset = v;
                phase = Phase.STABLE_CUT;
            }
            case OP_TAGGED_CHUNK -> taggedChunk(at);
            case OP_EOF -> eof(a, at);
            case OP_IDLE -> {
                cur.u8();
                cur.len();
            }
            case OP_FREQ -> cur.skip(2);
            case OP_SLOT_INFO -> {
                cur.u8();
                cur.len();
                cur.len();
                cur.len();
            }
            case OP_FUNCTION2 -> {
                cur.u8();
                cur.skipString();
            }
            case OP_MODULE_AUX -> moduleAux();
            case OP_SHARD_DOC_INDEX -> shardDocIndex();
            case OP_VECTOR_INDEX -> vectorIndex();
            case OP_FUNCTION -> throw new RdbFormatException("no pre-7.0 FUNCTION opcode (unsupported)", at);
            default -> throw new RdbFormatException("an RDB opcode or object type (got 0x" + Integer.toHexString(op) + ")", at);
        }
    }

    private boolean table(int op) {
        return table == null ? TypeTable.REDIS.typeOf(op, rdbVersion) != null : table.typeOf(op, rdbVersion) != null;
    }

    private void leaveHeader() {
        if (phase == Phase.HEADER) {
            phase = Phase.SNAPSHOT;
            if (table == null) {
                table = TypeTable.REDIS;
            }
        }
    }

    private void aux(byte[] name, byte[] value) {
        String n = new String(name, StandardCharsets.UTF_8);
        if (table == null && n.equals("df-ver")) {
            table = TypeTable.DRAGONFLY;
        }
        out.accept(new FlowEvent.AuxField(n, value));
    }

    private static void checkZeros(byte[] a, int off, int n, String what, long at) throws RdbFormatException {
        for (int i = 0; i < n; i++) {
            if (a[off + i] != 0) {
                throw new RdbFormatException(what, at);
            }
        }
    }

    private void compressedBlob(int op, long at) throws RdbFormatException {
        if (inBlob) {
            throw new RdbFormatException("no compressed blob inside a compressed blob", at);
        }
        if (state != State.ITEMS || chunkReader != null) {
            throw new IllegalStateException();
        }
        cur.u8();
        long lenAt = cur.offset();
        long n = cur.len();
        if (n <= 0 || n > cfg.maxCompressedBlobBytes()) {
            throw new RdbFormatException("a compressed blob of 1.." + cfg.maxCompressedBlobBytes() + " bytes (got "
                    + Long.toUnsignedString(n) + ")", lenAt);
        }
        cur.need(n);
        int dataAt = cur.pos();
        cur.skip(n);
        int after = cur.pos();
        byte[] data;
        try {
            data = op == OP_LZ4_BLOB
                    ? decompressor.lz4(cur.array(), dataAt, (int) n, cfg.maxCompressedBlobBytes())
                    : decompressor.zstd(cur.array(), dataAt, (int) n, cfg.maxCompressedBlobBytes());
        } catch (RdbFormatException e) {
            throw new RdbFormatException(e.expected() + " in the compressed blob", at, e);
        }
        leaveHeader();
        // Parse the decompressed items as if inline: same state, own coordinates.
        byte[] outerArray = cur.array();
        int outerLimit = cur.limit();
        long outerBase = cur.offset() - cur.pos();
        inBlob = true;
        try {
            int q = process(data, 0, data.length, 0);
            if (q != data.length || state == State.ENTRY || state == State.CHUNK_PAYLOAD) {
                throw new RdbFormatException("complete items in the compressed blob (it ends inside a "
                        + describeState() + ")", q);
            }
        } catch (RdbFormatException e) {
            throw e instanceof InBlob ? e : new InBlob(e, at);
        } finally {
            inBlob = false;
        }
        cur.reset(outerArray, after, outerLimit, outerBase);
    }

    private void journalBlob(long at) throws RdbFormatException {
        cur.u8();
        long n = cur.len();
        long strAt = cur.offset();
        cur.stringSlice();
        byte[] a = cur.sliceArray;
        int from = cur.sliceOff;
        int to = from + cur.sliceLen;
        leaveHeader();
        RdbCursor jc = new RdbCursor(cfg.maxStringBytes()).reset(a, from, to, strAt - from);
        long count = 0;
        while (jc.pos() < to) {
            JournalRecord r;
            try {
                r = JournalReader.read(jc, cfg.maxJournalEntryBytes());
            } catch (Underflow u) {
                throw new RdbFormatException("a complete journal entry in the journal blob", jc.offset());
            }
            switch (r.op()) {
                case SELECT -> blobJournalDb = db(r.value(), jc);
                case COMMAND, EXPIRED, MULTI_COMMAND -> {
                    count++;
                    emitCommand(r, blobJournalDb, -1);
                }
                case PING, EXEC -> count++;
                default -> { }
            }
        }
        if (count != n) {
            throw new RdbFormatException("a journal blob of " + n + " entries (found " + count + ")", at);
        }
    }

    private int db(long v, RdbCursor c) throws RdbFormatException {
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new RdbFormatException("a db index (got " + Long.toUnsignedString(v) + ")", c.offset());
        }
        return (int) v;
    }

    private void emitCommand(JournalRecord r, int db, long lsn) {
        List<byte[]> args = r.args();
        if (JournalReader.isGlobalCommand(args)) {
            out.accept(new FlowEvent.GlobalCommand(db, r.txid(), lsn, args));
            return;
        }
        FlowEvent.JournalOpcode op = switch (r.op()) {
            case EXPIRED -> FlowEvent.JournalOpcode.EXPIRED;
            case MULTI_COMMAND -> FlowEvent.JournalOpcode.MULTI_COMMAND;
            default -> FlowEvent.JournalOpcode.COMMAND;
        };
        out.accept(new FlowEvent.JournalCommand(db, r.txid(), lsn, op, args));
    }

    private void taggedChunk(long at) throws RdbFormatException {
        cur.need(9);
        cur.u8();
        int id = cur.u32le();
        long len = cur.u32le() & 0xffffffffL;
        if (id == 0 || len == 0) {
            throw new RdbFormatException("a tagged chunk with non-zero stream id and length (got id " + id + ", length "
                    + len + ")", at);
        }
        leaveHeader();
        EntryReader r = tagged.get(id);
        if (r == null) {
            r = new EntryReader(cfg, out);
            r.start(selectDb, table, rdbVersion);
            tagged.put(id, r);
        }
        chunkReader = r;
        chunkId = id;
        chunkLeft = len;
        state = State.CHUNK_PAYLOAD;
    }

    private void eof(byte[] a, long at) throws RdbFormatException {
        int ffPos = cur.pos();
        boolean hasChecksum = rdbVersion >= 5;
        cur.need(hasChecksum ? 9 : 1);
        if (inBlob) {
            throw new RdbFormatException("no EOF inside a compressed blob", at);
        }
        if (!tagged.isEmpty()) {
            throw new RdbFormatException("EOF after the tagged entries " + tagged.keySet() + " complete", at);
        }
        long checksum = hasChecksum ? RdbBytes.i64le(a, ffPos + 1) : 0;
        if (source == Source.FILE) {
            crc = Crc64.update(crc, a, crcPos, ffPos + 1 - crcPos);
            crcDone = true;
            if (checksum != 0 && checksum != crc) {
                throw new RdbFormatException(String.format("RDB checksum %016x (computed %016x)", checksum, crc), at + 1);
            }
            cur.skip(hasChecksum ? 9 : 1);
            state = State.END;
            phase = Phase.END;
            return;
        }
        if (checksum != 0) {
            throw new RdbFormatException("a zero EOF checksum (Dragonfly streams carry none; got "
                    + String.format("%016x", checksum) + ")", at + 1);
        }
        if (journalOffset < 0) {
            throw new RdbFormatException("JOURNAL_OFFSET before EOF", at);
        }
        cur.skip(9);
        state = State.TOKEN;
    }

    private void moduleAux() throws RdbFormatException {
        cur.u8();
        cur.len(); // module id
        long when = cur.len();
        if (when != 2) {
            throw new RdbFormatException("MODULE_AUX when-opcode 2 (got " + when + ")", cur.offset());
        }
        cur.len();
        skipModuleFields();
    }

    private void skipModuleFields() throws RdbFormatException {
        while (true) {
            long at = cur.offset();
            long op = cur.len();
            if (op == 0) {
                return;
            }
            switch ((int) op) {
                case 1, 2 -> cur.len();
                case 3 -> cur.skip(4);
                case 4 -> cur.skip(8);
                case 5 -> cur.skipString();
                default -> throw new RdbFormatException("a module field opcode 0..5 (got " + op + ")", at);
            }
        }
    }

    private void shardDocIndex() throws RdbFormatException {
        cur.u8();
        cur.len();
        cur.skipString();
        long n = cur.len();
        for (long i = 0; i < n; i++) {
            cur.skipString();
            cur.len();
        }
    }

    private void vectorIndex() throws RdbFormatException {
        cur.u8();
        cur.skipString();
        cur.len();
        long nodes = cur.len();
        for (long i = 0; i < nodes; i++) {
            cur.skip(12); // u32 internal id, u64 global id
            long level = cur.u32le() & 0xffffffffL;
            for (long l = 0; l <= level; l++) {
                long links = cur.u32le() & 0xffffffffL;
                cur.skip(links * 4);
            }
        }
    }

    private void journalRecord() throws RdbFormatException {
        JournalRecord r = JournalReader.read(cur, cfg.maxJournalEntryBytes());
        switch (r.op()) {
            case SELECT -> stableDb = db(r.value(), cur);
            case COMMAND, EXPIRED, MULTI_COMMAND -> emitCommand(r, stableDb, nextLsn++);
            case EXEC -> out.accept(new FlowEvent.Exec(r.txid(), nextLsn++));
            case PING -> out.accept(new FlowEvent.Ping(nextLsn++));
            case LSN -> {
                if (r.value() != nextLsn - 1) {
                    if (!lsnMismatchLogged) {
                        LOG.warn("flow {}: LSN record says {} but the count says {}; following the record", flowId,
                                r.value(), nextLsn - 1);
                        lsnMismatchLogged = true;
                    }
                    nextLsn = r.value() + 1;
                }
            }
            default -> { }
        }
    }
}
