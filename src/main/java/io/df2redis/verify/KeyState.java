package io.df2redis.verify;

/**
 * One side's view of a key: its type as {@code TYPE} names it ({@code none} when absent), its
 * absolute expiry in ms ({@code -1}: none), and its size (length, cardinality or entries; {@code
 * -1} when not read).
 */
public record KeyState(String type, long expireAtMs, long size) {
    public static final KeyState ABSENT = new KeyState("none", -1, -1);

    public boolean exists() {
        return !type.equals("none");
    }

    KeyState withSize(long n) {
        return new KeyState(type, expireAtMs, n);
    }
}
