package io.df2redis.dragonfly.session;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the Dragonfly master among the addresses of {@code source.url} (the master and its
 * replicas): the one whose {@code INFO} says Dragonfly and {@code role:master}. After a failover an
 * operator or an orchestrator promotes a replica; until one is the master this waits, asking every
 * address again, up to a bounded time, then fails saying what each address is.
 */
public final class MasterLocator {
    private static final Logger LOG = LoggerFactory.getLogger(MasterLocator.class);
    private static final long POLL_MS = 500;

    private MasterLocator() {}

    public static DragonflyEndpoint find(List<DragonflyEndpoint> addresses, ConnectConfig connect, Duration wait)
            throws IOException, InterruptedException {
        if (addresses.size() == 1) {
            return addresses.get(0); // nothing to choose: the session handshake tells what it is
        }
        long end = System.nanoTime() + wait.toNanos();
        boolean logged = false;
        while (true) {
            List<String> seen = new ArrayList<>();
            for (DragonflyEndpoint a : addresses) {
                try (MasterConnection c = MasterConnection.open(a, connect, "locate")) {
                    SourceIdentity id = SourceIdentity.read(c);
                    if (id.dragonflyVersion() != null && "master".equalsIgnoreCase(id.role())) {
                        return a;
                    }
                    seen.add(a + ": " + (id.dragonflyVersion() == null ? "not a Dragonfly"
                            : id.replica() ? "a replica of " + id.masterHost() + ":" + id.masterPort() : "role " + id.role()));
                } catch (IOException | RuntimeException e) {
                    seen.add(a + ": " + e.getMessage());
                }
            }
            if (System.nanoTime() - end > 0) {
                throw new IOException("no Dragonfly master among the source addresses within " + wait.toSeconds() + " s ("
                        + String.join("; ", seen) + "); promote a replica (REPLICAOF NO ONE) or check --source.url");
            }
            if (!logged) {
                LOG.info("no Dragonfly master among {} yet ({}); waiting up to {} s for one to be promoted", addresses,
                        String.join("; ", seen), wait.toSeconds());
                logged = true;
            }
            Thread.sleep(POLL_MS);
        }
    }
}
