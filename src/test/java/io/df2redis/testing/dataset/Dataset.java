package io.df2redis.testing.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** A whole dataset dump, rows sorted by db then raw key bytes (the README's order). */
public final class Dataset {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Comparator<DatasetRow> ORDER = Comparator.comparingInt(DatasetRow::db)
            .thenComparing(DatasetRow::key, Arrays::compareUnsigned);

    private final List<DatasetRow> rows;

    public Dataset(List<DatasetRow> rows) {
        List<DatasetRow> sorted = new ArrayList<>(rows);
        sorted.sort(ORDER);
        this.rows = List.copyOf(sorted);
    }

    public static Dataset read(Path jsonl) {
        List<DatasetRow> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(jsonl)) {
                if (!line.isBlank()) {
                    rows.add(DatasetRow.fromJson(JSON.readTree(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + jsonl, e);
        }
        return new Dataset(rows);
    }

    public void write(Path jsonl, long nowMs) {
        try (BufferedWriter w = Files.newBufferedWriter(jsonl)) {
            for (DatasetRow r : rows) {
                w.write(JSON.writeValueAsString(r.toJson(nowMs)));
                w.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + jsonl, e);
        }
    }

    public List<DatasetRow> rows() {
        return rows;
    }

    public int size() {
        return rows.size();
    }

    public Dataset filter(Predicate<DatasetRow> keep) {
        return new Dataset(rows.stream().filter(keep).toList());
    }

    public DatasetRow find(int db, String key) {
        byte[] k = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return rows.stream().filter(r -> r.db() == db && Arrays.equals(r.key(), k)).findFirst().orElse(null);
    }
}
