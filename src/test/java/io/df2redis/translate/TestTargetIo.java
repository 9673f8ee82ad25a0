package io.df2redis.translate;

/** A {@link TargetIo} a test can drain (everything submitted applied) and close. */
interface TestTargetIo extends TargetIo, AutoCloseable {
    /** Returns once everything submitted so far is applied on the target. */
    void drain();

    @Override
    void close();
}
