package io.df2redis.redis;

import java.util.List;

/**
 * What the target accepts, probed once when the writer opens; the translation layer chooses per
 * type from it.
 *
 * @param version {@code redis_version} of the node probed (e.g. {@code 7.0.15})
 * @param cluster whether the target is a Redis Cluster (as detected, or as configured)
 * @param restoreRdbVersion highest RDB version {@code RESTORE} accepts (the version of the target's
 *     own {@code DUMP} payloads)
 * @param restoreRdbVersionFromDump true when read from a real {@code DUMP} payload, false when
 *     taken from the version table ({@link #rdbVersionForServer}) because DUMP was not possible
 * @param modules loaded modules as {@code name/version} (empty when none or when {@code MODULE
 *     LIST} is not allowed)
 * @param json whether {@code JSON.SET} exists (RedisJSON, or Redis 8 with it built in)
 * @param bloom whether {@code BF.ADD} exists (RedisBloom)
 * @param hashFieldTtl whether {@code HEXPIRE} exists (Redis ≥ 7.4: per-field TTLs)
 * @param databases number of databases ({@code 1} on a cluster; {@code -1} if not readable)
 */
public record TargetCapabilities(
        String version,
        boolean cluster,
        int restoreRdbVersion,
        boolean restoreRdbVersionFromDump,
        List<String> modules,
        boolean json,
        boolean bloom,
        boolean hashFieldTtl,
        int databases) {

    /** True if {@link #version} is at least {@code major.minor}. */
    public boolean atLeast(int major, int minor) {
        int[] v = parse(version);
        return v[0] > major || (v[0] == major && v[1] >= minor);
    }

    /**
     * RDB version of Redis releases: 2.6/2.8 → 6, 3.2 → 7, 4.0 → 8, 5.0–6.2 → 9, 7.0 → 10,
     * 7.2 → 11, 7.4–8.4 → 12, 8.6 → 13 (as mapped by redis/librdb); newer → 13.
     */
    public static int rdbVersionForServer(String version) {
        int[] v = parse(version);
        int mm = v[0] * 100 + v[1];
        if (mm >= 806) {
            return 13;
        } else if (mm >= 704) {
            return 12;
        } else if (mm >= 702) {
            return 11;
        } else if (mm >= 700) {
            return 10;
        } else if (mm >= 500) {
            return 9;
        } else if (mm >= 400) {
            return 8;
        } else if (mm >= 302) {
            return 7;
        } else if (mm >= 206) {
            return 6;
        }
        return 5;
    }

    private static int[] parse(String version) {
        String[] parts = version.split("\\.");
        try {
            return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unparsable server version '" + version + "'", e);
        }
    }
}
