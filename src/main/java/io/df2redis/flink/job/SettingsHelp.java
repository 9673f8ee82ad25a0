package io.df2redis.flink.job;

import io.df2redis.translate.TranslateConfig;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;

/**
 * {@code --help} and {@code --version}: every setting, grouped, with its default and meaning, made
 * from the option definitions ({@link Df2RedisOptions#all()}, {@link TranslateConfig#settings()}), so
 * that it cannot drift from what the job accepts; a test holds README's table to the same list.
 */
public final class SettingsHelp {
    private SettingsHelp() {}

    /** Internal settings, set by the job itself: not listed. */
    private static final List<String> HIDDEN = List.of(Df2RedisOptions.TARGET_PREPARED_FOR_JOB.key());

    /** One row: key, default as users write it, meaning. */
    public record Row(String key, String defaultValue, String meaning) {}

    /** The groups in order, each with its rows. */
    public static Map<String, List<Row>> groups() {
        Map<String, List<Row>> g = new LinkedHashMap<>();
        for (String name : List.of("General", "Source (Dragonfly)", "Target (Redis)", "Writer", "Mapping, filters and full sync",
                "Delivery", "Verify (--mode verify)", "Cut-over (--mode cutover)", "Translation")) {
            g.put(name, new ArrayList<>());
        }
        for (ConfigOption<?> o : Df2RedisOptions.all()) {
            if (!HIDDEN.contains(o.key())) {
                g.get(group(o.key())).add(new Row(o.key(), defaultOf(o), meaning(o)));
            }
        }
        for (TranslateConfig.Setting s : TranslateConfig.settings()) {
            g.get("Translation").add(new Row(s.key(), s.defaultValue(), s.meaning()));
        }
        return g;
    }

    private static String group(String key) {
        if (key.startsWith("source.") || key.startsWith("flow.") || key.startsWith("snapshot.")) {
            return "Source (Dragonfly)";
        }
        if (key.startsWith("target.")) {
            return "Target (Redis)";
        }
        if (key.startsWith("writer.")) {
            return "Writer";
        }
        if (key.startsWith("full-sync.") || key.startsWith("db-map") || key.startsWith("filter.") || key.startsWith("map.")) {
            return "Mapping, filters and full sync";
        }
        if (key.startsWith("sink.")) {
            return "Delivery";
        }
        if (key.startsWith("cutover.")) {
            return "Cut-over (--mode cutover)";
        }
        if (key.startsWith("verify.")) {
            return "Verify (--mode verify)";
        }
        return "General";
    }

    /** The default as a user writes it: enums in kebab case, durations as 20s, sizes as bytes. */
    static String defaultOf(ConfigOption<?> o) {
        if (!o.hasDefaultValue()) {
            return "-";
        }
        Object v = o.defaultValue();
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (v instanceof Duration d) {
            return d.isZero() ? "0" : d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
        return String.valueOf(v);
    }

    private static String meaning(ConfigOption<?> o) {
        StringBuilder sb = new StringBuilder();
        for (BlockElement b : o.description().getBlocks()) {
            sb.append(b instanceof TextElement t ? t.getFormat() : b.toString());
        }
        String m = sb.toString();
        if (o.key().equals(Df2RedisOptions.MODE.key())) {
            return "replicate, snapshot, cleanup, verify or cutover (README \"Modes\")";
        }
        return m.isEmpty() ? "(see README \"Settings\")" : m;
    }

    /** The text of {@code --help}. */
    public static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("df2redis ").append(version()).append(": replicates a live Dragonfly into Redis or Redis Cluster.\n\n")
                .append("Usage: java -jar df2redis-local.jar --source.url redis://DRAGONFLY:6379 --target.url redis://REDIS:6379"
                        + " [--key value]...\n")
                .append("       flink run df2redis-job.jar --source.url … --target.url … [--key value]...\n")
                .append("Every setting works as --key value and as a key of the YAML file of --config; flags win.\n");
        for (Map.Entry<String, List<Row>> g : groups().entrySet()) {
            sb.append('\n').append(g.getKey()).append(":\n");
            for (Row r : g.getValue()) {
                sb.append("  --").append(r.key()).append("  (default: ").append(r.defaultValue()).append(")\n")
                        .append("      ").append(r.meaning()).append('\n');
            }
        }
        sb.append("\nExit codes: 0 done (verify: equal), 1 failed (verify: different), 2 bad settings.\n");
        return sb.toString();
    }

    /** The project version the jar was built as. */
    public static String version() {
        try (InputStream in = SettingsHelp.class.getResourceAsStream("/df2redis-version.properties")) {
            if (in == null) {
                return "(unknown version)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "(unknown version)");
        } catch (IOException e) {
            return "(unknown version)";
        }
    }
}
