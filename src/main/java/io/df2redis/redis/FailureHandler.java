package io.df2redis.redis;

import java.util.function.Consumer;

/**
 * Decides what a failure does to the writer. Called on a writer thread: return quickly, do not call
 * back into the writer. Whatever the decision, the failure is counted in {@link WriterMetrics}.
 *
 * <p>{@link Decision#FAIL} puts the writer in the failed state: the next and every later
 * {@link RedisWriter#submit}, {@link RedisWriter#flush} throws an exception carrying the first
 * failure ({@link CommandFailedException} or {@link PossibleLossException}); only
 * {@link RedisWriter#close} still works. {@link Decision#CONTINUE} lets the writer go on (the
 * handler has reported the failure, e.g. logged it per key or counted it in a metric).
 */
public interface FailureHandler {

    enum Decision { FAIL, CONTINUE }

    /** A command was refused or could not be delivered; it is not retried. */
    Decision onCommandFailure(CommandFailure failure);

    /** A node lost writes it may have acknowledged (see {@link PossibleLoss}). Default: fail. */
    default Decision onPossibleLoss(PossibleLoss loss) {
        return Decision.FAIL;
    }

    /** The default: any failure fails the writer. */
    static FailureHandler failFast() {
        return f -> Decision.FAIL;
    }

    /** Reports each failure to {@code sink} and goes on; possible losses still fail the writer. */
    static FailureHandler reportAndContinue(Consumer<CommandFailure> sink) {
        return f -> {
            sink.accept(f);
            return Decision.CONTINUE;
        };
    }
}
