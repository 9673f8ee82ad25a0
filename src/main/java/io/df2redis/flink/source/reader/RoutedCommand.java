package io.df2redis.flink.source.reader;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.flink.record.ReplicationRecord;

/** One single-slot piece of a journal command, ready to become a record. */
public record RoutedCommand(int slot, ReplicationRecord.Kind kind, FlowEvent.JournalCommand command) {}
