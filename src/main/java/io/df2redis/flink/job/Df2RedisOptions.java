package io.df2redis.flink.job;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Every setting of the job. The same key works as a flag ({@code --key value}) and in the YAML
 * file given with {@code --config}; flags win. Flink's own settings stay in flink-conf/config.yaml.
 */
public final class Df2RedisOptions {
    private Df2RedisOptions() {}

    public enum Mode {
        /** Full sync, then replay the journal until stopped. */
        REPLICATE,
        /** Full sync up to the stable cut, then end: a consistent one-shot copy. */
        SNAPSHOT
    }

    public enum TargetPolicy {
        FAIL_IF_NOT_EMPTY,
        FLUSH,
        OVERWRITE
    }

    public enum TargetMode {
        AUTO,
        STANDALONE,
        CLUSTER
    }

    public static final ConfigOption<String> CONFIG_FILE =
            ConfigOptions.key("config").stringType().noDefaultValue()
                    .withDescription("YAML file with further settings (same keys as the flags; flags win).");

    // ---- source ----
    public static final ConfigOption<String> SOURCE_URL =
            ConfigOptions.key("source.url").stringType().noDefaultValue()
                    .withDescription("Dragonfly master: redis://[user:password@]host:port, rediss:// for TLS.");
    public static final ConfigOption<Integer> SOURCE_FLOWS =
            ConfigOptions.key("source.flows").intType().noDefaultValue()
                    .withDescription("Number of flows (master shards). Probed from the master at submission when unset.");
    public static final ConfigOption<String> SOURCE_TLS_CA_FILE =
            ConfigOptions.key("source.tls.ca-file").stringType().noDefaultValue()
                    .withDescription("PEM CA certificate(s) to trust for rediss:// sources (default: the JVM trust store).");
    public static final ConfigOption<Duration> SOURCE_CONNECT_TIMEOUT =
            ConfigOptions.key("source.connect-timeout").durationType().defaultValue(Duration.ofSeconds(20));
    public static final ConfigOption<Long> FLOW_BUFFER_BYTES =
            ConfigOptions.key("flow.buffer.bytes").longType().defaultValue(64L << 20)
                    .withDescription("Memory buffer per flow before bytes spill to disk.");
    public static final ConfigOption<String> FLOW_SPILL_DIR =
            ConfigOptions.key("flow.spill.dir").stringType().noDefaultValue()
                    .withDescription("Directory for spill files (default: the TaskManager's temp directory).");
    public static final ConfigOption<Long> FLOW_SPILL_MAX_BYTES =
            ConfigOptions.key("flow.spill.max-bytes").longType().defaultValue(8L << 30)
                    .withDescription("Spill limit per flow; reaching it fails the flow with a clear error.");
    public static final ConfigOption<Integer> SNAPSHOT_MAX_VALUE_BYTES =
            ConfigOptions.key("snapshot.max-value-bytes").intType().defaultValue(8 << 20)
                    .withDescription("Values up to this size are held whole (RESTORE); bigger ones stream in parts.");

    // ---- target ----
    public static final ConfigOption<String> TARGET_URL =
            ConfigOptions.key("target.url").stringType().noDefaultValue()
                    .withDescription("Redis target: redis://[user:password@]host:port (any node of a cluster), rediss:// for TLS.");
    public static final ConfigOption<TargetMode> TARGET_CLUSTER =
            ConfigOptions.key("target.cluster").enumType(TargetMode.class).defaultValue(TargetMode.AUTO)
                    .withDescription("auto (detect), true/cluster or false/standalone.");
    public static final ConfigOption<String> TARGET_TLS_CA_FILE =
            ConfigOptions.key("target.tls.ca-file").stringType().noDefaultValue();
    public static final ConfigOption<Integer> WRITER_CONNECTIONS_PER_NODE =
            ConfigOptions.key("writer.connections-per-node").intType().defaultValue(1);
    public static final ConfigOption<Integer> WRITER_BATCH_MAX_COMMANDS =
            ConfigOptions.key("writer.batch.max-commands").intType().defaultValue(512);
    public static final ConfigOption<Integer> WRITER_BATCH_MAX_BYTES =
            ConfigOptions.key("writer.batch.max-bytes").intType().defaultValue(1 << 20);
    public static final ConfigOption<Integer> WRITER_MAX_IN_FLIGHT_BATCHES =
            ConfigOptions.key("writer.max-in-flight-batches").intType().defaultValue(8);
    public static final ConfigOption<Long> WRITER_RATE_LIMIT_OPS =
            ConfigOptions.key("writer.rate-limit.ops").longType().defaultValue(0L)
                    .withDescription("Commands per second per writer subtask; 0 = unlimited.");
    public static final ConfigOption<Long> WRITER_RATE_LIMIT_BYTES =
            ConfigOptions.key("writer.rate-limit.bytes").longType().defaultValue(0L)
                    .withDescription("Bytes per second per writer subtask; 0 = unlimited.");
    public static final ConfigOption<Integer> WRITER_WAIT_REPLICAS =
            ConfigOptions.key("writer.wait.replicas").intType().defaultValue(0)
                    .withDescription("WAIT for this many replicas per node before a checkpoint completes; 0 = off.");
    public enum OnRefused {
        /** A command Redis refuses fails the job (with key and reply). */
        FAIL,
        /** It is reported per key (log line and metric) and the job goes on. */
        SKIP
    }

    public static final ConfigOption<OnRefused> WRITER_ON_REFUSED =
            ConfigOptions.key("writer.on-refused").enumType(OnRefused.class).defaultValue(OnRefused.FAIL)
                    .withDescription("fail or skip (report per key) a command the target refuses (WRONGTYPE, OOM, …).");
    public static final ConfigOption<Duration> WRITER_WAIT_TIMEOUT =
            ConfigOptions.key("writer.wait.timeout").durationType().defaultValue(Duration.ofSeconds(5));

    // ---- behaviour ----
    public static final ConfigOption<Mode> MODE =
            ConfigOptions.key("mode").enumType(Mode.class).defaultValue(Mode.REPLICATE);
    public static final ConfigOption<TargetPolicy> FULL_SYNC_TARGET_POLICY =
            ConfigOptions.key("full-sync.target-policy").enumType(TargetPolicy.class)
                    .defaultValue(TargetPolicy.FAIL_IF_NOT_EMPTY);
    public static final ConfigOption<String> DB_MAP =
            ConfigOptions.key("db-map").stringType().defaultValue("identity")
                    .withDescription("Source db → target db, e.g. \"0:0,1:3,5:ignore\"; identity by default (a cluster only has db 0).");
    public static final ConfigOption<Boolean> DB_MAP_ALLOW_MERGE =
            ConfigOptions.key("db-map.allow-merge").booleanType().defaultValue(false)
                    .withDescription("Allow two source dbs to map to one target db.");

    // ---- translation (keys of io.df2redis.translate.TranslateConfig) ----
    /** One policy per Dragonfly-only family: transcode, skip (reported per key) or fail. */
    public static ConfigOption<String> dragonflyTypePolicy(String family) {
        return ConfigOptions.key("translate.dragonfly-types." + family).stringType().defaultValue("fail")
                .withDescription("transcode | skip | fail for Dragonfly " + family + " data.");
    }

    public static final List<String> DRAGONFLY_FAMILIES =
            List.of("json", "hash-field-ttl", "set-member-ttl", "bloom", "cuckoo", "cms", "topk", "search", "other");
    public static final ConfigOption<Boolean> DROP_UNSUPPORTED_MEMBER_TTLS =
            ConfigOptions.key("translate.drop-unsupported-member-ttls").booleanType().defaultValue(false)
                    .withDescription("Write hashes/sets with member TTLs without the TTLs where the target has none.");
    public static final ConfigOption<String> SNAPSHOT_WRITE =
            ConfigOptions.key("translate.snapshot-write").stringType().defaultValue("restore")
                    .withDescription("restore (RESTORE of the stream's value bytes) or native (DEL + RPUSH/SADD/… batches).");
    public static final ConfigOption<Integer> NATIVE_BATCH_ELEMENTS =
            ConfigOptions.key("translate.native-batch.elements").intType().defaultValue(512);
    public static final ConfigOption<Integer> NATIVE_BATCH_BYTES =
            ConfigOptions.key("translate.native-batch.bytes").intType().defaultValue(1 << 20);
    public static final ConfigOption<Long> RESTORE_MAX_BYTES =
            ConfigOptions.key("translate.restore-max-bytes").longType().defaultValue(256L << 20);
    public static final ConfigOption<String> UNKNOWN_COMMANDS =
            ConfigOptions.key("translate.unknown-commands").stringType().defaultValue("fail")
                    .withDescription("skip (reported per key) or fail for journal commands Redis cannot run.");
    public static final ConfigOption<String> CROSS_SLOT_COMMANDS =
            ConfigOptions.key("translate.cross-slot-commands").stringType().defaultValue("fail")
                    .withDescription("skip or fail for multi-key commands whose keys span slots and cannot be split.");
    public static final ConfigOption<String> MERGED_FLUSH =
            ConfigOptions.key("translate.merged-flush").stringType().defaultValue("fail")
                    .withDescription("fail or flush-target-db: a FLUSHDB whose target db also holds another source db.");
    public static final ConfigOption<String> INTERNAL_KEY_PREFIX =
            ConfigOptions.key("translate.internal-key-prefix").stringType().defaultValue("__df2redis:");
    public static final ConfigOption<Long> MAX_PARKED_BYTES =
            ConfigOptions.key("translate.max-parked-bytes").longType().defaultValue(256L << 20);
    public static final ConfigOption<Duration> CROSS_SLOT_WAIT_TIMEOUT =
            ConfigOptions.key("translate.cross-slot-wait-timeout").durationType().defaultValue(Duration.ofMinutes(10));
    public static final ConfigOption<Duration> DONE_MARKER_TTL =
            ConfigOptions.key("translate.done-marker-ttl").durationType().defaultValue(Duration.ofDays(7));

    // ---- job shape ----
    public static final ConfigOption<Integer> SINK_PARALLELISM =
            ConfigOptions.key("sink.parallelism").intType().noDefaultValue()
                    .withDescription("Writer subtasks (default: the number of flows).");
    public static final ConfigOption<String> JOB_NAME =
            ConfigOptions.key("job.name").stringType().defaultValue("df2redis");

    public static List<ConfigOption<?>> all() {
        return List.of(
                CONFIG_FILE,
                SOURCE_URL, SOURCE_FLOWS, SOURCE_TLS_CA_FILE, SOURCE_CONNECT_TIMEOUT,
                FLOW_BUFFER_BYTES, FLOW_SPILL_DIR, FLOW_SPILL_MAX_BYTES, SNAPSHOT_MAX_VALUE_BYTES,
                TARGET_URL, TARGET_CLUSTER, TARGET_TLS_CA_FILE,
                WRITER_CONNECTIONS_PER_NODE, WRITER_BATCH_MAX_COMMANDS, WRITER_BATCH_MAX_BYTES,
                WRITER_MAX_IN_FLIGHT_BATCHES, WRITER_RATE_LIMIT_OPS, WRITER_RATE_LIMIT_BYTES,
                WRITER_WAIT_REPLICAS, WRITER_WAIT_TIMEOUT, WRITER_ON_REFUSED,
                MODE, FULL_SYNC_TARGET_POLICY, DB_MAP, DB_MAP_ALLOW_MERGE,
                DROP_UNSUPPORTED_MEMBER_TTLS, SNAPSHOT_WRITE, NATIVE_BATCH_ELEMENTS, NATIVE_BATCH_BYTES, RESTORE_MAX_BYTES,
                UNKNOWN_COMMANDS, CROSS_SLOT_COMMANDS, MERGED_FLUSH, INTERNAL_KEY_PREFIX, MAX_PARKED_BYTES,
                CROSS_SLOT_WAIT_TIMEOUT, DONE_MARKER_TTL,
                SINK_PARALLELISM, JOB_NAME);
    }

    /** Every option, with the per-family policies. */
    public static List<ConfigOption<?>> allWithFamilies() {
        List<ConfigOption<?>> list = new java.util.ArrayList<>(all());
        for (String f : DRAGONFLY_FAMILIES) {
            list.add(dragonflyTypePolicy(f));
        }
        return list;
    }
}
