package io.df2redis.dragonfly.session;

import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Socket settings shared by the main connection and the flows.
 *
 * @param connectTimeout TCP connect (and TLS handshake) timeout; Dragonfly's replica uses 20 s
 * @param replyTimeout how long a control command may wait for its reply
 * @param sslContext TLS context for {@code rediss://}; {@code null} = the JVM default
 * @param verifyHostname check the master's certificate against the host name (TLS only)
 */
public record ConnectConfig(Duration connectTimeout, Duration replyTimeout, SSLContext sslContext, boolean verifyHostname) {

    public ConnectConfig {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(replyTimeout, "replyTimeout");
    }

    public static ConnectConfig defaults() {
        return new ConnectConfig(Duration.ofSeconds(20), Duration.ofSeconds(60), null, true);
    }

    public ConnectConfig withConnectTimeout(Duration d) {
        return new ConnectConfig(d, replyTimeout, sslContext, verifyHostname);
    }

    public ConnectConfig withReplyTimeout(Duration d) {
        return new ConnectConfig(connectTimeout, d, sslContext, verifyHostname);
    }

    public ConnectConfig withTls(SSLContext context, boolean verifyHost) {
        return new ConnectConfig(connectTimeout, replyTimeout, context, verifyHost);
    }

    static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
