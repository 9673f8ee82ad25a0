package io.df2redis.flink.job;

import io.df2redis.redis.RedisWriter;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full-sync target policy (DESIGN §6), applied once when a job is submitted (not when it
 * resumes from a savepoint, nor when main() runs again for a job it already prepared):
 * {@code fail-if-not-empty} refuses a target that holds keys, {@code flush} empties it,
 * {@code overwrite} writes over what is there.
 */
public final class TargetPreparation {
    private static final Logger LOG = LoggerFactory.getLogger(TargetPreparation.class);

    private TargetPreparation() {}

    /** Settings the probed target cannot honour (transcoding without a module, dbs on a cluster…) fail now. */
    static void checkTranslation(JobSettings settings, RedisWriter w) {
        io.df2redis.redis.TargetCapabilities caps = w.capabilities();
        io.df2redis.translate.TargetProfile profile = WriterSettings.profile(caps);
        try {
            TranslateSettings.translateConfig(settings).validate(profile);
        } catch (InvalidSettingException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(e.getMessage().split("[=:]", 2)[0].trim(), e.getMessage());
        }
    }

    private static RedisWriter openTarget(JobSettings settings) throws java.io.IOException {
        try {
            return RedisWriter.open(WriterSettings.target(settings), WriterSettings.writerConfig(settings, null));
        } catch (java.io.IOException e) {
            throw new java.io.IOException("cannot reach the target " + WriterSettings.describe(settings) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies the policy, unless the target already carries the {@link TargetMarker} naming this
     * job's fixed id.
     *
     * @param fixedJobId the job id Flink fixes in application mode (Kubernetes operator, standalone
     *     application clusters), where a JobManager failover runs main() again for a job that then
     *     resumes from its checkpoint: applying {@code flush} then would wipe what it already wrote,
     *     and {@code fail-if-not-empty} would refuse its own target. Such jobs mark the target.
     */
    public static void apply(JobSettings settings, Optional<String> fixedJobId) throws java.io.IOException {
        Df2RedisOptions.TargetPolicy policy = settings.get(Df2RedisOptions.FULL_SYNC_TARGET_POLICY);
        try (RedisWriter w = openTarget(settings)) {
            checkTranslation(settings, w);
            if (policy == Df2RedisOptions.TargetPolicy.OVERWRITE) {
                LOG.info("target policy overwrite: keys already in the target stay unless the source overwrites them");
                return;
            }
            if (fixedJobId.isPresent() && fixedJobId.get().equals(TargetMarker.read(w))) {
                LOG.info("job {} prepared this target before (main() runs again after a JobManager failover): "
                        + "target policy {} not applied again", fixedJobId.get(), policy);
                return;
            }
            if (policy == Df2RedisOptions.TargetPolicy.FLUSH) {
                w.flushAll();
                LOG.info("target policy flush: FLUSHALL done on every primary of {}", WriterSettings.describe(settings));
            } else {
                Map<String, Long> keys = w.keyCounts();
                long total = keys.values().stream().mapToLong(Long::longValue).sum();
                if (total > 0) {
                    throw new InvalidSettingException(Df2RedisOptions.FULL_SYNC_TARGET_POLICY.key(),
                            "the target " + WriterSettings.describe(settings) + " is not empty (" + keys
                                    + "); choose flush to empty it first or overwrite to write over it");
                }
            }
            if (fixedJobId.isPresent()) {
                TargetMarker.write(w, fixedJobId.get());
                LOG.info("target marked as prepared for job {} ({})", fixedJobId.get(), TargetMarker.KEY);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while preparing the target");
        }
    }
}
