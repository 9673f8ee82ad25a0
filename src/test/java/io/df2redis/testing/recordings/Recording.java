package io.df2redis.testing.recordings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One recorded replication session: a scenario folder of {@code shared/testdata/dragonfly}, or one
 * session of a multi-session scenario ({@code partial-sync/session-1}). Files are read when asked
 * for; nothing is cached, so tests that reuse a recording should keep what they read.
 *
 * @param name the folder path relative to the recordings root, e.g. {@code types-basic} or
 *     {@code partial-sync/session-2}
 * @param scenarioDir the scenario folder (holds README.md and workload.txt; for a session, the
 *     parent of {@code dir})
 */
public record Recording(String name, Path dir, Path scenarioDir) {

    public RecordingMeta meta() {
        return io(() -> RecordingMeta.read(dir.resolve("meta.json")));
    }

    public int flowCount() {
        return meta().numFlows();
    }

    /** Every byte received on flow {@code i} after the DFLY FLOW reply. */
    public byte[] flowBytes(int i) {
        return io(() -> Files.readAllBytes(dir.resolve("flow-" + i + ".bin")));
    }

    /** The reference decoding of flow {@code i}'s stable journal ({@code journal-<i>.txt}). */
    public List<JournalLine> journal(int i) {
        return io(() -> {
            List<JournalLine> out = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("journal-" + i + ".txt"))) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(JournalLine.parse(line));
                }
            }
            return List.copyOf(out);
        });
    }

    /** The reference decoding of the whole flow {@code i} ({@code flow-<i>.decoded.txt}). */
    public FlowListing listing(int i) {
        return io(() -> FlowListing.read(dir.resolve("flow-" + i + ".decoded.txt")));
    }

    /** {@code dataset-before-sync.jsonl}: the master's data right before DFLY SYNC. */
    public List<DatasetRow> datasetBeforeSync() {
        return dataset("dataset-before-sync.jsonl").orElseThrow();
    }

    /** {@code dataset-final.jsonl}: the master's data at the end of the recording. */
    public List<DatasetRow> datasetFinal() {
        return dataset("dataset-final.jsonl").orElseThrow();
    }

    /** Any dump file of this recording by name (e.g. {@code dataset-before-flush.jsonl}). */
    public Optional<List<DatasetRow>> dataset(String fileName) {
        Path p = dir.resolve(fileName);
        return Files.exists(p) ? Optional.of(io(() -> DatasetRow.readAll(p))) : Optional.empty();
    }

    /**
     * Whether the workload wrote anything during the full sync (phase {@code during-sync}); only
     * then does the snapshot part of the flows differ from {@link #datasetBeforeSync()}.
     */
    public boolean writesDuringSync() {
        Path w = scenarioDir.resolve("workload.txt");
        if (!Files.exists(w)) {
            return false;
        }
        boolean inPhase = false;
        for (String line : io(() -> Files.readAllLines(w))) {
            if (line.startsWith("## phase:")) {
                inPhase = line.substring(9).strip().split("\\s+")[0].equals("during-sync");
            } else if (inPhase && !line.isBlank() && !line.startsWith("#")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return name;
    }

    interface IoSupplier<T> {
        T get() throws IOException;
    }

    static <T> T io(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
