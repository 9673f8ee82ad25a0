package io.df2redis.testing.dfsim;

/**
 * Something a client did that a real master forbids or that DESIGN §3 rules out.
 *
 * @param crashing a real v1.40 master crashes on it (the simulator then drops every connection and
 *     refuses new ones)
 */
public record Violation(String what, boolean crashing) {
    @Override
    public String toString() {
        return (crashing ? "[CRASH] " : "") + what;
    }
}
