package io.df2redis.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;

/**
 * The shipped configuration: {@code flink-conf/config.yaml} is what Flink reads, and its
 * TaskManager JVM options (and the Kubernetes deployment's) are the embedded runner's {@code
 * flink-conf/jvm.options}, which this JVM's launcher accepts as an argument file (the README's
 * command starts the job with it).
 */
class FlinkConfTest {
    private static final Path CONF = Path.of(System.getProperty("df2redis.project.dir", ".")).toAbsolutePath().resolve("flink-conf");

    @Test
    void configYamlLoadsAndGivesTheTaskManagersTheEmbeddedRunnersJvmOptions() throws IOException {
        Configuration c = GlobalConfiguration.loadConfiguration(CONF.toString());
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).as("execution.checkpointing.interval").hasSeconds(10);
        assertThat(Arrays.asList(c.get(CoreOptions.FLINK_TM_JVM_OPTIONS).trim().split("\\s+")))
                .as("env.java.opts.taskmanager in %s/config.yaml", CONF)
                .isEqualTo(optionsInFile());
    }

    @Test
    void theKubernetesDeploymentGivesTheTaskManagersTheSameJvmOptions() throws IOException {
        Path k8s = CONF.getParent().resolve("deploy/kubernetes/flinkdeployment.yaml");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*env\\.java\\.opts\\.taskmanager:\\s*\"([^\"]*)\"")
                .matcher(Files.readString(k8s, StandardCharsets.UTF_8));
        assertThat(m.find()).as("env.java.opts.taskmanager in %s", k8s).isTrue();
        assertThat(Arrays.asList(m.group(1).trim().split("\\s+"))).as("env.java.opts.taskmanager in %s", k8s).isEqualTo(optionsInFile());
    }

    @Test
    void theJavaLauncherAcceptsJvmOptionsAsAnArgumentFile() throws Exception {
        assertThat(optionsInFile()).as("options in jvm.options").isNotEmpty();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + CONF.resolve("jvm.options"), "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("java @jvm.options -version: %s", out).isZero();
        for (String option : optionsInFile()) {
            if (!option.startsWith("-XX:") || !option.contains("=")) {
                continue; // the exit code above covers the others
            }
            // -XX:Name=value: the JVM reports the value as set on the command line
            String[] nv = option.substring("-XX:".length()).split("=", 2);
            assertThat(out).as("java @jvm.options took %s", option)
                    .containsPattern("\\b" + nv[0] + "\\s+=\\s+" + nv[1] + "\\s+\\{[^}]*\\}\\s+\\{command line\\}");
        }
    }

    /** The options of {@code jvm.options}, without its comments. */
    private static List<String> optionsInFile() throws IOException {
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(CONF.resolve("jvm.options"), StandardCharsets.UTF_8)) {
            String l = line.replaceFirst("#.*", "").trim();
            if (!l.isEmpty()) {
                options.addAll(Arrays.asList(l.split("\\s+")));
            }
        }
        return options;
    }
}
