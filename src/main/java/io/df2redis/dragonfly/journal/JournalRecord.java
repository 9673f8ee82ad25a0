package io.df2redis.dragonfly.journal;

import java.util.List;

/**
 * One journal record as read from the wire.
 *
 * @param value SELECT: the db; LSN: the LSN carried; otherwise 0
 * @param txid COMMAND / EXPIRED / MULTI_COMMAND / EXEC: the transaction id (0 for single-shard
 *     commands: not an id)
 * @param args COMMAND / EXPIRED / MULTI_COMMAND: command name first, then its arguments; else empty
 */
public record JournalRecord(JournalOp op, long value, long txid, long shardCnt, List<byte[]> args) {}
