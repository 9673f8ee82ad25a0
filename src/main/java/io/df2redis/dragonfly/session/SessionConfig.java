package io.df2redis.dragonfly.session;

import java.time.Duration;

/**
 * How the session controller greets the master.
 *
 * @param listeningPort value of {@code REPLCONF listening-port} (cosmetic: shown in the master's
 *     {@code INFO replication})
 * @param clientId sent as {@code REPLCONF CLIENT-ID} after {@code capa dragonfly}; {@code null} = not sent
 * @param maxClientVersion cap of the protocol level echoed with {@code REPLCONF CLIENT-VERSION}
 * @param loadingBackoffInitial first wait after a {@code -LOADING} reply; doubled up to {@code loadingBackoffMax}
 * @param loadingTimeout give up (with the LOADING error) when the master is still loading after this
 */
public record SessionConfig(
        ConnectConfig connect,
        int listeningPort,
        String clientId,
        int maxClientVersion,
        Duration loadingBackoffInitial,
        Duration loadingBackoffMax,
        Duration loadingTimeout) {

    public SessionConfig {
        if (connect == null) {
            throw new IllegalArgumentException("connect config is null");
        }
        if (listeningPort < 0 || listeningPort > 65535) {
            throw new IllegalArgumentException("listeningPort out of range: " + listeningPort);
        }
        if (maxClientVersion < 1) {
            throw new IllegalArgumentException("maxClientVersion must be >= 1");
        }
        ConnectConfig.requirePositive(loadingBackoffInitial, "loadingBackoffInitial");
        ConnectConfig.requirePositive(loadingBackoffMax, "loadingBackoffMax");
        ConnectConfig.requirePositive(loadingTimeout, "loadingTimeout");
    }

    public static SessionConfig defaults() {
        return new SessionConfig(
                ConnectConfig.defaults(), 0, null, 5, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMinutes(10));
    }

    public SessionConfig withConnect(ConnectConfig c) {
        return new SessionConfig(c, listeningPort, clientId, maxClientVersion, loadingBackoffInitial, loadingBackoffMax, loadingTimeout);
    }

    public SessionConfig withClientId(String id) {
        return new SessionConfig(connect, listeningPort, id, maxClientVersion, loadingBackoffInitial, loadingBackoffMax, loadingTimeout);
    }

    public SessionConfig withLoading(Duration initial, Duration max, Duration timeout) {
        return new SessionConfig(connect, listeningPort, clientId, maxClientVersion, initial, max, timeout);
    }
}
