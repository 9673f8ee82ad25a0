package io.df2redis.flink.job;

import io.df2redis.redis.RedisTarget;
import io.df2redis.redis.TlsOptions;
import io.df2redis.translate.DbMapping;
import io.df2redis.translate.UnmappedDatabaseException;
import io.df2redis.translate.FilterConfig;
import io.df2redis.verify.KeyScope;
import io.df2redis.verify.VerifyConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The job's {@code verify.*} settings, db mapping and internal key prefix as the verifier's own config. */
public final class VerifySettings {
    private VerifySettings() {}

    public static VerifyConfig config(JobSettings s) {
        DbMapping mapping = s.dbMapping();
        boolean clusterTarget = s.get(Df2RedisOptions.TARGET_CLUSTER) == Df2RedisOptions.TargetMode.CLUSTER;
        String report = s.get(Df2RedisOptions.VERIFY_REPORT);
        FilterConfig filter = TranslateSettings.translateConfig(s).filter();
        try {
            return VerifyConfig.defaults()
                    .withDbMapping(db -> filter.dbIncluded(db) ? targetDb(mapping, db, clusterTarget) : VerifyConfig.IGNORED,
                            targetDb -> sourceDbs(mapping, targetDb).stream().filter(filter::dbIncluded).toList())
                    .withScope(scope(filter))
                    .withIgnorePrefix(TranslateSettings.translateConfig(s).internalKeyPrefix())
                    .withTtlTolerance(s.get(Df2RedisOptions.VERIFY_TTL_TOLERANCE).toMillis())
                    .withRechecks(s.get(Df2RedisOptions.VERIFY_RECHECKS), s.get(Df2RedisOptions.VERIFY_RECHECK_DELAY))
                    .withSample(s.get(Df2RedisOptions.VERIFY_SAMPLE))
                    .withParallelism(s.get(Df2RedisOptions.VERIFY_PARALLELISM))
                    .withReport(report == null ? null : Path.of(report));
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().split(" ", 2)[0];
            throw new InvalidSettingException(key.startsWith("verify.") ? key : "verify", e.getMessage());
        }
    }

    private static String enc(String v) {
        return java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The job's key filters and renaming as verify's scope. */
    static KeyScope scope(FilterConfig filter) {
        if (filter.isNone()) {
            return KeyScope.ALL;
        }
        return new KeyScope() {
            @Override
            public boolean sourceKey(byte[] key) {
                return filter.keyIncluded(key);
            }

            @Override
            public byte[] targetName(byte[] sourceKey) {
                return filter.mapKey(sourceKey);
            }

            @Override
            public byte[] sourceName(byte[] targetKey) {
                return filter.unmapKey(targetKey);
            }

            @Override
            public boolean type(String redisType) {
                String name = switch (redisType) {
                    case "ReJSON-RL" -> "json";
                    case "MBbloom--" -> "bloom";
                    case "MBbloomCF" -> "cuckoo";
                    case "CMSk-TYPE" -> "cms";
                    case "TopK-TYPE" -> "topk";
                    case "string", "list", "set", "zset", "hash", "stream" -> redisType;
                    default -> "module";
                };
                return filter.typeIncluded(name);
            }
        };
    }

    private static int targetDb(DbMapping mapping, int db, boolean cluster) {
        try {
            int t = mapping.target(db, cluster, new byte[0]);
            return t == DbMapping.IGNORED ? VerifyConfig.IGNORED : t;
        } catch (UnmappedDatabaseException e) {
            throw new InvalidSettingException(Df2RedisOptions.DB_MAP.key(), "source db " + db + " has keys but no target db");
        }
    }

    /** The source dbs writing into {@code targetDb} (the identity: the db of that number). */
    private static List<Integer> sourceDbs(DbMapping mapping, int targetDb) {
        if (mapping.isIdentity()) {
            return List.of(targetDb);
        }
        List<Integer> out = new ArrayList<>();
        for (int db = 0; db < 1024; db++) {
            try {
                if (!mapping.ignored(db) && mapping.target(db, false, new byte[0]) == targetDb) {
                    out.add(db);
                }
            } catch (UnmappedDatabaseException e) {
                // not a source db of this mapping
            }
        }
        return out;
    }

    /** The source as a plain RESP server to read keys from ({@code source.tls.ca-file} for rediss://). */
    public static RedisTarget source(JobSettings s) {
        return source(s, s.sourceEndpoints().get(0));
    }

    /** As {@link #source(JobSettings)}, at {@code master} (the address that is the master now). */
    public static RedisTarget source(JobSettings s, io.df2redis.dragonfly.session.DragonflyEndpoint master) {
        String auth = master.password() == null ? "" : (master.user() == null ? "" : enc(master.user())) + ":" + enc(master.password()) + "@";
        RedisTarget t = RedisTarget.parse((master.tls() ? "rediss://" : "redis://") + auth + master.host() + ":" + master.port())
                .withMode(RedisTarget.Mode.STANDALONE);
        if (t.tlsEnabled()) {
            String ca = s.get(Df2RedisOptions.SOURCE_TLS_CA_FILE);
            t = t.withTls(ca == null ? TlsOptions.systemDefault() : TlsOptions.caFile(Path.of(ca)));
        }
        return t.withClientName("df2redis-verify");
    }
}
