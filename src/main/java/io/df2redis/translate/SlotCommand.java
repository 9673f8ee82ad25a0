package io.df2redis.translate;

import java.util.List;

/**
 * A journal command (or its slice) that touches a single Redis slot, as the splitter hands it to
 * the shuffle: the job keys it by {@code slot}, and the sink translates it there, in arrival order.
 * A cross-slot RENAME/RENAMENX/COPY yields two of these with the same {@code args}: one keyed by
 * the source key's slot, one by the destination's ({@link CrossSlotMove}).
 *
 * @param db source database (mapped after the shuffle)
 * @param key the key this unit is routed by (the source key, or the destination for the second half of a move)
 * @param args command name first
 */
public record SlotCommand(int db, int slot, byte[] key, List<byte[]> args) {}
