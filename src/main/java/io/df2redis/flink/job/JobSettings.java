package io.df2redis.flink.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.df2redis.translate.DbMapping;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The job's settings, read from flags and an optional YAML file (flags win), checked at once: an
 * unknown key, a missing required one or a bad value fails with {@link InvalidSettingException}
 * naming it. Serializable so that the source and the sink carry it into the cluster.
 */
public final class JobSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> values;
    private transient Configuration configuration;

    private JobSettings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        validate();
    }

    /** Parses {@code --key value} flags (and {@code --key=value}); {@code --config FILE} adds a YAML file. */
    public static JobSettings fromArgs(String... args) {
        Map<String, String> flags = parseFlags(args);
        Map<String, String> merged = new HashMap<>();
        String file = flags.get(Df2RedisOptions.CONFIG_FILE.key());
        if (file != null) {
            merged.putAll(readYaml(Path.of(file)));
        }
        merged.putAll(flags);
        return new JobSettings(merged);
    }

    public static JobSettings fromMap(Map<String, String> values) {
        return new JobSettings(values);
    }

    /** The raw key/value pairs (normalized), e.g. to pass them on or print them. */
    public Map<String, String> asMap() {
        return values;
    }

    public JobSettings with(String key, String value) {
        Map<String, String> m = new HashMap<>(values);
        m.put(key, value);
        return new JobSettings(m);
    }

    public <T> T get(ConfigOption<T> option) {
        try {
            return configuration().get(option);
        } catch (IllegalArgumentException e) {
            String v = values.get(option.key());
            if (option.hasDefaultValue() && option.defaultValue() instanceof Enum<?> d) {
                throw new InvalidSettingException(option.key(), "bad value '" + v.toLowerCase(Locale.ROOT).replace('_', '-')
                        + "': one of " + allowed(d.getDeclaringClass()));
            }
            throw new InvalidSettingException(option.key(), "bad value '" + v + "': " + e.getMessage());
        }
    }

    /** An enum's values as users write them: {@code replicate, snapshot, …}. */
    static String allowed(Class<?> enumType) {
        StringBuilder sb = new StringBuilder();
        for (Object c : enumType.getEnumConstants()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return sb.toString();
    }

    public boolean isSet(ConfigOption<?> option) {
        return values.containsKey(option.key());
    }

    public Df2RedisOptions.Mode mode() {
        return get(Df2RedisOptions.MODE);
    }

    /** The first address of {@code source.url} (which may list the master and its replicas). */
    public URI sourceUrl() {
        List<io.df2redis.dragonfly.session.DragonflyEndpoint> all = sourceEndpoints();
        String v = values.get(Df2RedisOptions.SOURCE_URL.key());
        String scheme = v.trim().toLowerCase(Locale.ROOT).startsWith("rediss://") ? "rediss" : "redis";
        String first = v.trim();
        if (all.size() > 1) {
            int schemeEnd = first.indexOf("://") + 3;
            int at = first.lastIndexOf('@', first.indexOf(',') < 0 ? first.length() : first.indexOf(','));
            String user = at >= schemeEnd ? first.substring(schemeEnd, at + 1) : "";
            first = scheme + "://" + user + all.get(0).host() + ":" + all.get(0).port();
        }
        try {
            return new URI(first);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(Df2RedisOptions.SOURCE_URL.key(), "not a URL: " + e.getMessage());
        }
    }

    /** Every address of {@code source.url}: {@code redis://[user:pass@]host1:port1,host2:port2,…}. */
    public List<io.df2redis.dragonfly.session.DragonflyEndpoint> sourceEndpoints() {
        String v = values.get(Df2RedisOptions.SOURCE_URL.key());
        if (v == null) {
            throw new InvalidSettingException(Df2RedisOptions.SOURCE_URL.key(), "required");
        }
        String lower = v.trim().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("redis://") && !lower.startsWith("rediss://")) {
            throw new InvalidSettingException(Df2RedisOptions.SOURCE_URL.key(),
                    "expected redis://host:port[,host2:port2…] or rediss://…, got '" + v + "'");
        }
        try {
            return io.df2redis.dragonfly.session.DragonflyEndpoint.parseAll(v);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(Df2RedisOptions.SOURCE_URL.key(), e.getMessage());
        }
    }

    public URI targetUrl() {
        return uri(Df2RedisOptions.TARGET_URL);
    }

    /** Source db → target db (identity unless {@code db-map} says otherwise). */
    public DbMapping dbMapping() {
        try {
            return DbMapping.parse(get(Df2RedisOptions.DB_MAP), get(Df2RedisOptions.DB_MAP_ALLOW_MERGE));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(Df2RedisOptions.DB_MAP.key(), e.getMessage());
        }
    }

    private URI uri(ConfigOption<String> option) {
        String v = values.get(option.key());
        if (v == null) {
            throw new InvalidSettingException(option.key(), "required");
        }
        try {
            URI u = new URI(v);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("redis") && !scheme.equals("rediss")) {
                throw new InvalidSettingException(option.key(), "expected redis://host:port or rediss://host:port, got '" + v + "'");
            }
            if (u.getHost() == null || u.getPort() <= 0) {
                throw new InvalidSettingException(option.key(), "host and port required, got '" + v + "'");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(option.key(), "not a URL: " + e.getMessage());
        }
    }

    private Configuration configuration() {
        if (configuration == null) {
            configuration = Configuration.fromMap(values);
        }
        return configuration;
    }

    private void validate() {
        Map<String, ConfigOption<?>> known = new HashMap<>();
        for (ConfigOption<?> o : Df2RedisOptions.all()) {
            known.put(o.key(), o);
        }
        for (String key : values.keySet()) {
            if (!known.containsKey(key) && !key.startsWith(Df2RedisOptions.TRANSLATE_PREFIX)) {
                throw new InvalidSettingException(key, "unknown setting (--help lists every setting)");
            }
        }
        for (ConfigOption<?> o : Df2RedisOptions.all()) {
            if (values.containsKey(o.key())) {
                get(o); // type check
            }
        }
        if (mode() != Df2RedisOptions.Mode.CLEANUP) {
            sourceUrl(); // cleanup touches only the target
        }
        VerifySettings.config(this); // verify.* checked in every mode: a typo fails early
        targetUrl();
        positive(Df2RedisOptions.SOURCE_FLOWS);
        positive(Df2RedisOptions.SINK_PARALLELISM);
        positive(Df2RedisOptions.WRITER_CONNECTIONS_PER_NODE);
        positive(Df2RedisOptions.WRITER_BATCH_MAX_COMMANDS);
        positive(Df2RedisOptions.WRITER_BATCH_MAX_BYTES);
        positive(Df2RedisOptions.WRITER_MAX_IN_FLIGHT_BATCHES);
        positive(Df2RedisOptions.WRITER_MAX_OUTSTANDING_COMMANDS);
        int outstanding = get(Df2RedisOptions.WRITER_MAX_OUTSTANDING_COMMANDS);
        if (outstanding > io.df2redis.redis.WriterConfig.MAX_OUTSTANDING_COMMANDS) {
            throw new InvalidSettingException(Df2RedisOptions.WRITER_MAX_OUTSTANDING_COMMANDS.key(),
                    "must be at most " + io.df2redis.redis.WriterConfig.MAX_OUTSTANDING_COMMANDS + ", got " + outstanding);
        }
        atLeast(Df2RedisOptions.WRITER_MAX_OUTSTANDING_BYTES, 1);
        atLeast(Df2RedisOptions.FLOW_BUFFER_BYTES, 64 * 1024);
        atLeast(Df2RedisOptions.FLOW_SPILL_MAX_BYTES, 0);
        int held = get(Df2RedisOptions.SNAPSHOT_MAX_VALUE_BYTES);
        if (held < 1024 || held > (512 << 20)) {
            throw new InvalidSettingException(Df2RedisOptions.SNAPSHOT_MAX_VALUE_BYTES.key(), "must be between 1024 and 512 MiB, got " + held);
        }
        atLeast(Df2RedisOptions.WRITER_RATE_LIMIT_OPS, 0);
        atLeast(Df2RedisOptions.WRITER_RATE_LIMIT_BYTES, 0);
        waitReplicas();
        if (get(Df2RedisOptions.WRITER_WAIT_TIMEOUT).compareTo(Duration.ZERO) < 0) {
            throw new InvalidSettingException(Df2RedisOptions.WRITER_WAIT_TIMEOUT.key(), "must be ≥ 0");
        }
        dbMapping();
        TranslateSettings.translateConfig(this); // every translate.* value checked here, named
        String spillDir = values.get(Df2RedisOptions.FLOW_SPILL_DIR.key());
        if (spillDir != null && spillDir.isBlank()) {
            throw new InvalidSettingException(Df2RedisOptions.FLOW_SPILL_DIR.key(), "empty path");
        }
    }

    /** {@code writer.wait.replicas}: -1 for {@code auto}, else the count (≥ 0). */
    public int waitReplicas() {
        String v = get(Df2RedisOptions.WRITER_WAIT_REPLICAS).trim();
        if (v.equalsIgnoreCase("auto")) {
            return -1;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidSettingException(Df2RedisOptions.WRITER_WAIT_REPLICAS.key(), "'" + v + "': auto or a count ≥ 0");
    }

    private void positive(ConfigOption<Integer> o) {
        if (values.containsKey(o.key()) || o.hasDefaultValue()) {
            Integer v = get(o);
            if (v != null && v <= 0) {
                throw new InvalidSettingException(o.key(), "must be ≥ 1, got " + v);
            }
        }
    }

    private void atLeast(ConfigOption<Long> o, long min) {
        long v = get(o);
        if (v < min) {
            throw new InvalidSettingException(o.key(), "must be ≥ " + min + ", got " + v);
        }
    }

    static Map<String, String> parseFlags(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new InvalidSettingException(a, "expected --key value");
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new InvalidSettingException(key, "missing value");
            }
            m.put(key, normalize(key, value));
        }
        return m;
    }

    static Map<String, String> readYaml(Path file) {
        Object root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readValue(Files.readString(file), Object.class);
        } catch (IOException e) {
            throw new InvalidSettingException(Df2RedisOptions.CONFIG_FILE.key(), "cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null) {
            return out;
        }
        if (!(root instanceof Map)) {
            throw new InvalidSettingException(Df2RedisOptions.CONFIG_FILE.key(), file + " is not a YAML mapping");
        }
        flatten("", (Map<?, ?>) root, out);
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, out);
            } else if (v instanceof List<?> list) {
                StringBuilder sb = new StringBuilder();
                for (Object item : list) {
                    if (sb.length() > 0) {
                        sb.append(',');
                    }
                    sb.append(item);
                }
                out.put(key, normalize(key, sb.toString()));
            } else {
                out.put(key, normalize(key, v == null ? "" : String.valueOf(v)));
            }
        }
    }

    /** Enum values are written in kebab case by users (fail-if-not-empty); Flink wants the constant. */
    private static String normalize(String key, String value) {
        for (ConfigOption<?> o : Df2RedisOptions.all()) {
            if (o.key().equals(key) && o.hasDefaultValue() && o.defaultValue() instanceof Enum) {
                String v = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
                if (o == Df2RedisOptions.TARGET_CLUSTER) {
                    v = v.equals("TRUE") ? "CLUSTER" : v.equals("FALSE") ? "STANDALONE" : v;
                }
                return v;
            }
        }
        return value.trim();
    }
}
