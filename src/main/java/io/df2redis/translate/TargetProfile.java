package io.df2redis.translate;

import io.df2redis.dragonfly.rdb.RdbType;
import java.util.Locale;
import java.util.Set;

/**
 * What the target Redis can hold, as the writer's capability probe found it. The translation
 * chooses per type and per command from this (DESIGN §5): RESTORE only for encodings the target's
 * RDB version knows, hash-field TTLs only from 7.4, module commands only with the module loaded.
 *
 * @param version the target's {@code redis_version} as {major, minor, patch}
 * @param rdbVersion the highest RDB version RESTORE accepts (Redis 7.0: 10, 7.2: 11, 7.4: 12)
 * @param cluster whether the target is a Redis Cluster (only db 0, one slot per multi-key command)
 * @param modules lower-case module names loaded on the target ({@code rejson}, {@code bf}, …)
 */
public record TargetProfile(int[] version, int rdbVersion, boolean cluster, Set<String> modules) {

    public TargetProfile {
        if (version.length != 3) {
            throw new IllegalArgumentException("version must be {major, minor, patch}");
        }
        version = version.clone();
        modules = Set.copyOf(modules.stream().map(m -> m.toLowerCase(Locale.ROOT)).toList());
    }

    @Override
    public int[] version() {
        return version.clone();
    }

    /** Debian's redis-server 7.0 (RDB 10), standalone, no modules. */
    public static TargetProfile redis70(boolean cluster) {
        return new TargetProfile(new int[] {7, 0, 15}, 10, cluster, Set.of());
    }

    public static TargetProfile of(String version, int rdbVersion, boolean cluster, Set<String> modules) {
        String[] p = version.split("\\.");
        int[] v = new int[3];
        for (int i = 0; i < 3 && i < p.length; i++) {
            v[i] = Integer.parseInt(p[i].replaceAll("[^0-9].*$", ""));
        }
        return new TargetProfile(v, rdbVersion, cluster, modules);
    }

    public boolean atLeast(int major, int minor) {
        return version[0] > major || (version[0] == major && version[1] >= minor);
    }

    /** HEXPIRE / HPEXPIREAT and friends: Redis 7.4. */
    public boolean hashFieldTtl() {
        return atLeast(7, 4);
    }

    /** PEXPIRETIME: Redis 7.0. */
    public boolean pexpiretime() {
        return atLeast(7, 0);
    }

    public boolean hasModule(String name) {
        return modules.contains(name.toLowerCase(Locale.ROOT));
    }

    /** RedisJSON (module name {@code ReJSON}). */
    public boolean json() {
        return hasModule("rejson");
    }

    /**
     * Whether RESTORE on this target accepts a payload of this encoding: the type must be a Redis
     * type and exist in the target's RDB version (16–19 arrived with RDB 10, 20 and 21 with 11).
     */
    public boolean restores(RdbType type) {
        int id = type.redisTypeId();
        if (id < 0 || type.kind() == RdbType.Kind.MODULE) {
            return false;
        }
        return id <= maxTypeIdOf(rdbVersion);
    }

    static int maxTypeIdOf(int rdbVersion) {
        if (rdbVersion >= 11) {
            return 21; // Redis 7.2 (RDB 11) added 20 (set listpack) and 21 (streams v3); 7.4 added 22–25
        }
        if (rdbVersion == 10) {
            return 19;
        }
        if (rdbVersion == 9) {
            return 15;
        }
        return 14;
    }

    @Override
    public String toString() {
        return "redis " + version[0] + "." + version[1] + "." + version[2] + " (rdb " + rdbVersion + ", "
                + (cluster ? "cluster" : "standalone") + ", modules " + modules + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetProfile t && java.util.Arrays.equals(version, t.version)
                && rdbVersion == t.rdbVersion && cluster == t.cluster && modules.equals(t.modules);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(version) * 31 + rdbVersion;
    }
}
