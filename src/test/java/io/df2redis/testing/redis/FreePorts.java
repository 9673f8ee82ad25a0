package io.df2redis.testing.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1. A port found free may be taken by someone else before the server
 * binds it: {@link RedisServerProcess} retries on another port when that happens.
 */
public final class FreePorts {
    private FreePorts() {}

    /** A free loopback port. */
    public static int loopback() {
        return pick(false);
    }

    /** A free loopback port {@code p} with {@code p + 10000} free too (a cluster node's bus port). */
    public static int withClusterBus() {
        return pick(true);
    }

    private static int pick(boolean bus) {
        for (int i = 0; i < 1000; i++) {
            int p = ThreadLocalRandom.current().nextInt(20000, 45000);
            if (free(p) && (!bus || free(p + 10000))) {
                return p;
            }
        }
        throw new IllegalStateException("no free loopback port found");
    }

    static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
