package io.df2redis.testing.recordings;

import java.util.List;

/**
 * A key's value as the dataset dumps hold it, with value equality. Sets are sorted by raw bytes and
 * hashes by raw field (as in the files); zset scores are doubles (the text the server printed is
 * not kept: Redis and Dragonfly print some doubles differently).
 */
public sealed interface DatasetValue {

    record StringValue(Bytes value) implements DatasetValue {}

    record ListValue(List<Bytes> elements) implements DatasetValue {}

    /** Members sorted by raw bytes. */
    record SetValue(List<Bytes> members) implements DatasetValue {}

    record FieldValue(Bytes field, Bytes value) {}

    /** Fields sorted by raw bytes. */
    record HashValue(List<FieldValue> fields) implements DatasetValue {}

    record ScoredMember(Bytes member, double score) {}

    /** Members in rank order (score, then member bytes). */
    record ZSetValue(List<ScoredMember> members) implements DatasetValue {}

    record StreamEntry(String id, List<FieldValue> fields) {}

    record StreamConsumer(String name, long pending) {}

    record StreamGroup(String name, String lastDeliveredId, long pending, List<StreamConsumer> consumers) {}

    record StreamValue(List<StreamEntry> entries, long length, String lastGeneratedId, List<StreamGroup> groups)
            implements DatasetValue {}

    /** A JSON document's text as {@code JSON.GET} printed it. */
    record JsonValue(String text) implements DatasetValue {}

    /** A type the dump tool could not read (Bloom, Cuckoo, CMS, TopK): only its TYPE name. */
    record Unsupported(String type) implements DatasetValue {}

    /** Parses a dump score: {@code "1.5"}, {@code "inf"}, {@code "-inf"}. */
    static double parseScore(String s) {
        return switch (s) {
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }
}
