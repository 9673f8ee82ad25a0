/**
 * Dragonfly objects and journal commands → Redis commands (DESIGN §2, §5). Plain Java: no sockets,
 * no Flink; the {@code flink} package drives it.
 *
 * <h2>Before the shuffle (in the source, one instance per flow)</h2>
 *
 * {@link io.df2redis.translate.JournalSplitter#split} turns each journal command into {@link
 * io.df2redis.translate.SlotCommand}s the job keys by slot: keys found with {@link
 * io.df2redis.translate.CommandTable}; stray writes (a key the flow's Dragonfly shard does not own,
 * {@link io.df2redis.translate.DragonflySharding}) and ignored dbs dropped; DEL/UNLINK/MSET/MSETNX
 * cut per slot; RENAME/RENAMENX/COPY with keys in two slots sent to both slots; other cross-slot
 * commands skipped or failed by policy. Snapshot objects need no splitting: one key, one slot.
 *
 * <h2>After the shuffle (in the sink, per slot, in arrival order)</h2>
 *
 * {@link io.df2redis.translate.SlotApplier} takes snapshot objects, object parts, split journal
 * commands and global commands and hands {@link io.df2redis.redis.RedisCommand}s to a {@link
 * io.df2redis.translate.TargetIo} (the writer). Inside: {@link io.df2redis.translate.ObjectTranslator}
 * (RESTORE of the stream's own bytes or native batches, expiry, Dragonfly-only types), {@link
 * io.df2redis.translate.JournalTranslator} (pass-through or rewrite, protocol doc §7.6), {@link
 * io.df2redis.translate.GlobalTranslator} (FLUSHALL/FLUSHDB under the db mapping) and the cross-slot
 * moves of {@link io.df2redis.translate.CrossSlotMove} (staging key, parked slot, non-blocking
 * {@link io.df2redis.translate.SlotApplier#poll()}; the design and why it cannot deadlock are in
 * that class's documentation). Held records are checkpointable ({@link
 * io.df2redis.translate.SlotApplier#snapshotState(long)}).
 *
 * <h2>Configuration, target, outcomes</h2>
 *
 * {@link io.df2redis.translate.TranslateConfig} (db mapping, per-family policies for Dragonfly-only
 * data, snapshot write mode, batch sizes, limits), checked against the probed {@link
 * io.df2redis.translate.TargetProfile}. Everything dropped, rewritten or skipped is counted in
 * {@link io.df2redis.translate.TranslationCounters} and, per key, reported to a {@link
 * io.df2redis.translate.SkipListener}; what must not be written is a typed {@link
 * io.df2redis.translate.TranslationException} naming db, key and reason.
 */
package io.df2redis.translate;
