package io.df2redis.testing.benchmaster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a job's CPU went, from a JFR recording ({@code -XX:StartFlightRecording}): each execution
 * sample is charged to the stage of the first frame, from the top of its stack, that belongs to a
 * known stage (a JDK leaf such as {@code Arrays.copyOf}, or shared code such as CRC64 or the slot
 * function, is charged to the stage that called it). Also per thread group, the hottest leaf methods, and GC pauses.
 *
 * <pre>JfrProfile recording.jfr [top] [thread-name-substring]</pre>
 */
public final class JfrProfile {
    /** Stage → class-name prefixes, tried in this order for each frame. */
    private static final Map<String, List<String>> STAGES = new LinkedHashMap<>();

    static {
        STAGES.put("parser (stream, journal, LZ4)", List.of("io.df2redis.dragonfly.stream.", "io.df2redis.dragonfly.journal.",
                "net.jpountz.lz4.", "org.apache.commons.compress.", "io.airlift.compress."));
        STAGES.put("flow connection (socket, buffer, spill)", List.of("io.df2redis.dragonfly.flow.", "io.df2redis.dragonfly.session."));
        STAGES.put("source reader (events to records)", List.of("io.df2redis.flink.source."));
        STAGES.put("record serialization + shuffle (keyBy)", List.of("io.df2redis.flink.record.",
                "org.apache.flink.runtime.io.network.", "org.apache.flink.streaming.runtime.io.",
                "org.apache.flink.runtime.io.", "org.apache.flink.core.memory.", "org.apache.flink.runtime.plugable.",
                "org.apache.flink.streaming.runtime.streamrecord.", "org.apache.flink.api.common.typeutils.",
                "org.apache.flink.streaming.runtime.partitioner."));
        STAGES.put("translation", List.of("io.df2redis.translate."));
        STAGES.put("sink (writer operator)", List.of("io.df2redis.flink.sink."));
        STAGES.put("redis writer (batches, I/O)", List.of("io.df2redis.redis.", "redis.clients."));
        STAGES.put("job (keyBy selector, settings)", List.of("io.df2redis.flink."));
        STAGES.put("flink runtime (mailbox, tasks, checkpoints)", List.of("org.apache.flink."));
    }

    /**
     * Shared code charged to whoever calls it: RDB value codecs and CRC64 (parser and translation),
     * the RESP codec, and the slot contract (source, translation and writer all compute slots).
     */
    private static final List<String> SHARED = List.of("io.df2redis.dragonfly.rdb.", "io.df2redis.dragonfly.event.",
            "io.df2redis.resp.", "io.df2redis.redis.Slots", "io.df2redis.redis.RedisCommand", "redis.clients.jedis.util.");

    private JfrProfile() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrProfile recording.jfr [top] [thread-name-substring]");
            System.exit(2);
        }
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String onlyThreads = args.length > 2 ? args[2] : null;
        Map<String, Long> stages = new LinkedHashMap<>();
        Map<String, Long> threads = new TreeMap<>();
        Map<String, Long> leaves = new TreeMap<>();
        Map<String, Long> firstProjectFrames = new TreeMap<>();
        long samples = 0;
        long gcs = 0;
        double machine = 0;
        double jvm = 0;
        int loads = 0;
        Duration gcPause = Duration.ZERO;
        Duration longestPause = Duration.ZERO;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.GarbageCollection")) {
                gcs++;
                Duration d = e.getDuration("sumOfPauses");
                gcPause = gcPause.plus(d);
                if (d.compareTo(longestPause) > 0) {
                    longestPause = d;
                }
                continue;
            }
            if (type.equals("jdk.CPULoad")) {
                machine += e.getFloat("machineTotal");
                jvm += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
                loads++;
                continue;
            }
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            if (onlyThreads != null && (thread == null || !thread.contains(onlyThreads))) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = st.getFrames();
            stages.merge(stageOf(frames), 1L, Long::sum);
            threads.merge(threadGroup(thread == null ? "?" : thread), 1L, Long::sum);
            leaves.merge(method(frames.get(0)), 1L, Long::sum);
            for (RecordedFrame f : frames) {
                String cls = f.getMethod().getType().getName();
                if (cls.startsWith("io.df2redis.")) {
                    firstProjectFrames.merge(method(f), 1L, Long::sum);
                    break;
                }
            }
        }
        System.out.printf("samples: %d (Java threads on CPU; about one per 10-20 ms of CPU per thread)%s%n", samples,
                onlyThreads == null ? "" : " of threads named *" + onlyThreads + "*");
        System.out.println("\nby stage (first frame of a known stage from the top of the stack):");
        print(stages, samples, top);
        System.out.println("\nby thread:");
        print(threads, samples, top);
        System.out.println("\nhottest leaf methods (self time):");
        print(leaves, samples, top);
        System.out.println("\nhottest df2redis frames (first project frame from the top):");
        print(firstProjectFrames, samples, top);
        System.out.printf("%nGC: %d collections, %d ms of pauses in total, longest %d ms%n", gcs, gcPause.toMillis(),
                longestPause.toMillis());
        if (loads > 0) {
            System.out.printf("CPU (jdk.CPULoad, mean of %d readings): machine %.0f %% busy, this JVM %.0f %% of the machine%n",
                    loads, 100 * machine / loads, 100 * jvm / loads);
        }
    }

    static String stageOf(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String cls = f.getMethod().getType().getName();
            if (SHARED.stream().anyMatch(cls::startsWith)) {
                continue;
            }
            for (Map.Entry<String, List<String>> s : STAGES.entrySet()) {
                for (String prefix : s.getValue()) {
                    if (cls.startsWith(prefix)) {
                        return s.getKey();
                    }
                }
            }
        }
        String leaf = frames.get(0).getMethod().getType().getName();
        return "other (" + leaf.substring(0, Math.max(0, leaf.lastIndexOf('.'))) + ")";
    }

    /** Thread names without their numbers, so that subtasks and pools group together. */
    static String threadGroup(String name) {
        return name.replaceAll("\\(\\d+/\\d+\\)", "(n/N)").replaceAll("#\\d+", "#n").replaceAll("-\\d+", "-n")
                .replaceAll("\\d+$", "n");
    }

    private static String method(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(Map<String, Long> counts, long total, int top) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("  %5.1f %%  %7d  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getValue(),
                        e.getKey()));
    }
}
