/**
 * Test support for everyone: the recorded Dragonfly replication sessions and published RDB files of
 * {@code ../shared/testdata}, loaded into plain Java values.
 *
 * <ul>
 *   <li>{@link io.df2redis.testing.recordings.SharedTestData}: where {@code ../shared} is (system
 *       property {@code df2redis.shared.dir}, set by surefire, else {@code ../shared}).
 *   <li>{@link io.df2redis.testing.recordings.Recordings#all()}: every recording, including the
 *       sessions of {@code partial-sync}; {@link io.df2redis.testing.recordings.Recording} gives a
 *       recording's {@code meta.json}, flow bytes, reference journal ({@code journal-<i>.txt} as
 *       {@link io.df2redis.testing.recordings.JournalLine}s), reference decoding
 *       ({@link io.df2redis.testing.recordings.FlowListing}) and dumps
 *       ({@link io.df2redis.testing.recordings.DatasetRow}).
 *   <li>{@link io.df2redis.testing.recordings.Datasets}: the README's comparison rules (expired keys
 *       relative to an injected "now", zset scores as doubles, expiry tolerance) and a readable diff.
 *   <li>{@link io.df2redis.testing.recordings.Bytes}: byte strings with value equality, used by all
 *       of the above so rows compare with {@code equals}.
 * </ul>
 */
package io.df2redis.testing.recordings;
