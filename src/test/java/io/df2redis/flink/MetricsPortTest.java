package io.df2redis.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.flink.job.Df2RedisJob;
import io.df2redis.flink.job.JobSettings;
import io.df2redis.flink.job.LocalStateDir;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.dfsim.SimWorkload;
import io.df2redis.testing.redis.FreePorts;
import io.df2redis.testing.redis.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded runner's {@code --metrics.port}: Flink's Prometheus reporter serves every metric on
 * it; a scrape finds each flow's lag (entries behind the master, and in time) once its first ACK
 * is in, the writers' counters, and every metric the Grafana dashboard in {@code deploy/grafana}
 * queries.
 */
@Timeout(180)
class MetricsPortTest {
    @TempDir
    Path tmp;

    @Test
    void aScrapeFindsEachFlowsLag() throws Exception {
        int port = FreePorts.loopback();
        try (DfSim sim = DfSim.generated(DfSimConfig.defaults().withFlows(2));
                RedisServerProcess redis = RedisServerProcess.builder().start()) {
            SimWorkload.seed(sim.generated(), new Random(3));
            JobSettings settings = JobSettings.fromArgs("--source.url", "redis://127.0.0.1:" + sim.port(), "--target.url", redis.url(),
                    "--metrics.port", Integer.toString(port), "--state.dir", tmp.resolve("state").toString(),
                    "--flow.spill.dir", tmp.resolve("spill").toString());
            StreamExecutionEnvironment env = Df2RedisJob.embedded(settings, new LocalStateDir(tmp.resolve("state")));
            env.enableCheckpointing(500);
            Df2RedisJob.build(env, settings, 2);
            JobClient job = env.executeAsync("metrics");
            try {
                HttpClient http = HttpClient.newHttpClient();
                Pattern lag = Pattern.compile("^\\S*dragonfly_flow_lagEntries\\{[^}]*flow=\"(\\d)\"[^}]*\\} (\\S+)$", Pattern.MULTILINE);
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                String body = "";
                java.util.Set<String> flowsWithLag = new java.util.TreeSet<>();
                while (System.nanoTime() < deadline && flowsWithLag.size() < 2) {
                    SimWorkload.randomWrite(sim.generated(), new Random(), 1);
                    try {
                        body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                    } catch (java.io.IOException notYet) {
                        Thread.sleep(200);
                        continue;
                    }
                    Matcher m = lag.matcher(body);
                    flowsWithLag.clear();
                    while (m.find()) {
                        if (Double.parseDouble(m.group(2)) >= 0) { // -1 until the flow's first ACK
                            flowsWithLag.add(m.group(1));
                        }
                    }
                    Thread.sleep(200);
                }
                assertThat(flowsWithLag).as(body.lines().filter(l -> l.contains("lagEntries")).toList().toString())
                        .containsExactly("0", "1");
                assertThat(body).contains("commandsAcknowledged").contains("dragonfly_flow_snapshotEntries")
                        .containsPattern("dragonfly_flow_lagMs\\{[^}]*flow=\"0\"").containsPattern("dragonfly_flow_lagMs\\{[^}]*flow=\"1\"");
                // Every metric the Grafana dashboard queries is one the job exports.
                String dashboard = java.nio.file.Files.readString(Path.of("deploy/grafana/df2redis-dashboard.json"));
                Matcher used = Pattern.compile("flink_[A-Za-z_]+").matcher(dashboard);
                int names = 0;
                while (used.find()) {
                    names++;
                    assertThat(body).as("deploy/grafana/df2redis-dashboard.json queries " + used.group()).contains(used.group() + "{");
                }
                assertThat(names).isGreaterThan(15);
            } finally {
                job.cancel().get();
            }
        }
    }
}
