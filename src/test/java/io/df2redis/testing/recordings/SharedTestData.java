package io.df2redis.testing.recordings;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the read-only shared material lives: the system property {@code df2redis.shared.dir} (set by
 * surefire and the bench profile to {@code ${project.basedir}/../shared}), else {@code ../shared}
 * relative to the working directory.
 */
public final class SharedTestData {
    private SharedTestData() {}

    public static Path dir() {
        String prop = System.getProperty("df2redis.shared.dir");
        Path p = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("..", "shared");
        p = p.toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("testdata"))) {
            throw new IllegalStateException("shared test data not found at " + p
                    + " (set -Ddf2redis.shared.dir or run from the project root next to ../shared)");
        }
        return p;
    }

    /** {@code shared/testdata/dragonfly}: the recorded replication sessions. */
    public static Path dragonflyRecordings() {
        return dir().resolve("testdata").resolve("dragonfly");
    }

    /** {@code shared/testdata/rdb}: published RDB files with their expected datasets. */
    public static Path rdbFiles() {
        return dir().resolve("testdata").resolve("rdb");
    }
}
