package io.df2redis.dragonfly.session;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The master's release, from {@code INFO SERVER dragonfly_version} (e.g. {@code
 * df-v1.40.0-87-gf8eca6d0b}). The protocol level integer of the handshake is ambiguous (4 means
 * 1.16–1.21 or 1.30–1.36), so features are gated on this instead (protocol doc §3.1, §9).
 */
public record MasterVersion(int major, int minor, int patch, String text) implements Comparable<MasterVersion> {
    private static final Pattern VERSION = Pattern.compile("(?:df-)?v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** Oldest release this client supports: no MULTI/EXEC opcodes, ACKs every second. */
    public static final MasterVersion OLDEST_SUPPORTED = new MasterVersion(1, 21, 0, "v1.21.0");

    /** @return the version, or {@code null} when {@code text} names none */
    public static MasterVersion parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = VERSION.matcher(text.trim());
        if (!m.lookingAt()) {
            return null;
        }
        return new MasterVersion(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)),
                text.trim());
    }

    public boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    /**
     * {@code DFLY FLOW … <lsn>} may be sent: partial sync was disabled in the master from v1.21 to
     * v1.30 and used a different procedure before; only v1.31+ does what this client expects.
     */
    public boolean supportsPartialSync() {
        return atLeast(1, 31);
    }

    /**
     * A promoted replica grants PARTIAL to the failover form of {@code DFLY FLOW} (last master id and
     * LSN vector; VER5, v1.30+); partial sync itself works from v1.31.
     */
    public boolean supportsFailoverPartialSync() {
        return atLeast(1, 31);
    }

    /** Every stable journal carries LSN opcodes whatever the client version (v1.30+). */
    public boolean alwaysSendsLsnOpcodes() {
        return atLeast(1, 30);
    }

    @Override
    public int compareTo(MasterVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return text;
    }
}
