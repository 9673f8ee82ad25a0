package io.df2redis.dragonfly.flow;

/** Told at once, on the drain thread, when a flow fails (the consumer learns it later, in order). */
@FunctionalInterface
public interface FlowListener {
    void onFlowFailed(int flow, FlowLostException cause);

    FlowListener NONE = (flow, cause) -> {};
}
