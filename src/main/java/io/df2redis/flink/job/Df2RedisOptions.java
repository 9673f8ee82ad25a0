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
        SNAPSHOT,
        /**
         * No job: deletes the job's own keys from the target (watermarks, cross-slot staging keys and
         * markers, the application-mode marker; every key under translate.internal-key-prefix), once
         * the migration is over and the job stopped.
         */
        CLEANUP,
        /**
         * No job: compares the source with the target both ways (missing, extra, type, value, TTL),
         * rechecking differences so that it can run beside a replicating job; exit 0 when equal, 1
         * when not, 2 on bad settings or an unreachable side.
         */
        VERIFY,
        /**
         * No job: ends a migration beside the running job. Pauses writes on the source, waits until
         * the job acknowledged everything, checks and repairs the target, and leaves writes paused:
         * exit 0 means "switch your clients now".
         */
        CUTOVER
    }

    public enum TargetPolicy {
        FAIL_IF_NOT_EMPTY,
        FLUSH,
        OVERWRITE
    }

    public enum DeliveryGuarantee {
        /** Journal commands applied exactly once, through restores and resends (watermarks in the target). */
        EXACTLY_ONCE,
        /** Cheaper; after a failure the commands since the last checkpoint are applied again. */
        AT_LEAST_ONCE
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
                    .withDescription("Dragonfly master: redis://[user:password@]host:port, rediss:// for TLS; or the master and its"
                            + " replicas, redis://host1:port1,host2:port2 (after a failover the job finds the new master).");
    public static final ConfigOption<Integer> SOURCE_FLOWS =
            ConfigOptions.key("source.flows").intType().noDefaultValue()
                    .withDescription("Number of flows (master shards). Probed from the master at submission when unset.");
    public static final ConfigOption<String> SOURCE_TLS_CA_FILE =
            ConfigOptions.key("source.tls.ca-file").stringType().noDefaultValue()
                    .withDescription("PEM CA certificate(s) to trust for rediss:// sources (default: the JVM trust store).");
    public static final ConfigOption<Duration> SOURCE_FAILOVER_WAIT =
            ConfigOptions.key("source.failover-wait").durationType().defaultValue(Duration.ofSeconds(60))
                    .withDescription("With several source addresses: how long to wait for one of them to be a master (a"
                            + " replica being promoted) before the attempt fails.");
    public static final ConfigOption<Duration> SOURCE_CONNECT_TIMEOUT =
            ConfigOptions.key("source.connect-timeout").durationType().defaultValue(Duration.ofSeconds(20))
                    .withDescription("Connecting to the master and waiting for its replies during the handshake.");
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
            ConfigOptions.key("target.tls.ca-file").stringType().noDefaultValue()
                    .withDescription("PEM CA certificate(s) to trust for rediss:// targets (default: the JVM trust store).");
    public static final ConfigOption<Integer> WRITER_CONNECTIONS_PER_NODE =
            ConfigOptions.key("writer.connections-per-node").intType().defaultValue(1)
                    .withDescription("Pipelined connections per primary and writer subtask.");
    public static final ConfigOption<Integer> WRITER_BATCH_MAX_COMMANDS =
            ConfigOptions.key("writer.batch.max-commands").intType().defaultValue(512)
                    .withDescription("Commands per pipelined batch.");
    public static final ConfigOption<Integer> WRITER_BATCH_MAX_BYTES =
            ConfigOptions.key("writer.batch.max-bytes").intType().defaultValue(1 << 20)
                    .withDescription("Bytes per pipelined batch.");
    public static final ConfigOption<Integer> WRITER_MAX_IN_FLIGHT_BATCHES =
            ConfigOptions.key("writer.max-in-flight-batches").intType().defaultValue(8)
                    .withDescription("Batches sent and not yet answered, per connection.");
    public static final ConfigOption<Integer> WRITER_MAX_OUTSTANDING_COMMANDS =
            ConfigOptions.key("writer.max-outstanding.commands").intType().defaultValue(16384)
                    .withDescription("Commands a writer subtask has submitted and Redis not yet acknowledged; the sink waits beyond.");
    public static final ConfigOption<Long> WRITER_MAX_OUTSTANDING_BYTES =
            ConfigOptions.key("writer.max-outstanding.bytes").longType().defaultValue(16L << 20)
                    .withDescription("Bytes of commands a writer subtask has submitted and Redis not yet acknowledged.");
    public static final ConfigOption<Long> WRITER_RATE_LIMIT_OPS =
            ConfigOptions.key("writer.rate-limit.ops").longType().defaultValue(0L)
                    .withDescription("Commands per second per writer subtask; 0 = unlimited.");
    public static final ConfigOption<Long> WRITER_RATE_LIMIT_BYTES =
            ConfigOptions.key("writer.rate-limit.bytes").longType().defaultValue(0L)
                    .withDescription("Bytes per second per writer subtask; 0 = unlimited.");
    public static final ConfigOption<String> WRITER_WAIT_REPLICAS =
            ConfigOptions.key("writer.wait.replicas").stringType().defaultValue("auto")
                    .withDescription("WAIT for this many replicas per primary before a checkpoint completes (an ACKed write"
                            + " survives a primary's crash); auto = 1 where the primary has connected replicas, else 0; 0 = off.");
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
            ConfigOptions.key("writer.wait.timeout").durationType().defaultValue(Duration.ofSeconds(5))
                    .withDescription("How long a checkpoint waits for WAIT (writer.wait.replicas) before it fails.");

    // ---- behaviour ----
    public static final ConfigOption<Mode> MODE =
            ConfigOptions.key("mode").enumType(Mode.class).defaultValue(Mode.REPLICATE);
    public static final ConfigOption<TargetPolicy> FULL_SYNC_TARGET_POLICY =
            ConfigOptions.key("full-sync.target-policy").enumType(TargetPolicy.class)
                    .defaultValue(TargetPolicy.FAIL_IF_NOT_EMPTY)
                    .withDescription("At the job's first submission: fail-if-not-empty, flush (FLUSHALL first) or overwrite;"
                            + " every later full sync clears the job's slots first unless overwrite.");
    public static final ConfigOption<String> DB_MAP =
            ConfigOptions.key("db-map").stringType().defaultValue("identity")
                    .withDescription("Source db → target db, e.g. \"0:0,1:3,5:ignore\"; identity by default (a cluster only has db 0).");
    public static final ConfigOption<Boolean> DB_MAP_ALLOW_MERGE =
            ConfigOptions.key("db-map.allow-merge").booleanType().defaultValue(false)
                    .withDescription("Allow two source dbs to map to one target db.");

    // ---- filters and renaming (snapshot and journal alike) ----
    public static final ConfigOption<String> FILTER_KEYS_INCLUDE =
            ConfigOptions.key("filter.keys.include").stringType().noDefaultValue()
                    .withDescription("Keys copied: comma-separated globs (*, ?, [a-z], \\x) or regex:<Java regex>; default all.");
    public static final ConfigOption<String> FILTER_KEYS_EXCLUDE =
            ConfigOptions.key("filter.keys.exclude").stringType().noDefaultValue()
                    .withDescription("Keys not copied (globs or regex:), checked after the includes.");
    public static final ConfigOption<String> FILTER_DBS =
            ConfigOptions.key("filter.dbs").stringType().noDefaultValue()
                    .withDescription("Source dbs copied, e.g. 0,2; default all.");
    public static final ConfigOption<String> FILTER_TYPES =
            ConfigOptions.key("filter.types").stringType().noDefaultValue()
                    .withDescription("Types copied (string, list, set, zset, hash, stream, json, bloom, …); default all. Journal"
                            + " commands by their name's type (HSET: hash); DEL, EXPIRE, RENAME… pass.");
    public static final ConfigOption<String> FILTER_COMMANDS =
            ConfigOptions.key("filter.commands").stringType().noDefaultValue()
                    .withDescription("Journal commands dropped, e.g. XADD,PFADD.");
    public static final ConfigOption<String> MAP_KEY_PREFIX =
            ConfigOptions.key("map.key-prefix").stringType().noDefaultValue()
                    .withDescription("Rename keys on the way: old:new pairs, comma-separated (the first that matches).");

    // ---- cut-over (--mode cutover) ----
    public static final ConfigOption<Duration> CUTOVER_WRITE_PAUSE =
            ConfigOptions.key("cutover.write-pause").durationType().defaultValue(Duration.ofSeconds(60))
                    .withDescription("How long CLIENT PAUSE … WRITE holds writes on the source: the check and the switch of"
                            + " clients must fit in it.");
    public static final ConfigOption<Boolean> CUTOVER_TAKEOVER =
            ConfigOptions.key("cutover.takeover").booleanType().defaultValue(false)
                    .withDescription("Instead of pausing writes: the running job issues DFLY TAKEOVER; the source stops taking"
                            + " writes, waits for the job's ACKs, and shuts down (nothing is checked: the source is gone).");
    public static final ConfigOption<Duration> CUTOVER_CATCH_UP_TIMEOUT =
            ConfigOptions.key("cutover.catch-up-timeout").durationType().defaultValue(Duration.ofSeconds(30))
                    .withDescription("How long the job may take to acknowledge every write made before the pause (one checkpoint"
                            + " interval is typical).");

    // ---- verify (--mode verify) ----
    public static final ConfigOption<String> VERIFY_REPORT =
            ConfigOptions.key("verify.report").stringType().noDefaultValue()
                    .withDescription("JSON-lines file, one line per differing key (db, key, kind, both sides' type, expiry, size).");
    public static final ConfigOption<Double> VERIFY_SAMPLE =
            ConfigOptions.key("verify.sample").doubleType().defaultValue(1.0)
                    .withDescription("Fraction of the keys compared, (0, 1]; chosen by a hash of the key, the same both ways.");
    public static final ConfigOption<Integer> VERIFY_RECHECKS =
            ConfigOptions.key("verify.rechecks").intType().defaultValue(3)
                    .withDescription("How many times a differing key is checked again before it is reported (replication catching up).");
    public static final ConfigOption<Duration> VERIFY_RECHECK_DELAY =
            ConfigOptions.key("verify.recheck-delay").durationType().defaultValue(Duration.ofSeconds(5))
                    .withDescription("Wait before each recheck.");
    public static final ConfigOption<Duration> VERIFY_TTL_TOLERANCE =
            ConfigOptions.key("verify.ttl-tolerance").durationType().defaultValue(Duration.ZERO)
                    .withDescription("Expiries further apart than this differ (0: exact to the millisecond, as the job copies them).");
    public static final ConfigOption<Integer> VERIFY_PARALLELISM =
            ConfigOptions.key("verify.parallelism").intType().defaultValue(4)
                    .withDescription("Threads comparing source pages (plus one per target primary looking for extra keys).");

    /**
     * Every {@code translate.*} key of {@link io.df2redis.translate.TranslateConfig#fromSettings}
     * (per-family Dragonfly type policies, snapshot write mode, batch sizes, cross-slot settings…)
     * is accepted as is and checked there.
     */
    public static final String TRANSLATE_PREFIX = "translate.";

    // ---- job shape ----
    public static final ConfigOption<Integer> SINK_PARALLELISM =
            ConfigOptions.key("sink.parallelism").intType().noDefaultValue()
                    .withDescription("Writer subtasks (default: the number of flows).");
    public static final ConfigOption<DeliveryGuarantee> SINK_DELIVERY_GUARANTEE =
            ConfigOptions.key("sink.delivery-guarantee").enumType(DeliveryGuarantee.class)
                    .defaultValue(DeliveryGuarantee.EXACTLY_ONCE)
                    .withDescription("exactly-once (journal commands run with a per-slot watermark in the target, "
                            + "replays are skipped) or at-least-once (after a failure, INCR, APPEND, LPUSH… since the last "
                            + "checkpoint are applied again).");
    public static final ConfigOption<String> STATE_DIR =
            ConfigOptions.key("state.dir").stringType().defaultValue("./df2redis-state")
                    .withDescription("Embedded runner (java -jar df2redis-local.jar) only: where its checkpoints are kept; the "
                            + "same command run again resumes from the newest. Delete it to start over.");
    public static final ConfigOption<Integer> METRICS_PORT =
            ConfigOptions.key("metrics.port").intType().noDefaultValue()
                    .withDescription("Embedded runner (java -jar df2redis-local.jar) only: serve every metric for Prometheus on"
                            + " http://HOST:PORT/metrics (on a Flink cluster, configure its reporter in config.yaml instead).");
    public static final ConfigOption<String> JOB_NAME =
            ConfigOptions.key("job.name").stringType().defaultValue("df2redis")
                    .withDescription("The Flink job's name.");

    /**
     * Set by the job's main() from Flink's fixed job id (application mode), not by users: the value
     * of the target's {@link TargetMarker}, which the writers put back after they clear or flush.
     */
    public static final ConfigOption<String> TARGET_PREPARED_FOR_JOB =
            ConfigOptions.key("target.prepared-for-job").stringType().noDefaultValue()
                    .withDescription("Internal: the fixed job id the target is marked with (application mode).");

    public static List<ConfigOption<?>> all() {
        return List.of(
                CONFIG_FILE,
                SOURCE_URL, SOURCE_FLOWS, SOURCE_TLS_CA_FILE, SOURCE_CONNECT_TIMEOUT, SOURCE_FAILOVER_WAIT,
                FLOW_BUFFER_BYTES, FLOW_SPILL_DIR, FLOW_SPILL_MAX_BYTES, SNAPSHOT_MAX_VALUE_BYTES,
                TARGET_URL, TARGET_CLUSTER, TARGET_TLS_CA_FILE,
                WRITER_CONNECTIONS_PER_NODE, WRITER_BATCH_MAX_COMMANDS, WRITER_BATCH_MAX_BYTES,
                WRITER_MAX_IN_FLIGHT_BATCHES, WRITER_MAX_OUTSTANDING_COMMANDS, WRITER_MAX_OUTSTANDING_BYTES,
                WRITER_RATE_LIMIT_OPS, WRITER_RATE_LIMIT_BYTES,
                WRITER_WAIT_REPLICAS, WRITER_WAIT_TIMEOUT, WRITER_ON_REFUSED,
                MODE, FULL_SYNC_TARGET_POLICY, DB_MAP, DB_MAP_ALLOW_MERGE,
                FILTER_KEYS_INCLUDE, FILTER_KEYS_EXCLUDE, FILTER_DBS, FILTER_TYPES, FILTER_COMMANDS, MAP_KEY_PREFIX,
                CUTOVER_WRITE_PAUSE, CUTOVER_CATCH_UP_TIMEOUT, CUTOVER_TAKEOVER,
                VERIFY_REPORT, VERIFY_SAMPLE, VERIFY_RECHECKS, VERIFY_RECHECK_DELAY, VERIFY_TTL_TOLERANCE, VERIFY_PARALLELISM,
                SINK_PARALLELISM, SINK_DELIVERY_GUARANTEE, STATE_DIR, METRICS_PORT, JOB_NAME, TARGET_PREPARED_FOR_JOB);
    }
}
