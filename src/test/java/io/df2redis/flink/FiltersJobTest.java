package io.df2redis.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.flink.job.Df2RedisJob;
import io.df2redis.flink.job.JobSettings;
import io.df2redis.testing.dataset.Dataset;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.dfsim.GeneratedEngine;
import io.df2redis.testing.dfsim.SimDataset;
import io.df2redis.testing.dfsim.SimValue;
import io.df2redis.testing.dfsim.SimWorkload;
import io.df2redis.testing.flink.SimDatasets;
import io.df2redis.testing.recordings.Bytes;
import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisServerProcess;
import io.df2redis.translate.FilterConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Filters and renaming through the whole job, snapshot and journal alike, into a standalone and a
 * cluster target: keys excluded by pattern, a type and a db left out, two prefixes renamed; then
 * writes of every kind, multi-key DELs across the filter, RENAMEs out of the filter (the target's
 * copy goes) and into it (the value read from the master). The target ends equal to the master's
 * data as the filters select and rename it.
 */
@Timeout(300)
class FiltersJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .setConfiguration(flinkConfig())
            .build());

    static Configuration flinkConfig() {
        Configuration c = new Configuration();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return c;
    }

    @TempDir
    Path tmp;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private DfSim sim;
    private JobClient job;

    @AfterEach
    void stop() throws Exception {
        JobTestSupport.cancelAndAwait(job);
        if (sim != null) {
            List<?> v = sim.violations();
            sim.close();
            assertThat(v).as("forbidden or suspicious orders the job sent the master").isEmpty();
        }
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    static final String EXCLUDE = "int:*,tmp:*";
    static final String TYPES = "string,list,set,hash";
    static final String MAP = "str::s:,counter::c:,in::moved-in:";

    @ParameterizedTest(name = "cluster {0}")
    @ValueSource(booleans = {false, true})
    void filtersAndRenamingApplyToSnapshotAndJournal(boolean cluster) throws Exception {
        int flows = 2;
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(flows));
        GeneratedEngine g = sim.generated();
        Random r = new Random(17);
        SimWorkload.seed(g, r); // dbs 0, 1 (ttl:*) and 5; strings, lists, sets, hashes, zsets
        for (int i = 0; i < 40; i++) {
            g.seed(0, "tmp:" + i, SimValue.string(("t" + i).getBytes(StandardCharsets.UTF_8)));
        }
        JobTestSupport.Target target;
        List<String> args = new ArrayList<>(List.of("--source.url", "redis://127.0.0.1:" + sim.port(),
                "--source.flows", Integer.toString(flows), "--flow.spill.dir", tmp.resolve("spill").toString(),
                "--filter.keys.exclude", EXCLUDE, "--filter.types", TYPES, "--filter.dbs", "0,5", "--map.key-prefix", MAP));
        if (cluster) {
            RedisClusterProcesses c = RedisClusterProcesses.start();
            toClose.add(c);
            RedisServerProcess seed = c.primaries().get(0);
            target = JobTestSupport.cluster(seed.host(), seed.port(), c.url());
            args.addAll(List.of("--db-map", "0:0,1:0,5:0", "--db-map.allow-merge", "true"));
        } else {
            RedisServerProcess s = RedisServerProcess.builder().start();
            toClose.add(s);
            target = JobTestSupport.standalone(s.host(), s.port(), s.url());
        }
        args.addAll(List.of("--target.url", target.url()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(300);
        Df2RedisJob.build(env, JobSettings.fromArgs(args.toArray(new String[0])), flows);
        job = env.executeAsync("filters");

        FilterConfig filter = FilterConfig.parse(null, EXCLUDE, "0,5", TYPES, null, MAP);
        assertThat(JobTestSupport.awaitEqual(() -> expected(g, filter), target, job, Duration.ofSeconds(90)))
                .as("after the snapshot").isEmpty();

        for (int i = 0; i < 600; i++) {
            SimWorkload.randomWrite(g, r, i); // DEL of str/int/counter keys crosses the filter
            SimWorkload.nonIdempotentWrite(g, r, i);
            if (i % 40 == 0) {
                renameAcrossTheFilter(g, r, i);
            }
        }
        assertThat(JobTestSupport.awaitEqual(() -> expected(g, filter), target, job, Duration.ofSeconds(90)))
                .as("after the journal").isEmpty();
        // --mode verify with the same settings compares exactly the filtered, renamed keys.
        List<String> verify = new ArrayList<>(args);
        verify.addAll(List.of("--mode", "verify", "--verify.recheck-delay", "200ms"));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int code = Df2RedisJob.verify(JobSettings.fromArgs(verify.toArray(new String[0])), new java.io.PrintStream(out, true),
                new java.io.PrintStream(out, true));
        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains(" keys compared, ").contains(" 0 different");
        // The moves did cross the filter both ways.
        TreeMap<Bytes, SimValue> db0 = g.dataset().copy(k -> true).get(0);
        assertThat(db0.keySet().stream().map(k -> new String(k.toByteArray(), StandardCharsets.UTF_8)))
                .anyMatch(k -> k.startsWith("in:")).anyMatch(k -> k.startsWith("tmp:out:"));
    }

    /** RENAME tmp:* → in:* (into the filter) and str:* → tmp:* (out of it), within one master shard. */
    private static void renameAcrossTheFilter(GeneratedEngine g, Random r, int i) {
        String src = "tmp:" + r.nextInt(40);
        if (g.dataset().get(0, Bytes.utf8(src)) != null) {
            for (int t = 0; t < 64; t++) {
                String dst = "in:" + i + ":" + t;
                if (g.shardOf(src.getBytes(StandardCharsets.UTF_8)) == g.shardOf(dst.getBytes(StandardCharsets.UTF_8))) {
                    g.write(0, "RENAME", src, dst); // nothing writes in:* afterwards
                    break;
                }
            }
        }
        String out = "str:" + r.nextInt(20);
        if (g.dataset().get(0, Bytes.utf8(out)) != null) {
            for (int t = 0; t < 64; t++) {
                String dst = "tmp:out:" + i + ":" + t;
                if (g.shardOf(out.getBytes(StandardCharsets.UTF_8)) == g.shardOf(dst.getBytes(StandardCharsets.UTF_8))) {
                    g.write(0, "RENAME", out, dst);
                    break;
                }
            }
        }
    }

    /** The master's data as the filters select it, under the renamed names. */
    static Dataset expected(GeneratedEngine g, FilterConfig filter) {
        SimDataset out = new SimDataset();
        TreeMap<Integer, TreeMap<Bytes, SimValue>> all = g.dataset().copy(k -> true);
        for (Map.Entry<Integer, TreeMap<Bytes, SimValue>> db : all.entrySet()) {
            if (!filter.dbIncluded(db.getKey())) {
                continue;
            }
            for (Map.Entry<Bytes, SimValue> e : db.getValue().entrySet()) {
                byte[] key = e.getKey().toByteArray();
                String type = e.getValue().kind().name().toLowerCase(java.util.Locale.ROOT);
                if (filter.keyIncluded(key) && filter.typeIncluded(type)) {
                    out.put(db.getKey(), Bytes.of(filter.mapKey(key)), e.getValue());
                }
            }
        }
        return SimDatasets.toDataset(out);
    }
}
