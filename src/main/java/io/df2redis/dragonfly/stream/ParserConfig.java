package io.df2redis.dragonfly.stream;

/**
 * Limits of the stream parser. Every length read from the stream is checked against these before
 * anything is allocated, so bogus input fails with a {@link StreamFormatException} instead of
 * exhausting memory.
 *
 * @param maxHeldValueBytes encoded size up to which a snapshot value is held whole and emitted as
 *     one {@code SnapshotObject} with its raw bytes; bigger values stream as {@code ObjectPart}s
 * @param partBytes encoded bytes per {@code ObjectPart} (about; a part ends at an element boundary)
 * @param partElements at most this many elements per {@code ObjectPart}
 * @param maxStringBytes largest single string held in memory (a key, one element of a container,
 *     a listpack, an LZF string, an AUX value); top-level strings bigger than {@code
 *     maxHeldValueBytes} stream in pieces and are not bound by it
 * @param maxCompressedBlobBytes largest ZSTD/LZ4 blob, compressed and decompressed (Dragonfly
 *     compresses at most 1 MiB per blob)
 * @param maxJournalEntryBytes largest journal entry (a command's arguments are held whole)
 */
public record ParserConfig(
        int maxHeldValueBytes,
        int partBytes,
        int partElements,
        int maxStringBytes,
        int maxCompressedBlobBytes,
        int maxJournalEntryBytes) {

    public ParserConfig {
        if (maxHeldValueBytes < 1 || partBytes < 1 || partElements < 1 || maxStringBytes < 1
                || maxCompressedBlobBytes < 1 || maxJournalEntryBytes < 1) {
            throw new IllegalArgumentException("parser limits must be positive: " + this);
        }
    }

    /** 8 MiB held whole, 1 MiB / 1024-element parts, 512 MiB strings, 64 MiB blobs and journal entries. */
    public static ParserConfig defaults() {
        return new ParserConfig(8 << 20, 1 << 20, 1024, 512 << 20, 64 << 20, 64 << 20);
    }

    public ParserConfig withMaxHeldValueBytes(int v) {
        return new ParserConfig(v, partBytes, partElements, maxStringBytes, maxCompressedBlobBytes, maxJournalEntryBytes);
    }

    public ParserConfig withPartBytes(int v) {
        return new ParserConfig(maxHeldValueBytes, v, partElements, maxStringBytes, maxCompressedBlobBytes, maxJournalEntryBytes);
    }

    public ParserConfig withPartElements(int v) {
        return new ParserConfig(maxHeldValueBytes, partBytes, v, maxStringBytes, maxCompressedBlobBytes, maxJournalEntryBytes);
    }

    public ParserConfig withMaxStringBytes(int v) {
        return new ParserConfig(maxHeldValueBytes, partBytes, partElements, v, maxCompressedBlobBytes, maxJournalEntryBytes);
    }
}
