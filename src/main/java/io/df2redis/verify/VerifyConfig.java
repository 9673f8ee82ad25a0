package io.df2redis.verify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What {@link Verifier} compares and how.
 *
 * @param targetDb source db → target db, or {@link #IGNORED} for a db the job leaves out
 * @param sourceDbs target db → the source dbs that write into it (for keys only in the target)
 * @param ignorePrefix target keys starting with it are the job's own and never compared
 * @param ttlToleranceMs expiries further apart than this differ ({@code 0}: exact)
 * @param rechecks how many times a differing key is checked again before it is reported
 * @param recheckDelay the wait before each recheck (replication catching up)
 * @param sample fraction of keys compared, {@code (0, 1]}: the same keys both ways
 * @param parallelism threads comparing source pages (each with its own connections)
 * @param report JSON-lines file with one line per differing key, or null
 * @param scope the keys the migration copies, and their names in the target
 */
public record VerifyConfig(IntFunction<Integer> targetDb, IntFunction<List<Integer>> sourceDbs, String ignorePrefix,
        long ttlToleranceMs, int rechecks, Duration recheckDelay, double sample, int parallelism, int scanCount,
        int smallElements, int smallBytes, Path report, KeyScope scope) {
    public static final int IGNORED = -1;

    public VerifyConfig {
        if (ttlToleranceMs < 0) {
            throw new IllegalArgumentException("verify.ttl-tolerance must not be negative: " + ttlToleranceMs + " ms");
        }
        if (rechecks < 0) {
            throw new IllegalArgumentException("verify.rechecks must not be negative: " + rechecks);
        }
        if (!(sample > 0 && sample <= 1)) {
            throw new IllegalArgumentException("verify.sample must be in (0, 1]: " + sample);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("verify.parallelism must be at least 1: " + parallelism);
        }
        if (scanCount < 1 || smallElements < 1 || smallBytes < 1) {
            throw new IllegalArgumentException("page and chunk sizes must be positive");
        }
    }

    /** Identity db mapping, exact expiries, 3 rechecks 5 s apart, every key, 4 threads. */
    public static VerifyConfig defaults() {
        return new VerifyConfig(db -> db, db -> List.of(db), "__df2redis:", 0, 3, Duration.ofSeconds(5), 1.0, 4, 1000,
                512, 256 * 1024, null, KeyScope.ALL);
    }

    public VerifyConfig withDbMapping(IntFunction<Integer> targetDb, IntFunction<List<Integer>> sourceDbs) {
        return new VerifyConfig(targetDb, sourceDbs, ignorePrefix, ttlToleranceMs, rechecks, recheckDelay, sample,
                parallelism, scanCount, smallElements, smallBytes, report, scope);
    }

    public VerifyConfig withRechecks(int n, Duration delay) {
        return new VerifyConfig(targetDb, sourceDbs, ignorePrefix, ttlToleranceMs, n, delay, sample, parallelism,
                scanCount, smallElements, smallBytes, report, scope);
    }

    public VerifyConfig withTtlTolerance(long ms) {
        return new VerifyConfig(targetDb, sourceDbs, ignorePrefix, ms, rechecks, recheckDelay, sample, parallelism,
                scanCount, smallElements, smallBytes, report, scope);
    }

    public VerifyConfig withSample(double fraction) {
        return new VerifyConfig(targetDb, sourceDbs, ignorePrefix, ttlToleranceMs, rechecks, recheckDelay, fraction,
                parallelism, scanCount, smallElements, smallBytes, report, scope);
    }

    public VerifyConfig withParallelism(int n) {
        return new VerifyConfig(targetDb, sourceDbs, ignorePrefix, ttlToleranceMs, rechecks, recheckDelay, sample, n,
                scanCount, smallElements, smallBytes, report, scope);
    }

    /** Smaller chunks make big-key paths testable with small data. */
    public VerifyConfig withChunks(int scanCount, int smallElements, int smallBytes) {
        return new VerifyConfig(targetDb, sourceDbs, ignorePrefix, ttlToleranceMs, rechecks, recheckDelay, sample,
                parallelism, scanCount, smallElements, smallBytes, report, scope);
    }

    public VerifyConfig withReport(Path file) {
        return new VerifyConfig(targetDb, sourceDbs, ignorePrefix, ttlToleranceMs, rechecks, recheckDelay, sample,
                parallelism, scanCount, smallElements, smallBytes, file, scope);
    }

    public VerifyConfig withScope(KeyScope keys) {
        return new VerifyConfig(targetDb, sourceDbs, ignorePrefix, ttlToleranceMs, rechecks, recheckDelay, sample,
                parallelism, scanCount, smallElements, smallBytes, report, keys);
    }

    public VerifyConfig withIgnorePrefix(String prefix) {
        return new VerifyConfig(targetDb, sourceDbs, prefix, ttlToleranceMs, rechecks, recheckDelay, sample,
                parallelism, scanCount, smallElements, smallBytes, report, scope);
    }
}
