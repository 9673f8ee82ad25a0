package io.df2redis.flink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded runner's state directory: whose it is, which checkpoint it resumes from, and its removal. */
class LocalStateDirTest {
    @TempDir
    Path tmp;

    private static JobSettings job(String source, String target, String... more) {
        String[] base = {"--source.url", source, "--target.url", target};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return JobSettings.fromArgs(all);
    }

    @Test
    void aDirectoryOfAnotherSourceTargetOrModeIsRefusedNamingBoth() throws Exception {
        LocalStateDir d = new LocalStateDir(tmp.resolve("s"));
        d.claim(job("redis://a:1", "redis://user:secret@b:2"));
        d.claim(job("redis://a:1", "redis://user:other@b:2")); // the same job: passwords are not part of it
        assertThat(Files.readString(tmp.resolve("s").resolve(LocalStateDir.IDENTITY))).doesNotContain("secret");
        assertThatThrownBy(() -> d.claim(job("redis://a:1", "redis://c:3"))).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("--state.dir").hasMessageContaining("redis://b:2").hasMessageContaining("redis://c:3");
        assertThatThrownBy(() -> d.claim(job("redis://a:1", "redis://b:2", "--mode", "snapshot")))
                .hasMessageContaining("mode");
    }

    @Test
    void resumesFromTheNewestCompletedCheckpointAndPassesOverIncompleteOnes() throws Exception {
        LocalStateDir d = new LocalStateDir(tmp.resolve("s"));
        d.claim(job("redis://a:1", "redis://b:2"));
        assertThat(d.newestCheckpoint()).isEmpty();
        Path old = checkpoint(d, "job1", 3, 1_000);
        Path newer = checkpoint(d, "job2", 1, 2_000);
        Files.createDirectories(d.checkpoints().resolve("job2").resolve("chk-2")); // killed while writing: no metadata
        assertThat(d.newestCheckpoint()).contains(newer);
        assertThat(d.flinkConfig(d.newestCheckpoint()).get(StateRecoveryOptions.SAVEPOINT_PATH)).isEqualTo(newer.toUri().toString());
        assertThat(old).exists();
        d.delete();
        assertThat(tmp.resolve("s")).doesNotExist();
    }

    /**
     * A snapshot run that ended by itself removes its directory while Flink may still be deleting
     * subsumed checkpoints in the background: files vanish under the walk (seen at the end of a 10 M
     * run: NoSuchFileException on chk-4, exit code 1 after a complete snapshot). Gone is gone.
     */
    @Test
    void removalToleratesCheckpointsDeletedMeanwhile() throws Exception {
        for (int round = 0; round < 20; round++) {
            LocalStateDir d = new LocalStateDir(tmp.resolve("s" + round));
            d.claim(job("redis://a:1", "redis://b:2"));
            for (int n = 0; n < 200; n++) {
                Path chk = d.checkpoints().resolve("job").resolve("chk-" + n);
                Files.createDirectories(chk);
                for (int f = 0; f < 5; f++) {
                    Files.write(chk.resolve("part-" + f), new byte[] {1});
                }
            }
            Thread flinkCleanup = new Thread(() -> {
                for (int n = 199; n >= 0; n--) {
                    Path chk = d.checkpoints().resolve("job").resolve("chk-" + n);
                    try (java.util.stream.Stream<Path> files = Files.list(chk)) {
                        for (Path f : files.toList()) {
                            Files.deleteIfExists(f);
                        }
                        Files.deleteIfExists(chk);
                    } catch (java.io.IOException e) {
                        // the removal got there first
                    }
                }
            });
            flinkCleanup.start();
            d.delete();
            flinkCleanup.join();
            assertThat(tmp.resolve("s" + round)).as("round %d", round).doesNotExist();
        }
    }

    private static Path checkpoint(LocalStateDir d, String job, int n, long mtime) throws Exception {
        Path chk = d.checkpoints().resolve(job).resolve("chk-" + n);
        Files.createDirectories(chk);
        Path meta = chk.resolve("_metadata");
        Files.write(meta, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(meta, FileTime.fromMillis(mtime));
        return chk;
    }
}
