package io.df2redis.testing.redis;

import io.df2redis.redis.RedisConnection;
import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Redis Cluster of real {@code redis-server} processes on loopback (by default 3 primaries with
 * one replica each), built with {@code CLUSTER ADDSLOTSRANGE / MEET / REPLICATE} and ready when
 * every node reports {@code cluster_state:ok}, all agree on the primaries and every replica's link
 * is up. Helpers change it under a running writer: slot migration key by key, coordinated
 * failover, SIGKILL of a primary, restart of a node.
 */
public final class RedisClusterProcesses implements AutoCloseable {
    private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(60);

    private final List<RedisServerProcess> nodes;
    private final Map<Integer, String> idByPort = new HashMap<>();

    private RedisClusterProcesses(List<RedisServerProcess> nodes) {
        this.nodes = nodes;
    }

    /** 3 primaries + 3 replicas, node timeout 5 s. */
    public static RedisClusterProcesses start() throws IOException, InterruptedException {
        return start(3, 1, 5000, b -> { });
    }

    /**
     * @param customize applied to every node's builder (password, extra config…)
     */
    public static RedisClusterProcesses start(int primaries, int replicasPerPrimary, int nodeTimeoutMs,
            Consumer<RedisServerProcess.Builder> customize) throws IOException, InterruptedException {
        List<RedisServerProcess> nodes = new ArrayList<>();
        RedisClusterProcesses cluster = new RedisClusterProcesses(nodes);
        try {
            int total = primaries * (1 + replicasPerPrimary);
            for (int i = 0; i < total; i++) {
                RedisServerProcess.Builder b = RedisServerProcess.builder().cluster(nodeTimeoutMs);
                customize.accept(b);
                nodes.add(b.start());
            }
            for (RedisServerProcess n : nodes) {
                cluster.idByPort.put(n.port(), n.call("CLUSTER", "MYID").asText());
            }
            for (int i = 0; i < primaries; i++) {
                RedisServerProcess p = nodes.get(i);
                int from = i * 16384 / primaries;
                int to = (i + 1) * 16384 / primaries - 1;
                ok(p, "CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
                ok(p, "CLUSTER", "ADDSLOTSRANGE", Integer.toString(from), Integer.toString(to));
            }
            for (int i = 1; i < total; i++) {
                ok(nodes.get(0), "CLUSTER", "MEET", nodes.get(i).host(), Integer.toString(nodes.get(i).port()));
            }
            Await.until(HEALTHY_TIMEOUT, "every node to know all " + total + " nodes", () -> {
                for (RedisServerProcess n : nodes) {
                    List<String[]> lines = cluster.clusterNodes(n);
                    if (lines.size() != total) {
                        return n + " knows " + lines.size();
                    }
                    for (String[] l : lines) {
                        if (l[2].contains("handshake") || l[2].contains("noaddr")) {
                            return n + " sees " + String.join(" ", l);
                        }
                    }
                }
                return null;
            });
            int r = primaries;
            for (int i = 0; i < primaries; i++) {
                for (int k = 0; k < replicasPerPrimary; k++) {
                    ok(nodes.get(r++), "CLUSTER", "REPLICATE", cluster.idByPort.get(nodes.get(i).port()));
                }
            }
            cluster.awaitHealthy();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public List<RedisServerProcess> nodes() {
        return List.copyOf(nodes);
    }

    /** URL of a running primary (any node of a cluster will do as a seed). */
    public String url() throws IOException {
        return primaries().get(0).url();
    }

    public String nodeId(RedisServerProcess n) {
        return idByPort.get(n.port());
    }

    /** Current primaries serving slots, as a running node sees them. */
    public List<RedisServerProcess> primaries() throws IOException {
        List<RedisServerProcess> out = new ArrayList<>();
        for (String[] l : clusterNodes(anyRunning())) {
            if (l[2].contains("master") && !l[2].contains("fail") && l.length > 8) {
                RedisServerProcess n = byAddress(l[1]);
                if (n != null) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** The primary serving {@code slot}. */
    public RedisServerProcess primaryOf(int slot) throws IOException {
        for (String[] l : clusterNodes(anyRunning())) {
            if (!l[2].contains("master") || l[2].contains("fail")) {
                continue;
            }
            if (slots(l).get(slot)) {
                return byAddress(l[1]);
            }
        }
        throw new IllegalStateException("no primary serves slot " + slot);
    }

    /** The slots {@code primary} serves. */
    public BitSet slotsOf(RedisServerProcess primary) throws IOException {
        for (String[] l : clusterNodes(anyRunning())) {
            if (l[0].equals(nodeId(primary))) {
                return slots(l);
            }
        }
        return new BitSet();
    }

    /** Running replicas of {@code primary}. */
    public List<RedisServerProcess> replicasOf(RedisServerProcess primary) throws IOException {
        List<RedisServerProcess> out = new ArrayList<>();
        String id = nodeId(primary);
        for (String[] l : clusterNodes(anyRunning())) {
            if (l[2].contains("slave") && l[3].equals(id)) {
                RedisServerProcess n = byAddress(l[1]);
                if (n != null && n.isRunning()) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** Starts moving {@code slot} to {@code to}: IMPORTING on the target, MIGRATING on the source. */
    public SlotMigration beginMigration(int slot, RedisServerProcess to) throws IOException {
        RedisServerProcess from = primaryOf(slot);
        if (from == to) {
            throw new IllegalArgumentException("slot " + slot + " is already on " + to);
        }
        ok(to, "CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", nodeId(from));
        ok(from, "CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", nodeId(to));
        return new SlotMigration(slot, from, to);
    }

    /** Moves a slot key by key ({@code MIGRATE}), running {@code betweenKeys} after each key, then assigns it. */
    public int migrateSlot(int slot, RedisServerProcess to, Runnable betweenKeys) throws IOException, InterruptedException {
        SlotMigration m = beginMigration(slot, to);
        int moved = 0;
        while (true) {
            int n = m.moveKeys(1);
            if (n == 0) {
                break;
            }
            moved += n;
            betweenKeys.run();
        }
        m.finish();
        return moved;
    }

    /** A slot being moved: its keys go over with {@link #moveKeys}, then {@link #finish} assigns the slot. */
    public final class SlotMigration {
        public final int slot;
        public final RedisServerProcess from;
        public final RedisServerProcess to;

        SlotMigration(int slot, RedisServerProcess from, RedisServerProcess to) {
            this.slot = slot;
            this.from = from;
            this.to = to;
        }

        /** MIGRATEs up to {@code max} keys, one command per key; returns how many were moved. */
        public int moveKeys(int max) throws IOException {
            try (RedisConnection c = from.connect()) {
                List<RespReply> keys = c.callOk("CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), Integer.toString(max)).asArray();
                for (RespReply k : keys) {
                    List<byte[]> args = new ArrayList<>(List.of(b("MIGRATE"), b(to.host()), b(Integer.toString(to.port())),
                            ((RespReply.Bulk) k).bytes(), b("0"), b("10000")));
                    if (to.password() != null) {
                        args.add(b("AUTH"));
                        args.add(b(to.password()));
                    }
                    RespReply r = c.call(args.toArray(new byte[0][]));
                    if (r.isError() && !r.describe().contains("NOKEY")) {
                        throw new IOException("MIGRATE of slot " + slot + " key to " + to + " failed: " + r.describe());
                    }
                }
                return keys.size();
            }
        }

        public long keysLeft() throws IOException {
            return from.call("CLUSTER", "COUNTKEYSINSLOT", Integer.toString(slot)).asLong();
        }

        /** {@code CLUSTER SETSLOT slot NODE target} on the target, the source, then every other primary. */
        public void finish() throws IOException, InterruptedException {
            String target = nodeId(to);
            ok(to, "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", target);
            ok(from, "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", target);
            for (RedisServerProcess p : primaries()) {
                if (p != to && p != from) {
                    ok(p, "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", target);
                }
            }
            Await.until(HEALTHY_TIMEOUT, "every node to see slot " + slot + " on " + to, () -> {
                for (RedisServerProcess n : running()) {
                    for (String[] l : clusterNodes(n)) {
                        if (slots(l).get(slot) && !l[0].equals(target)) {
                            return n + " still sees slot " + slot + " on " + l[1];
                        }
                    }
                }
                return null;
            });
        }
    }

    /** {@code CLUSTER FAILOVER} on {@code replica} (coordinated, no data loss); waits until it serves. */
    public void failover(RedisServerProcess replica) throws IOException, InterruptedException {
        awaitHealthy();
        long[] lastRequest = {0};
        Await.until(HEALTHY_TIMEOUT, replica + " to become a primary", () -> {
            try (RedisConnection c = replica.connect()) {
                String role = c.info("replication").get("role");
                if ("master".equals(role)) {
                    return null;
                }
                // A manual failover gives up after 5 s (e.g. the primary had not yet learnt of this replica): ask again.
                if (System.nanoTime() - lastRequest[0] > 6_000_000_000L) {
                    c.callOk("CLUSTER", "FAILOVER");
                    lastRequest[0] = System.nanoTime();
                }
                return "role " + role;
            }
        });
        awaitHealthy();
    }

    /**
     * SIGKILLs {@code primary} and waits until one of its replicas took over and the cluster is
     * healthy again (the killed node stays down; {@link #restart} brings it back as a replica).
     * Returns the new primary.
     */
    public RedisServerProcess killPrimary(RedisServerProcess primary) throws IOException, InterruptedException {
        List<RedisServerProcess> candidates = replicasOf(primary);
        if (candidates.isEmpty()) {
            throw new IllegalStateException(primary + " has no running replica to take over");
        }
        primary.kill();
        RedisServerProcess[] promoted = new RedisServerProcess[1];
        Await.until(HEALTHY_TIMEOUT, "a replica of " + primary + " to take over", () -> {
            for (RedisServerProcess r : candidates) {
                try (RedisConnection c = r.connect()) {
                    if ("master".equals(c.info("replication").get("role"))) {
                        promoted[0] = r;
                        return null;
                    }
                }
            }
            return "no replica promoted yet";
        });
        awaitHealthy();
        return promoted[0];
    }

    /** Restarts a node with its nodes.conf (a killed primary comes back as a replica) and waits for health. */
    public void restart(RedisServerProcess node) throws IOException, InterruptedException {
        node.restart();
        awaitHealthy();
    }

    /**
     * Waits until every running node reports cluster_state:ok, all agree on who serves each slot,
     * and every running replica's link to its primary is up.
     */
    public void awaitHealthy() throws InterruptedException {
        Await.until(HEALTHY_TIMEOUT, "a healthy cluster", () -> {
            String owners = null;
            for (RedisServerProcess n : running()) {
                try (RedisConnection c = n.connect()) {
                    Map<String, String> info = parse(c.callOk("CLUSTER", "INFO").asText());
                    if (!"ok".equals(info.get("cluster_state"))) {
                        return n + " cluster_state " + info.get("cluster_state");
                    }
                    Map<String, String> repl = c.info("replication");
                    if ("slave".equals(repl.get("role")) && !"up".equals(repl.get("master_link_status"))) {
                        return n + " replica link " + repl.get("master_link_status");
                    }
                    // Who serves which slots, and who replicates whom, as this node sees it.
                    StringBuilder view = new StringBuilder();
                    for (String[] l : clusterNodes(c)) {
                        if (l[2].contains("fail")) {
                            if (l[2].contains("fail?")) {
                                return n + " suspects " + l[1];
                            }
                            continue;
                        }
                        if (l[2].contains("master") && l.length > 8) {
                            view.append(l[0]).append('=').append(slots(l)).append(';');
                        } else if (l[2].contains("slave")) {
                            view.append(l[0]).append("->").append(l[3]).append(';');
                        }
                    }
                    String v = sortedView(view.toString());
                    if (owners == null) {
                        owners = v;
                    } else if (!owners.equals(v)) {
                        return n + " disagrees on slot owners";
                    }
                }
            }
            return null;
        });
    }

    private static String sortedView(String v) {
        String[] parts = v.split(";");
        java.util.Arrays.sort(parts);
        return String.join(";", parts);
    }

    public List<RedisServerProcess> running() {
        List<RedisServerProcess> out = new ArrayList<>();
        for (RedisServerProcess n : nodes) {
            if (n.isRunning()) {
                out.add(n);
            }
        }
        return out;
    }

    private RedisServerProcess anyRunning() {
        for (RedisServerProcess n : nodes) {
            if (n.isRunning()) {
                return n;
            }
        }
        throw new IllegalStateException("no cluster node is running");
    }

    private RedisServerProcess byAddress(String field) {
        String hostPort = field.contains("@") ? field.substring(0, field.indexOf('@')) : field;
        int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        for (RedisServerProcess n : nodes) {
            if (n.port() == port) {
                return n;
            }
        }
        return null;
    }

    private List<String[]> clusterNodes(RedisServerProcess n) throws IOException {
        try (RedisConnection c = n.connect()) {
            return clusterNodes(c);
        }
    }

    private static List<String[]> clusterNodes(RedisConnection c) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String line : c.callOk("CLUSTER", "NODES").asText().split("\n")) {
            if (!line.isBlank()) {
                out.add(line.trim().split(" "));
            }
        }
        return out;
    }

    /** Slots of a CLUSTER NODES line (fields 8…: {@code a-b}, {@code a}; {@code [..]} migration marks skipped). */
    private static BitSet slots(String[] line) {
        BitSet b = new BitSet();
        for (int i = 8; i < line.length; i++) {
            String f = line[i];
            if (f.startsWith("[")) {
                continue;
            }
            int dash = f.indexOf('-');
            if (dash < 0) {
                b.set(Integer.parseInt(f));
            } else {
                b.set(Integer.parseInt(f.substring(0, dash)), Integer.parseInt(f.substring(dash + 1)) + 1);
            }
        }
        return b;
    }

    private static Map<String, String> parse(String info) {
        Map<String, String> m = new HashMap<>();
        for (String line : info.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                m.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return m;
    }

    private static RespReply ok(RedisServerProcess n, String... args) throws IOException {
        RespReply r = n.call(args);
        if (r.isError()) {
            throw new IOException(String.join(" ", args) + " on " + n + " failed: " + r.describe());
        }
        return r;
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Stops every node by PID. */
    @Override
    public void close() {
        for (RedisServerProcess n : nodes) {
            n.close();
        }
    }
}
