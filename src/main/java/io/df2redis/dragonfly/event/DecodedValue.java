package io.df2redis.dragonfly.event;

import java.util.List;

/**
 * Decoded elements of a value, or of one part of a value too big to hold ({@link
 * FlowEvent.ObjectPart}). Byte arrays are never copied defensively: whoever creates a value hands
 * its arrays over.
 */
public sealed interface DecodedValue {

    /** Number of elements (bytes for a string), for batching and metrics. */
    long count();

    /** A string, or one consecutive piece of a string too big to hold (appended in order). */
    record StringValue(byte[] bytes) implements DecodedValue {
        public long count() {
            return bytes.length;
        }
    }

    /** List elements, head to tail. */
    record ListValue(List<byte[]> elements) implements DecodedValue {
        public long count() {
            return elements.size();
        }
    }

    /**
     * Set members. {@code expireAtSec} is {@code null} for ordinary sets; for Dragonfly sets with
     * member TTLs it holds, per member, the absolute Unix time in seconds or -1 for none.
     */
    record SetValue(List<byte[]> members, long[] expireAtSec) implements DecodedValue {
        public long count() {
            return members.size();
        }
    }

    /**
     * Hash fields and values, flattened as field, value, field, value. {@code expireAtSec} is {@code
     * null} for ordinary hashes; for Dragonfly hashes with field TTLs it holds, per field, the
     * absolute Unix time in seconds or -1 for none.
     */
    record HashValue(List<byte[]> fieldsAndValues, long[] expireAtSec) implements DecodedValue {
        public long count() {
            return fieldsAndValues.size() / 2;
        }
    }

    /** Sorted-set members with their exact scores (same index). */
    record ZSetValue(List<byte[]> members, double[] scores) implements DecodedValue {
        public long count() {
            return members.size();
        }
    }

    /**
     * Stream entries in id order. {@code meta} (length, ids, groups) is present on a whole value
     * and on the last part of a value sent in parts, {@code null} on the other parts.
     */
    record StreamValue(List<StreamEntry> entries, StreamMeta meta) implements DecodedValue {
        public long count() {
            return entries.size();
        }
    }

    /** A JSON document's text (Dragonfly JSON type or the RedisJSON module type). */
    record JsonValue(byte[] text) implements DecodedValue {
        public long count() {
            return 1;
        }
    }

    /**
     * A Dragonfly probabilistic structure (Bloom, Cuckoo, CMS, TopK) kept in its encoded form; the
     * parser checked its structure but Redis has no native equivalent to decode it into.
     */
    record OpaqueValue(byte[] encoded) implements DecodedValue {
        public long count() {
            return 1;
        }
    }

    record StreamId(long ms, long seq) implements Comparable<StreamId> {
        public static final StreamId ZERO = new StreamId(0, 0);

        @Override
        public int compareTo(StreamId o) {
            int c = Long.compareUnsigned(ms, o.ms);
            return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
        }

        @Override
        public String toString() {
            return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
        }
    }

    /** One stream entry: its id and its field/value pairs flattened. */
    record StreamEntry(StreamId id, List<byte[]> fieldsAndValues) {}

    /**
     * Stream metadata. Fields absent in older encodings (first id, max deleted id, entries added:
     * RDB type 15) are {@code null} / -1.
     */
    record StreamMeta(
            long length,
            StreamId lastId,
            StreamId firstId,
            StreamId maxDeletedId,
            long entriesAdded,
            List<StreamGroup> groups) {}

    /** A consumer group; {@code entriesRead} is -1 when the encoding lacks it. */
    record StreamGroup(
            byte[] name,
            StreamId lastDeliveredId,
            long entriesRead,
            List<PendingEntry> pending,
            List<StreamConsumer> consumers) {}

    record PendingEntry(StreamId id, long deliveryTimeMs, long deliveryCount) {}

    /** {@code activeTimeMs} is -1 when the encoding lacks it (before RDB type 21). */
    record StreamConsumer(byte[] name, long seenTimeMs, long activeTimeMs, List<StreamId> pending) {}
}
