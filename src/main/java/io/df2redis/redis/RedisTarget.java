package io.df2redis.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Where to write and how to log in: {@code redis://[user:password@]host[:port]} or {@code rediss://…}
 * for TLS ({@code redis://:password@host:port} for the default user). Whether the target is a
 * cluster is detected at connect time unless {@link Mode} says otherwise.
 */
public final class RedisTarget {

    /** Standalone or cluster; {@link #AUTO} asks the server ({@code INFO cluster}). */
    public enum Mode { AUTO, STANDALONE, CLUSTER }

    private final NodeAddress seed;
    private final String user;
    private final String password;
    private final TlsOptions tls;
    private final Mode mode;
    private final Duration connectTimeout;
    private final Duration replyTimeout;
    private final String clientName;

    private RedisTarget(NodeAddress seed, String user, String password, TlsOptions tls, Mode mode,
            Duration connectTimeout, Duration replyTimeout, String clientName) {
        this.seed = seed;
        this.user = user;
        this.password = password;
        this.tls = tls;
        this.mode = mode;
        this.connectTimeout = connectTimeout;
        this.replyTimeout = replyTimeout;
        this.clientName = clientName;
    }

    /**
     * Parses a target URL. A {@code rediss://} URL gets {@link TlsOptions#systemDefault()} until
     * {@link #withTls} sets a CA file or trust store.
     */
    public static RedisTarget parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad target URL '" + redact(url) + "': " + e.getMessage(), e);
        }
        String scheme = uri.getScheme();
        boolean tls;
        if ("redis".equalsIgnoreCase(scheme)) {
            tls = false;
        } else if ("rediss".equalsIgnoreCase(scheme)) {
            tls = true;
        } else {
            throw new IllegalArgumentException("target URL must start with redis:// or rediss://: '" + redact(url) + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("target URL has no host: '" + redact(url) + "'");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("target URL has a path (databases come with each command): '" + redact(url) + "'");
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            if (colon < 0) {
                password = decode(info); // redis://password@host, as redis-cli -u accepts
            } else {
                String u = decode(info.substring(0, colon));
                user = u.isEmpty() ? null : u;
                password = decode(info.substring(colon + 1));
            }
        }
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        return new RedisTarget(new NodeAddress(uri.getHost(), port), user, password,
                tls ? TlsOptions.systemDefault() : null, Mode.AUTO,
                Duration.ofSeconds(5), Duration.ofSeconds(60), "df2redis");
    }

    public RedisTarget withTls(TlsOptions tlsOptions) {
        return new RedisTarget(seed, user, password, Objects.requireNonNull(tlsOptions), mode, connectTimeout, replyTimeout, clientName);
    }

    public RedisTarget withMode(Mode m) {
        return new RedisTarget(seed, user, password, tls, Objects.requireNonNull(m), connectTimeout, replyTimeout, clientName);
    }

    public RedisTarget withConnectTimeout(Duration d) {
        return new RedisTarget(seed, user, password, tls, mode, d, replyTimeout, clientName);
    }

    /** How long a connection may wait for a reply before it is considered lost (default 60 s). */
    public RedisTarget withReplyTimeout(Duration d) {
        return new RedisTarget(seed, user, password, tls, mode, connectTimeout, d, clientName);
    }

    public RedisTarget withClientName(String name) {
        return new RedisTarget(seed, user, password, tls, mode, connectTimeout, replyTimeout, name);
    }

    public NodeAddress seed() {
        return seed;
    }

    public String user() {
        return user;
    }

    String password() {
        return password;
    }

    public boolean tlsEnabled() {
        return tls != null;
    }

    public TlsOptions tls() {
        return tls;
    }

    public Mode mode() {
        return mode;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration replyTimeout() {
        return replyTimeout;
    }

    public String clientName() {
        return clientName;
    }

    /** The URL without the password. */
    @Override
    public String toString() {
        return (tls != null ? "rediss://" : "redis://") + (user != null ? user + "@" : password != null ? ":***@" : "") + seed;
    }

    private static String decode(String s) {
        // Percent-decoding only: a '+' in a password is a plus, not a space.
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String redact(String url) {
        int start = url.indexOf("//");
        if (start < 0) {
            return url;
        }
        int end = url.indexOf('/', start + 2);
        int at = url.lastIndexOf('@', end < 0 ? url.length() : end);
        return at > start ? url.substring(0, start + 2) + "***" + url.substring(at) : url;
    }
}
