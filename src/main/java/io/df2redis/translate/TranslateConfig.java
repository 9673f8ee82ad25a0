package io.df2redis.translate;

import java.util.EnumMap;
import java.util.Map;

/**
 * Everything about the translation an operator chooses. Immutable; build with {@link #builder()}
 * and check against the probed target with {@link #validate(TargetProfile)} before use.
 */
public final class TranslateConfig {

    /**
     * How snapshot values of types the target can RESTORE are written. Measured on redis-server 7.0
     * (benchmarks/README.md, "Translation"): a 16-byte string is 1.7× cheaper as one {@code SET …
     * PXAT} than as a RESTORE, strings of 100–512 bytes cost the same either way, from 1 KB on
     * RESTORE is 1.8× cheaper, and every collection is 2–100× cheaper as one RESTORE than as DEL +
     * element batches. Hence {@link #AUTO}.
     */
    public enum SnapshotWrite {
        /**
         * Strings shorter than {@link #AUTO_SET_MAX_STRING_BYTES} encoded bytes with {@code SET key
         * value [PXAT ms]}; every other value the target knows with RESTORE.
         */
        AUTO,
        /** {@code RESTORE key abs payload REPLACE ABSTTL} with the stream's own value bytes. */
        RESTORE,
        /** SET for strings; DEL + RPUSH/SADD/HSET/ZADD/XADD… batches + PEXPIREAT for the rest. */
        NATIVE;

        /** Below this many encoded bytes {@link #AUTO} writes a string with SET (see the measurement). */
        public static final int AUTO_SET_MAX_STRING_BYTES = 512;
    }

    /** What a FLUSHDB of a source db becomes when its target db also holds another source db. */
    public enum MergedFlush {
        /** Stop with an error: the flush cannot be confined to the source db's keys. */
        FAIL,
        /** Flush the whole target db (also the keys of the other source dbs merged into it). */
        FLUSH_TARGET_DB
    }

    private final DbMapping dbMapping;
    private final EnumMap<DfFamily, DfTypePolicy> policies;
    private final boolean dropUnsupportedMemberTtls;
    private final SnapshotWrite snapshotWrite;
    private final int nativeBatchElements;
    private final int nativeBatchBytes;
    private final long restoreMaxBytes;
    private final DfTypePolicy unknownCommands;
    private final DfTypePolicy crossSlotCommands;
    private final MergedFlush mergedFlush;
    private final DragonflySharding sharding;
    private final String internalKeyPrefix;
    private final FilterConfig filter;
    private final long maxParkedBytes;
    private final long crossSlotWaitTimeoutMs;
    private final long doneMarkerTtlMs;

    private TranslateConfig(Builder b) {
        this.dbMapping = b.dbMapping;
        this.policies = new EnumMap<>(b.policies);
        this.dropUnsupportedMemberTtls = b.dropUnsupportedMemberTtls;
        this.snapshotWrite = b.snapshotWrite;
        this.nativeBatchElements = b.nativeBatchElements;
        this.nativeBatchBytes = b.nativeBatchBytes;
        this.restoreMaxBytes = b.restoreMaxBytes;
        this.unknownCommands = b.unknownCommands;
        this.crossSlotCommands = b.crossSlotCommands;
        this.mergedFlush = b.mergedFlush;
        this.sharding = b.sharding;
        this.internalKeyPrefix = b.internalKeyPrefix;
        this.filter = b.filter;
        this.maxParkedBytes = b.maxParkedBytes;
        this.crossSlotWaitTimeoutMs = b.crossSlotWaitTimeoutMs;
        this.doneMarkerTtlMs = b.doneMarkerTtlMs;
        if (crossSlotWaitTimeoutMs < 1 || doneMarkerTtlMs < 1 || maxParkedBytes < 1) {
            throw new IllegalArgumentException("translate.cross-slot-*: timeouts, TTLs and limits must be positive");
        }
        if (nativeBatchElements < 1 || nativeBatchBytes < 1024) {
            throw new IllegalArgumentException("translate.native-batch: elements must be ≥ 1 and bytes ≥ 1024");
        }
        if (unknownCommands == DfTypePolicy.TRANSCODE || crossSlotCommands == DfTypePolicy.TRANSCODE) {
            throw new IllegalArgumentException(
                    "translate.unknown-commands / translate.cross-slot-commands: only skip or fail");
        }
        if (internalKeyPrefix.isEmpty() || internalKeyPrefix.indexOf('{') >= 0 || internalKeyPrefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("translate.internal-key-prefix must be non-empty and have no braces");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration from flat settings (flags or the YAML file flattened), reading only keys
     * that start with {@code translate.}; a key it does not know or a bad value fails at once naming
     * the setting. Keys: {@code db-mapping} ("identity" or "0:0, 1:3, 5:ignore"), {@code allow-merge},
     * {@code merged-flush} (fail | flush-target-db), {@code dragonfly-types.<family>} (transcode |
     * skip | fail; families json, hash-field-ttl, set-member-ttl, bloom, cuckoo, cms, topk, search,
     * other), {@code drop-unsupported-member-ttls}, {@code snapshot-write} (auto | restore | native),
     * {@code native-batch.elements}, {@code native-batch.bytes}, {@code restore-max-bytes}, {@code
     * unknown-commands} and {@code cross-slot-commands} (skip | fail), {@code sharding} (xxh64 |
     * hash-tag | cluster-slot), {@code internal-key-prefix}, {@code max-parked-bytes}, {@code
     * cross-slot-wait-timeout-ms}, {@code done-marker-ttl-ms}. Also the {@link FilterConfig} keys
     * {@code filter.keys.include}, {@code filter.keys.exclude}, {@code filter.dbs}, {@code
     * filter.types}, {@code filter.commands} and {@code map.key-prefix}.
     */
    /** A {@code translate.*} setting as {@code --help} and README list it. */
    public record Setting(String key, String defaultValue, String meaning) {}

    /**
     * Every key {@link #fromSettings} takes, with its default and meaning ({@code <family>} stands
     * for each of {@link DfFamily}'s config names). A test holds this list and the parser together.
     */
    public static java.util.List<Setting> settings() {
        return java.util.List.of(
                new Setting("translate.dragonfly-types.<family>", "fail", "transcode, skip (reported per key, counted) or fail, per"
                        + " Dragonfly-only family: json, hash-field-ttl, set-member-ttl, bloom, cuckoo, cms, topk, search, other"),
                new Setting("translate.drop-unsupported-member-ttls", "false",
                        "write hashes/sets with member TTLs without them where the target has none"),
                new Setting("translate.snapshot-write", "auto", "auto, restore or native: how snapshot values are written"),
                new Setting("translate.native-batch.elements", "512", "elements per native write of a big value"),
                new Setting("translate.native-batch.bytes", "1048576", "bytes per native write of a big value"),
                new Setting("translate.restore-max-bytes", "268435456", "values up to this size may be written with RESTORE"),
                new Setting("translate.unknown-commands", "fail", "skip or fail for journal commands Redis cannot run"),
                new Setting("translate.cross-slot-commands", "fail", "skip or fail for multi-key commands that cannot be split per slot"),
                new Setting("translate.merged-flush", "fail", "fail or flush-target-db for a FLUSHDB whose target db also holds another source db"),
                new Setting("translate.db-mapping", "identity", "as db-map (source db → target db)"),
                new Setting("translate.allow-merge", "false", "as db-map.allow-merge"),
                new Setting("translate.sharding", "xxh64", "how Dragonfly places keys on shards: xxh64, hash-tag or cluster-slot"),
                new Setting("translate.internal-key-prefix", "__df2redis:", "names of the job's own keys in the target"),
                new Setting("translate.max-parked-bytes", "268435456", "records a writer may hold while slots wait for cross-slot moves"),
                new Setting("translate.cross-slot-wait-timeout-ms", "600000", "how long a slot waits for a cross-slot move's other half"),
                new Setting("translate.done-marker-ttl-ms", "604800000", "expiry of a finished cross-slot move's marker"));
    }

    public static TranslateConfig fromSettings(Map<String, String> settings) {
        Builder b = builder();
        String mapping = "identity";
        boolean merge = false;
        int elements = b.nativeBatchElements;
        int bytes = b.nativeBatchBytes;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(settings).entrySet()) {
            if (!e.getKey().startsWith("translate.")) {
                continue;
            }
            String key = e.getKey().substring("translate.".length());
            String v = e.getValue().trim();
            try {
                if (key.startsWith("dragonfly-types.")) {
                    b.policy(DfFamily.ofConfigName(key.substring("dragonfly-types.".length())), DfTypePolicy.parse(v));
                    continue;
                }
                switch (key) {
                    case "db-mapping" -> mapping = v;
                    case "allow-merge" -> merge = bool(v);
                    case "merged-flush" -> b.mergedFlush(MergedFlush.valueOf(enumName(v)));
                    case "drop-unsupported-member-ttls" -> b.dropUnsupportedMemberTtls(bool(v));
                    case "snapshot-write" -> b.snapshotWrite(SnapshotWrite.valueOf(enumName(v)));
                    case "native-batch.elements" -> elements = Integer.parseInt(v);
                    case "native-batch.bytes" -> bytes = Integer.parseInt(v);
                    case "restore-max-bytes" -> b.restoreMaxBytes(Long.parseLong(v));
                    case "unknown-commands" -> b.unknownCommands(DfTypePolicy.parse(v));
                    case "cross-slot-commands" -> b.crossSlotCommands(DfTypePolicy.parse(v));
                    case "sharding" -> b.sharding(DragonflySharding.valueOf(enumName(v)));
                    case "internal-key-prefix" -> b.internalKeyPrefix(v);
                    case "max-parked-bytes" -> b.maxParkedBytes(Long.parseLong(v));
                    case "cross-slot-wait-timeout-ms" -> b.crossSlotWaitTimeoutMs(Long.parseLong(v));
                    case "done-marker-ttl-ms" -> b.doneMarkerTtlMs(Long.parseLong(v));
                    default -> throw new IllegalArgumentException("unknown setting");
                }
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(e.getKey() + "=" + e.getValue() + ": " + ex.getMessage(), ex);
            }
        }
        b.filter(FilterConfig.parse(settings.get("filter.keys.include"), settings.get("filter.keys.exclude"),
                settings.get("filter.dbs"), settings.get("filter.types"), settings.get("filter.commands"),
                settings.get("map.key-prefix")));
        try {
            b.dbMapping(DbMapping.parse(mapping, merge));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("translate.db-mapping=" + mapping + ": " + ex.getMessage(), ex);
        }
        return b.nativeBatch(elements, bytes).build();
    }

    private static String enumName(String v) {
        return v.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    private static boolean bool(String v) {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException("expected true or false");
    }

    /**
     * Rejects settings this target cannot honour, naming the setting: transcoding without an
     * equivalent on the target, a db mapping the target cannot hold.
     */
    public TranslateConfig validate(TargetProfile target) {
        dbMapping.validate(target);
        for (DfFamily f : DfFamily.values()) {
            if (policy(f) != DfTypePolicy.TRANSCODE) {
                continue;
            }
            String key = "translate.dragonfly-types." + f.configName();
            switch (f) {
                case JSON:
                    if (!target.json()) {
                        throw new IllegalArgumentException(key + "=transcode needs RedisJSON on the target (" + target
                                + "); choose skip or fail");
                    }
                    break;
                case HASH_FIELD_TTL:
                    if (!target.hashFieldTtl() && !dropUnsupportedMemberTtls) {
                        throw new IllegalArgumentException(key + "=transcode: hash field TTLs need Redis ≥ 7.4 (" + target
                                + "); set translate.drop-unsupported-member-ttls=true to write the hashes without"
                                + " them, or choose skip or fail");
                    }
                    break;
                case SET_MEMBER_TTL:
                    if (!dropUnsupportedMemberTtls) {
                        throw new IllegalArgumentException(key + "=transcode: Redis has no set member TTLs; set"
                                + " translate.drop-unsupported-member-ttls=true to write the sets without them,"
                                + " or choose skip or fail");
                    }
                    break;
                default:
                    throw new IllegalArgumentException(key + "=transcode: Redis has no equivalent of Dragonfly's "
                            + f.configName() + " encoding; choose skip or fail");
            }
        }
        return this;
    }

    public DbMapping dbMapping() {
        return dbMapping;
    }

    public DfTypePolicy policy(DfFamily f) {
        return policies.get(f);
    }

    public boolean dropUnsupportedMemberTtls() {
        return dropUnsupportedMemberTtls;
    }

    public SnapshotWrite snapshotWrite() {
        return snapshotWrite;
    }

    public int nativeBatchElements() {
        return nativeBatchElements;
    }

    public int nativeBatchBytes() {
        return nativeBatchBytes;
    }

    public long restoreMaxBytes() {
        return restoreMaxBytes;
    }

    public DfTypePolicy unknownCommands() {
        return unknownCommands;
    }

    public DfTypePolicy crossSlotCommands() {
        return crossSlotCommands;
    }

    public MergedFlush mergedFlush() {
        return mergedFlush;
    }

    public DragonflySharding sharding() {
        return sharding;
    }

    /** Prefix of the target keys df2redis itself writes (cross-slot staging keys and markers). */
    /** What is copied and under which names ({@code filter.*}, {@code map.key-prefix}). */
    public FilterConfig filter() {
        return filter;
    }

    public String internalKeyPrefix() {
        return internalKeyPrefix;
    }

    /** Bytes of records a sink instance may hold while slots wait for cross-slot moves. */
    public long maxParkedBytes() {
        return maxParkedBytes;
    }

    /** How long a slot may wait for a cross-slot move's source half before that is an error. */
    public long crossSlotWaitTimeoutMs() {
        return crossSlotWaitTimeoutMs;
    }

    /** How long a finished move's marker stays, so a destination half replayed from a checkpoint sees it. */
    public long doneMarkerTtlMs() {
        return doneMarkerTtlMs;
    }

    public static final class Builder {
        private DbMapping dbMapping = DbMapping.identity();
        private final EnumMap<DfFamily, DfTypePolicy> policies = new EnumMap<>(DfFamily.class);
        private boolean dropUnsupportedMemberTtls;
        private SnapshotWrite snapshotWrite = SnapshotWrite.AUTO;
        private int nativeBatchElements = 512;
        private int nativeBatchBytes = 1 << 20;
        private long restoreMaxBytes = 256L << 20;
        private DfTypePolicy unknownCommands = DfTypePolicy.FAIL;
        private DfTypePolicy crossSlotCommands = DfTypePolicy.FAIL;
        private MergedFlush mergedFlush = MergedFlush.FAIL;
        private DragonflySharding sharding = DragonflySharding.DEFAULT;
        private String internalKeyPrefix = "__df2redis:";
        private FilterConfig filter = FilterConfig.NONE;
        private long maxParkedBytes = 256L << 20;
        private long crossSlotWaitTimeoutMs = 10 * 60_000L;
        private long doneMarkerTtlMs = 7 * 24 * 3_600_000L;

        private Builder() {
            for (DfFamily f : DfFamily.values()) {
                policies.put(f, DfTypePolicy.FAIL);
            }
        }

        public Builder dbMapping(DbMapping m) {
            this.dbMapping = m;
            return this;
        }

        public Builder policy(DfFamily f, DfTypePolicy p) {
            policies.put(f, p);
            return this;
        }

        public Builder policies(Map<DfFamily, DfTypePolicy> m) {
            policies.putAll(m);
            return this;
        }

        /** Every family at once (then override single ones with {@link #policy}). */
        public Builder allFamilies(DfTypePolicy p) {
            for (DfFamily f : DfFamily.values()) {
                policies.put(f, p);
            }
            return this;
        }

        public Builder dropUnsupportedMemberTtls(boolean b) {
            this.dropUnsupportedMemberTtls = b;
            return this;
        }

        public Builder snapshotWrite(SnapshotWrite w) {
            this.snapshotWrite = w;
            return this;
        }

        public Builder nativeBatch(int elements, int bytes) {
            this.nativeBatchElements = elements;
            this.nativeBatchBytes = bytes;
            return this;
        }

        public Builder restoreMaxBytes(long n) {
            this.restoreMaxBytes = n;
            return this;
        }

        public Builder unknownCommands(DfTypePolicy p) {
            this.unknownCommands = p;
            return this;
        }

        public Builder crossSlotCommands(DfTypePolicy p) {
            this.crossSlotCommands = p;
            return this;
        }

        public Builder mergedFlush(MergedFlush m) {
            this.mergedFlush = m;
            return this;
        }

        public Builder sharding(DragonflySharding s) {
            this.sharding = s;
            return this;
        }

        public Builder filter(FilterConfig f) {
            this.filter = f;
            return this;
        }

        public Builder internalKeyPrefix(String p) {
            this.internalKeyPrefix = p;
            return this;
        }

        public Builder maxParkedBytes(long n) {
            this.maxParkedBytes = n;
            return this;
        }

        public Builder crossSlotWaitTimeoutMs(long ms) {
            this.crossSlotWaitTimeoutMs = ms;
            return this;
        }

        public Builder doneMarkerTtlMs(long ms) {
            this.doneMarkerTtlMs = ms;
            return this;
        }

        public TranslateConfig build() {
            return new TranslateConfig(this);
        }
    }
}
