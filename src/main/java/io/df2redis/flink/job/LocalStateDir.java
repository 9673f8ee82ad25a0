package io.df2redis.flink.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;

/**
 * The embedded runner's state directory ({@code --state.dir}, {@code java -jar
 * df2redis-local.jar}): its checkpoints are kept there, and the same command run again resumes
 * from the newest completed one (the target policy is not applied again). A directory written for
 * another source or target is refused. Layout:
 *
 * <pre>
 * DIR/df2redis-state.properties   source and target this state belongs to (no passwords)
 * DIR/checkpoints/&lt;job id&gt;/chk-N/_metadata   Flink's retained checkpoints
 * </pre>
 *
 * <p>Flink writes a checkpoint's {@code _metadata} last, once every part of it is stored, and only
 * then counts it complete: a run killed with SIGKILL leaves at worst an incomplete {@code chk-N}
 * without metadata, which is passed over.
 */
public final class LocalStateDir {
    static final String IDENTITY = "df2redis-state.properties";
    private final Path dir;

    public LocalStateDir(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    /**
     * Creates the directory or checks that it belongs to this source and target.
     *
     * @throws InvalidSettingException naming {@code state.dir} when it was written for another job
     */
    public void claim(JobSettings settings) throws IOException {
        Files.createDirectories(checkpoints());
        Properties mine = identity(settings);
        Path file = dir.resolve(IDENTITY);
        if (Files.exists(file)) {
            Properties theirs = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                theirs.load(in);
            }
            for (String k : mine.stringPropertyNames()) {
                if (!mine.getProperty(k).equals(theirs.getProperty(k))) {
                    throw new InvalidSettingException(Df2RedisOptions.STATE_DIR.key(), dir + " holds the state of a job with "
                            + k + " " + theirs.getProperty(k) + ", not " + mine.getProperty(k)
                            + ": give this job another --state.dir, or delete " + dir + " to start that one over");
                }
            }
            return;
        }
        Path tmp = dir.resolve(IDENTITY + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            mine.store(out, "df2redis embedded runner state; delete this directory to start over");
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Properties identity(JobSettings settings) {
        Properties p = new Properties();
        p.setProperty("source.url", withoutCredentials(settings.sourceUrl()));
        p.setProperty("target.url", withoutCredentials(settings.targetUrl()));
        p.setProperty("mode", settings.mode().name().toLowerCase(java.util.Locale.ROOT));
        return p;
    }

    private static String withoutCredentials(URI u) {
        return u.getScheme() + "://" + u.getHost() + ":" + u.getPort();
    }

    /**
     * Removes the directory: the job it belonged to ended by itself. Flink may still be deleting
     * subsumed checkpoints in the background, so files may vanish under the walk: what is gone is
     * passed over.
     */
    public void delete() throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The newest completed checkpoint ({@code chk-N} with its {@code _metadata}), if any. */
    public Optional<Path> newestCheckpoint() throws IOException {
        if (!Files.isDirectory(checkpoints())) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.find(checkpoints(), 3, (p, a) -> a.isRegularFile() && p.getFileName().toString().equals("_metadata")
                && p.getParent().getFileName().toString().startsWith("chk-") && a.size() > 0)) {
            return s.max(Comparator.comparing(LocalStateDir::modified)).map(Path::getParent);
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    /**
     * The embedded cluster's configuration: checkpoints kept in this directory (also when the job is
     * cancelled), and the newest of them restored, if any.
     */
    public Configuration flinkConfig(Optional<Path> resumeFrom) {
        Configuration c = new Configuration();
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints().toUri().toString());
        c.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        c.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
        resumeFrom.ifPresent(p -> c.set(StateRecoveryOptions.SAVEPOINT_PATH, p.toUri().toString()));
        return c;
    }
}
