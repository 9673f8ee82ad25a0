package io.df2redis.flink.source.reader;

import io.df2redis.dragonfly.event.FlowEvent;
import java.io.Serializable;
import java.util.List;

/**
 * Before the shuffle: turns one journal command of a flow into single-slot pieces (multi-key
 * commands split per slot, cross-slot renames into their two halves) and drops stray writes (keys
 * the flow's shard does not own). Returns an empty list for a dropped command.
 */
public interface JournalRouter extends Serializable {
    List<RoutedCommand> route(int flow, int numFlows, FlowEvent.JournalCommand command);
}
