package io.df2redis.testing.recordings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds the recorded sessions under {@code shared/testdata/dragonfly}. */
public final class Recordings {
    private Recordings() {}

    /**
     * Every recording, sorted by name: each scenario folder that has a {@code meta.json}, and each
     * {@code session-*} folder of a multi-session scenario ({@code partial-sync/session-1}, …).
     */
    public static List<Recording> all() {
        Path root = SharedTestData.dragonflyRecordings();
        List<Recording> out = new ArrayList<>();
        try (Stream<Path> scenarios = Files.list(root)) {
            for (Path s : scenarios.filter(Files::isDirectory).sorted().toList()) {
                if (Files.exists(s.resolve("meta.json"))) {
                    out.add(new Recording(root.relativize(s).toString(), s, s));
                    continue;
                }
                try (Stream<Path> sessions = Files.list(s)) {
                    for (Path sess : sessions.filter(p -> Files.exists(p.resolve("meta.json"))).sorted().toList()) {
                        out.add(new Recording(root.relativize(sess).toString().replace('\\', '/'), sess, s));
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return List.copyOf(out);
    }

    /** One recording by name ({@code types-basic}, {@code partial-sync/session-2}). */
    public static Recording get(String name) {
        return all().stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no recording " + name + " in " + SharedTestData.dragonflyRecordings()));
    }
}
