package io.df2redis.translate;

/**
 * Receives every per-key report of data left out or written without something the target cannot
 * hold. The Flink layer sends them to a side output or a bounded log; counters are kept separately.
 */
@FunctionalInterface
public interface SkipListener {
    SkipListener NONE = r -> {};

    void onSkip(SkipReport report);
}
