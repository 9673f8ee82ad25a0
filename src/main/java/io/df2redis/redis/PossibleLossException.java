package io.df2redis.redis;

/** A node may have lost writes it acknowledged (see {@link PossibleLoss}). */
public class PossibleLossException extends RedisWriteException {
    /** Not serialized: Flink ships a task's failure to the JobManager, which needs only the message. */
    private final transient PossibleLoss loss;

    public PossibleLossException(PossibleLoss loss) {
        super(loss.toString());
        this.loss = loss;
    }

    public PossibleLoss loss() {
        return loss;
    }
}
