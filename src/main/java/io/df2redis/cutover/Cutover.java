package io.df2redis.cutover;

import io.df2redis.dragonfly.session.ConnectConfig;
import io.df2redis.dragonfly.session.DragonflyEndpoint;
import io.df2redis.dragonfly.session.SourceControl;
import io.df2redis.redis.KeyspaceClient;
import io.df2redis.redis.RedisTarget;
import io.df2redis.redis.RedisWriter;
import io.df2redis.translate.ObjectTranslator;
import io.df2redis.verify.Difference;
import io.df2redis.verify.Verifier;
import io.df2redis.verify.VerifyConfig;
import io.df2redis.verify.VerifyReport;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cut-over procedure (README "Cut-over"): pause writes, wait for the job, check and repair,
 * report. On any failure the source is un-paused before the error is reported.
 */
public final class Cutover {
    private static final Logger LOG = LoggerFactory.getLogger(Cutover.class);
    /** Repaired keys printed one per line; more are counted (and written to the report file, if any). */
    static final int KEY_LINES = 100;

    /**
     * @param writePause how long {@code CLIENT PAUSE} holds client writes on the source
     * @param catchUpTimeout how long the job may take to acknowledge everything written before the pause
     */
    /**
     * @param takeover instead of pausing, ask the running job for {@code DFLY TAKEOVER} (the source
     *     shuts down once the job has everything; nothing is left to check against)
     * @param takeoverKey the source key the job watches for that request
     */
    public record Settings(DragonflyEndpoint source, ConnectConfig connect, RedisTarget sourceAsRespServer, RedisTarget target,
            VerifyConfig verify, Duration writePause, Duration catchUpTimeout, boolean takeover, byte[] takeoverKey) {}

    /** Why the cut-over stopped; the source was un-paused. */
    public static final class CutoverFailedException extends Exception {
        CutoverFailedException(String message) {
            super(message);
        }
    }

    /**
     * The takeover form: writes the request on the source; the job's readers see it in the journal
     * and the job issues {@code DFLY TAKEOVER}; the master then waits for the job's ACKs, hands over
     * and shuts down. Success is the source going away within the limit.
     */
    private Result takeover(SourceControl source) throws CutoverFailedException, IOException, InterruptedException {
        String token = java.util.UUID.randomUUID().toString();
        long start = System.nanoTime();
        Duration limit = settings.catchUpTimeout().plusSeconds(15);
        source.set(settings.takeoverKey(), token, limit.plusSeconds(60));
        LOG.info("cut-over: asked the job for DFLY TAKEOVER (request {}); waiting up to {} s for the source to hand over",
                token, limit.toSeconds());
        while (System.nanoTime() - start < limit.toNanos()) {
            if (!source.answers()) {
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                return new Result(0, List.of(), new long[0], Instant.now(), Instant.now(), took, true);
            }
            Thread.sleep(100);
        }
        source.del(settings.takeoverKey());
        throw new CutoverFailedException("the source did not hand over within " + limit.toSeconds() + " s: is the job running"
                + " and in stable sync? Its log says why a DFLY TAKEOVER failed");
    }

    /** What a successful cut-over did. */
    public record Result(long keysChecked, List<Difference> repaired, long[] lsns, Instant pausedAt, Instant pausedUntil,
            Duration pausedSoFar, boolean tookOver) {
        public String summary() {
            if (tookOver) {
                return "READY: the source handed over to the job (DFLY TAKEOVER) and shut down after the job had applied"
                        + " every write it took; switch your clients to the target now (" + pausedSoFar.toMillis() + " ms)";
            }
            Map<Difference.Kind, Integer> kinds = new EnumMap<>(Difference.Kind.class);
            for (Difference d : repaired) {
                kinds.merge(d.kind(), 1, Integer::sum);
            }
            StringBuilder byKind = new StringBuilder();
            kinds.forEach((k, n) -> byKind.append(byKind.length() == 0 ? " (" : ", ").append(k.label()).append(' ').append(n));
            if (byKind.length() > 0) {
                byKind.append(')');
            }
            return "READY: switch your clients to the target now; writes on the source stay paused until "
                    + pausedUntil.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "; " + keysChecked + " keys checked, "
                    + repaired.size() + " repaired" + byKind + "; flows at LSN " + Arrays.toString(lsns) + "; writes paused for "
                    + pausedSoFar.toMillis() + " ms so far";
        }
    }

    private final Settings settings;
    private final Supplier<ObjectTranslator> translation;

    /** @param translation the job's translation, built for the target's capabilities, for the repairs */
    public Cutover(Settings settings, Supplier<ObjectTranslator> translation) {
        this.settings = settings;
        this.translation = translation;
    }

    /** @param out where each repaired key is printed */
    public Result run(PrintStream out, RedisWriter writer) throws CutoverFailedException, IOException, InterruptedException {
        try (SourceControl source = SourceControl.open(settings.source(), settings.connect())) {
            String notAMaster = source.identity().problem(settings.source());
            if (notAMaster != null) {
                throw new CutoverFailedException(notAMaster);
            }
            int replicas = source.connectedReplicas();
            if (replicas == 0) {
                throw new CutoverFailedException("no replica is connected to the source " + settings.source()
                        + ": the df2redis job is not running (nothing was paused)");
            }
            if (settings.takeover()) {
                return takeover(source);
            }
            long pausedNanos = System.nanoTime();
            Instant pausedAt = Instant.now();
            source.pauseWrites(settings.writePause());
            LOG.info("cut-over: writes on {} paused for {} s; waiting for {} replica(s) to acknowledge everything", settings.source(),
                    settings.writePause().toSeconds(), replicas);
            try {
                long acked = source.waitForReplicas(replicas, settings.catchUpTimeout());
                if (acked < replicas) {
                    throw new CutoverFailedException("the job has not caught up: within " + settings.catchUpTimeout().toSeconds()
                            + " s only " + acked + " of the " + replicas + " connected replicas acknowledged every write"
                            + " (is the job running and healthy? --cutover.catch-up-timeout)");
                }
                long[] lsns = source.offsets();
                Verifier.Result check = new Verifier(settings.sourceAsRespServer(), settings.target(),
                        settings.verify().withRechecks(0, Duration.ZERO)).run();
                List<Difference> repaired = new ArrayList<>();
                List<String> failed = new ArrayList<>();
                try (KeyspaceClient sourceReads = KeyspaceClient.open(settings.sourceAsRespServer())) {
                    Repair repair = new Repair(sourceReads, writer, translation.get(), settings.verify());
                    for (Difference d : check.differences()) {
                        String why = repair.repair(d);
                        if (why == null) {
                            repaired.add(d);
                            if (repaired.size() <= KEY_LINES) {
                                out.println("repaired: db " + d.db() + " key " + VerifyReport.printable(d.key()) + " (" + d.kind().label() + ")");
                            }
                        } else {
                            failed.add("db " + d.db() + " key " + VerifyReport.printable(d.key()) + ": " + why);
                        }
                    }
                    repair.flush();
                }
                if (repaired.size() > KEY_LINES) {
                    out.println("repaired: … and " + (repaired.size() - KEY_LINES) + " more keys");
                }
                if (!failed.isEmpty()) {
                    throw new CutoverFailedException(failed.size() + " keys differ and could not be repaired, first: " + failed.get(0));
                }
                // The repairs took: the keys are checked once more (the writes were acknowledged above).
                List<Difference> still = repaired.isEmpty() ? List.of()
                        : new Verifier(settings.sourceAsRespServer(), settings.target(), settings.verify()).stillDifferent(repaired);
                if (!still.isEmpty()) {
                    throw new CutoverFailedException(still.size() + " repaired keys still differ, first: db " + still.get(0).db()
                            + " key " + VerifyReport.printable(still.get(0).key()) + " (" + still.get(0).kind().label() + ")");
                }
                Duration paused = Duration.ofNanos(System.nanoTime() - pausedNanos);
                if (paused.compareTo(settings.writePause()) >= 0) {
                    throw new CutoverFailedException("the check took " + paused.toMillis() + " ms, longer than the write pause ("
                            + settings.writePause().toMillis() + " ms): writes may have resumed; raise --cutover.write-pause");
                }
                return new Result(check.compared(), repaired, lsns, pausedAt, pausedAt.plus(settings.writePause()), paused, false);
            } catch (CutoverFailedException | IOException | InterruptedException | RuntimeException e) {
                try {
                    source.unpause();
                    LOG.info("cut-over failed, writes on {} un-paused: {}", settings.source(), e.getMessage());
                } catch (IOException unpause) {
                    e.addSuppressed(unpause);
                }
                throw e;
            }
        }
    }
}
