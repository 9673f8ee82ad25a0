package io.df2redis.testing.dragonfly;

import io.df2redis.dragonfly.session.DragonflyEndpoint;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A Dragonfly master in Docker (Testcontainers), for machines that have a Docker engine. Tests
 * using it must first check {@link #dockerAvailable()} and skip otherwise; the simulator and
 * {@link DragonflyProcess} cover the same behaviour without Docker.
 */
public final class DragonflyContainer implements RealMaster {
    public static final String IMAGE = "docker.dragonflydb.io/dragonflydb/dragonfly:latest";

    private final GenericContainer<?> container;

    private DragonflyContainer(GenericContainer<?> container) {
        this.container = container;
    }

    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    public static DragonflyContainer start(int threads) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withCommand("--proactor_threads=" + threads, "--version_check=false", "--dbfilename=")
                .withExposedPorts(6379)
                .waitingFor(Wait.forListeningPort());
        c.start();
        return new DragonflyContainer(c);
    }

    public DragonflyEndpoint endpoint() {
        return DragonflyEndpoint.plain(container.getHost(), container.getMappedPort(6379));
    }

    @Override
    public void close() {
        container.stop();
    }
}
