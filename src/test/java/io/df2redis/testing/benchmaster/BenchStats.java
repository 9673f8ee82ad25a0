package io.df2redis.testing.benchmaster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark master's figures as {@code key=value} lines, rewritten atomically at every event so
 * that a script can read them at any time (and after the master was stopped). Times are Unix ms.
 */
final class BenchStats {
    private final Path file;
    private final Map<String, String> values = new LinkedHashMap<>();

    BenchStats(Path file) {
        this.file = file;
    }

    synchronized void put(String key, Object value) {
        values.put(key, String.valueOf(value));
        save();
    }

    /** Sets {@code key} only the first time (e.g. the first session's timestamps). */
    synchronized void putIfAbsent(String key, Object value) {
        if (values.putIfAbsent(key, String.valueOf(value)) == null) {
            save();
        }
    }

    synchronized void add(String key, long delta) {
        long old = values.containsKey(key) ? Long.parseLong(values.get(key)) : 0;
        put(key, old + delta);
    }

    synchronized String get(String key) {
        return values.get(key);
    }

    synchronized Map<String, String> all() {
        return new LinkedHashMap<>(values);
    }

    private void save() {
        if (file == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stats file " + file, e);
        }
    }
}
