package io.df2redis.dragonfly.session;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the master listens and how to log in. Every connection of a session (main and each flow)
 * uses the same endpoint and credentials.
 *
 * @param user ACL user, or {@code null} for {@code AUTH <password>} / no AUTH
 * @param password {@code null} when the master has no password
 */
public record DragonflyEndpoint(String host, int port, boolean tls, String user, String password) {
    public static final int DEFAULT_PORT = 6379;

    public DragonflyEndpoint {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("endpoint host is empty");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("endpoint port out of range: " + port);
        }
        if (user != null && password == null) {
            throw new IllegalArgumentException("endpoint has a user but no password");
        }
    }

    public static DragonflyEndpoint plain(String host, int port) {
        return new DragonflyEndpoint(host, port, false, null, null);
    }

    /**
     * Parses {@code redis://[[user]:password@]host[:port]}, {@code rediss://…} (TLS) or a bare
     * {@code host:port}.
     */
    public static DragonflyEndpoint parse(String uri) {
        String s = uri.trim();
        if (!s.contains("://")) {
            s = "redis://" + s;
        }
        URI u = URI.create(s);
        boolean tls;
        if ("redis".equalsIgnoreCase(u.getScheme())) {
            tls = false;
        } else if ("rediss".equalsIgnoreCase(u.getScheme())) {
            tls = true;
        } else {
            throw new IllegalArgumentException("endpoint scheme must be redis:// or rediss://, got " + uri);
        }
        String user = null;
        String password = null;
        String info = u.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            if (colon < 0) {
                password = decode(info);
            } else {
                String name = decode(info.substring(0, colon));
                user = name.isEmpty() ? null : name;
                password = decode(info.substring(colon + 1));
            }
        }
        if (u.getHost() == null) {
            throw new IllegalArgumentException("endpoint has no host: " + uri);
        }
        return new DragonflyEndpoint(u.getHost(), u.getPort() < 0 ? DEFAULT_PORT : u.getPort(), tls, user, password);
    }

    /**
     * Parses {@code redis://[user:password@]host1:port1,host2:port2,…} (the master and its replicas,
     * sharing credentials and TLS) into one endpoint per address, in order; one address as {@link
     * #parse}.
     */
    public static java.util.List<DragonflyEndpoint> parseAll(String uri) {
        String s = uri.trim();
        int scheme = s.indexOf("://");
        String prefix = scheme < 0 ? "redis://" : s.substring(0, scheme + 3);
        String rest = scheme < 0 ? s : s.substring(scheme + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? "" : authority.substring(0, at + 1);
        String hosts = authority.substring(at + 1);
        java.util.List<DragonflyEndpoint> out = new java.util.ArrayList<>();
        for (String h : hosts.split(",")) {
            if (h.isBlank()) {
                throw new IllegalArgumentException("empty address in " + uri);
            }
            out.add(parse(prefix + userInfo + h.trim()));
        }
        return java.util.List.copyOf(out);
    }

    /** The same credentials and TLS at another address (a promoted replica's). */
    public DragonflyEndpoint withAddress(String otherHost, int otherPort) {
        return new DragonflyEndpoint(otherHost, otherPort, tls, user, password);
    }

    public boolean needsAuth() {
        return password != null;
    }

    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + (user != null ? user + ":***@" : password != null ? ":***@" : "")
                + host + ":" + port;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
