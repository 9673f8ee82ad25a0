package io.df2redis.testing.dragonfly;

import io.df2redis.dragonfly.session.DragonflyEndpoint;

/** A running real Dragonfly master for a test: a local process or a container. */
public interface RealMaster extends AutoCloseable {
    DragonflyEndpoint endpoint();

    @Override
    void close();
}
