package io.df2redis.testing.recordings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference decoding of a whole flow ({@code flow-<i>.decoded.txt}), reduced to what a parser
 * test compares: the key entries and the journal-blob commands in stream order (a tagged entry is
 * listed where it completes), and counts of the framing items. Informational lines (AUX, blobs,
 * chunks) are counted, not modelled.
 */
public record FlowListing(List<Item> items, Map<String, Integer> counts, long journalOffset) {

    /** A key entry or a journal-blob command, in stream order. */
    public sealed interface Item permits KeyEntry, BlobCommand {}

    /**
     * A {@code KEY} line. {@code attrs} holds the remaining {@code name=value} fields as printed
     * ({@code len}, {@code n}, {@code nodes}, {@code entries}, {@code groups}, {@code with-ttl},
     * {@code value}, …) and bare words ({@code listpack}, {@code intset}, {@code json}) with "".
     *
     * @param where the line's offset token ({@code @N} in the file, {@code +N} inside a blob)
     * @param expireMs -1 when the line has no {@code expire_ms}
     */
    public record KeyEntry(
            String where,
            int db,
            int typeId,
            String typeName,
            Bytes key,
            long expireMs,
            int dfMask,
            long mcFlags,
            Map<String, String> attrs)
            implements Item {

        /** A numeric attribute, or -1 when absent. */
        public long attr(String name) {
            String v = attrs.get(name);
            return v == null || v.isEmpty() ? -1 : Long.parseLong(v);
        }

        /** The printed {@code value=} (strings, JSON), decoded; {@code null} when not printed. */
        public Bytes value() {
            String v = attrs.get("value");
            return v == null ? null : EscapedText.token(v).bytes();
        }
    }

    /** A command carried by a JOURNAL_BLOB record (no LSN). */
    public record BlobCommand(JournalLine command) implements Item {}

    public List<KeyEntry> keys() {
        List<KeyEntry> out = new ArrayList<>();
        for (Item i : items) {
            if (i instanceof KeyEntry k) {
                out.add(k);
            }
        }
        return out;
    }

    public List<JournalLine> blobCommands() {
        List<JournalLine> out = new ArrayList<>();
        for (Item i : items) {
            if (i instanceof BlobCommand b) {
                out.add(b.command());
            }
        }
        return out;
    }

    /** Count of lines of a kind: {@code LZ4_BLOB}, {@code ZSTD_BLOB}, {@code TAGGED_CHUNK}, … */
    public int count(String kind) {
        return counts.getOrDefault(kind, 0);
    }

    public static FlowListing read(Path file) throws IOException {
        List<Item> items = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        long journalOffset = -1;
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.equals("}")) {
                continue;
            }
            int sp = line.indexOf(' ');
            String where = line.substring(0, sp);
            String rest = line.substring(sp + 1);
            String kind = rest.split(" ", 2)[0];
            if (kind.startsWith("lsn=")) {
                kind = "JOURNAL";
            }
            counts.merge(kind, 1, Integer::sum);
            switch (kind) {
                case "KEY" -> items.add(parseKey(where, rest));
                case "JOURNAL_OFFSET" -> journalOffset = Long.parseLong(rest.substring(15).strip());
                default -> {
                    if (kind.startsWith("JOURNAL_BLOB")) {
                        long off = Long.parseLong(where.substring(1));
                        String record = rest.substring(rest.indexOf(' ') + 1);
                        items.add(new BlobCommand(JournalLine.parseRecord(off, -1, record, raw)));
                    }
                }
            }
        }
        return new FlowListing(List.copyOf(items), Collections.unmodifiableMap(counts), journalOffset);
    }

    private static KeyEntry parseKey(String where, String rest) {
        List<String> tokens = EscapedText.split(rest);
        int db = -1;
        int typeId = -1;
        String typeName = null;
        Bytes key = null;
        long expire = -1;
        int dfMask = 0;
        long mcFlags = 0;
        Map<String, String> attrs = new LinkedHashMap<>();
        for (String t : tokens.subList(1, tokens.size())) {
            int eq = t.indexOf('=');
            String name = eq < 0 ? t : t.substring(0, eq);
            String v = eq < 0 ? "" : t.substring(eq + 1);
            switch (name) {
                case "db" -> db = Integer.parseInt(v);
                case "type" -> {
                    int p = v.indexOf('(');
                    typeId = Integer.parseInt(v.substring(0, p));
                    typeName = v.substring(p + 1, v.length() - 1);
                }
                case "key" -> key = EscapedText.token(v).bytes();
                case "expire_ms" -> expire = Long.parseLong(v);
                case "df_mask" -> dfMask = Integer.parseInt(v);
                case "mc_flags" -> mcFlags = Long.parseLong(v);
                default -> attrs.put(name, v);
            }
        }
        return new KeyEntry(where, db, typeId, typeName, key, expire, dfMask, mcFlags, Collections.unmodifiableMap(attrs));
    }
}
