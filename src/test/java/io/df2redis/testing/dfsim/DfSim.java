package io.df2redis.testing.dfsim;

import io.df2redis.dragonfly.session.DragonflyEndpoint;
import io.df2redis.resp.RespReader;
import io.df2redis.resp.RespReply;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated Dragonfly master on a loopback port: the replication protocol of a v1.40 master as
 * seen by a replica (handshake, sessions, {@code DFLY FLOW/SYNC/STARTSTABLE/REPLICAOFFSET}, ACKs),
 * with its refusals, its cancellation of a whole session when any connection closes or a flow
 * write stays blocked past the replication timeout, and its crash on the two forbidden orders.
 * What the flows carry comes from an {@link Engine}: {@link GeneratedEngine} (a live dataset) or
 * {@link ReplayEngine} (recordings of a real master). Every forbidden order a client sends is kept
 * in {@link #violations()}. See README.md in this package.
 */
public final class DfSim implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DfSim.class);
    static final String LOADING = "LOADING Dragonfly is loading the dataset in memory";

    /** Session phases of the master ({@code dflycmd.h SyncState}). */
    public enum State { PREPARATION, FULL_SYNC, STABLE_SYNC, CANCELLED }

    /**
     * What a master serves; the protocol rules around it are the simulator's. Public so that other
     * masters (e.g. the benchmark master, which generates its data instead of holding it) can reuse
     * the protocol side through {@link #custom}.
     */
    public interface Engine {
        String masterId();

        int numFlows();

        Map<String, String> infoServer();

        /** Raw reply to {@code capa dragonfly}, or null for the generic one. */
        byte[] capaReply(SimSession s);

        /** Called under the simulator lock when a flow registers. */
        FlowGrant grantFlow(SimSession s, int flow, OptionalLong lsn) throws Refusal;

        /** Under the lock: the snapshot cut; start writing every flow's RDB stream. */
        void startFullSync(SimSession s);

        /** Under the lock: the stable cut on every flow. */
        void startStable(SimSession s);

        void cancelled(SimSession s);

        /** The sync id number of a new session ({@code proposed} counts up from 1). */
        default int syncIdFor(int proposed) {
            return proposed;
        }

        long[] replicaOffsets();

        void close();
    }

    /** The answer to DFLY FLOW: kind, token, and the raw reply when replaying. */
    public record FlowGrant(boolean partial, String token, long requestedLsn, byte[] rawReply) {}

    /** An error reply an engine wants to give. */
    public static final class Refusal extends Exception {
        public Refusal(String error) {
            super(error);
        }
    }

    final DfSimConfig config;
    final Engine engine;
    final Object lock = new Object();
    private final ServerSocket server;
    private final boolean tls;
    private final Map<Integer, SimSession> sessions = new HashMap<>();
    private final Set<SimConnection> connections = ConcurrentHashMap.newKeySet();
    private final List<Violation> violations = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<String> cancellations = new CopyOnWriteArrayList<>();
    private final long loadingUntilNanos;
    /** Set by {@link #loading(boolean)}: answer -LOADING as a master reloading its data would. */
    private volatile boolean loadingNow;
    private final Thread acceptThread;
    private final Thread watchdog;
    private volatile boolean crashed;
    private volatile boolean closed;
    private int nextSyncId = 1;
    private final java.util.concurrent.atomic.AtomicLong loadingReplies = new java.util.concurrent.atomic.AtomicLong();

    DfSim(DfSimConfig config, java.util.function.Function<DfSim, Engine> engineFactory, ServerSocketFactory factory)
            throws IOException {
        this.config = config;
        this.engine = engineFactory.apply(this);
        this.server = factory.createServerSocket();
        this.tls = factory instanceof javax.net.ssl.SSLServerSocketFactory;
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.loadingUntilNanos = System.nanoTime() + config.loadingFor().toNanos();
        acceptThread = new Thread(this::acceptLoop, "dfsim-accept-" + server.getLocalPort());
        acceptThread.setDaemon(true);
        acceptThread.start();
        watchdog = new Thread(this::watchdogLoop, "dfsim-watchdog-" + server.getLocalPort());
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** A master generating its flows from a live dataset ({@link GeneratedEngine}). */
    public static DfSim generated(DfSimConfig config) throws IOException {
        return new DfSim(config, sim -> new GeneratedEngine(sim), ServerSocketFactory.getDefault());
    }

    /** The same over TLS, with the given server socket factory. */
    public static DfSim generated(DfSimConfig config, ServerSocketFactory tls) throws IOException {
        return new DfSim(config, sim -> new GeneratedEngine(sim), tls);
    }

    /** A master whose flows come from another engine; the protocol rules are the simulator's. */
    public static DfSim custom(DfSimConfig config, java.util.function.Function<DfSim, Engine> engineFactory)
            throws IOException {
        return new DfSim(config, engineFactory, ServerSocketFactory.getDefault());
    }

    /** A master serving recorded sessions byte for byte, one per {@code capa dragonfly}, in order. */
    public static DfSim replay(DfSimConfig config, List<ReplayScript> sessions) throws IOException {
        return new DfSim(config, sim -> new ReplayEngine(sim, sessions), ServerSocketFactory.getDefault());
    }

    public int port() {
        return server.getLocalPort();
    }

    public DfSimConfig config() {
        return config;
    }

    public DragonflyEndpoint endpoint() {
        return new DragonflyEndpoint("127.0.0.1", port(), tls, config.user(), config.password());
    }

    /** Generated mode: the master's dataset and write path. */
    public GeneratedEngine generated() {
        if (!(engine instanceof GeneratedEngine g)) {
            throw new IllegalStateException("not a generated simulator");
        }
        return g;
    }

    public String masterId() {
        return engine.masterId();
    }

    /** Forbidden orders the clients sent, oldest first. */
    public List<Violation> violations() {
        return List.copyOf(violations);
    }

    public boolean crashed() {
        return crashed;
    }

    /** Why sessions were cancelled, oldest first. */
    public List<String> cancellations() {
        return List.copyOf(cancellations);
    }

    public List<String> events() {
        return List.copyOf(events);
    }

    /** Sessions not cancelled yet. */
    public int liveSessions() {
        synchronized (lock) {
            return sessions.size();
        }
    }

    /** The live session with sync id {@code n}, or null. */
    public SimSession session(int n) {
        synchronized (lock) {
            return sessions.get(n);
        }
    }

    public List<SimSession> sessions() {
        synchronized (lock) {
            return new ArrayList<>(sessions.values());
        }
    }

    /** Waits until a cancellation happened (or the timeout passed); returns whether one did. */
    public boolean awaitCancellation(int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (cancellations.size() < count) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    void event(String e) {
        events.add(e);
        LOG.debug("dfsim {}: {}", port(), e);
    }

    void violation(String what, boolean crashing) {
        Violation v = new Violation(what, crashing);
        violations.add(v);
        event("violation: " + v);
        if (crashing) {
            crash(what);
        }
    }

    /** A real master segfaults: every connection drops and nobody can connect any more. */
    private void crash(String why) {
        crashed = true;
        event("CRASH: " + why);
        try {
            server.close();
        } catch (IOException ignored) {
            // the crash is the point
        }
        // The listening socket is really gone only once the accept thread has left accept().
        if (Thread.currentThread() != acceptThread) {
            join(acceptThread);
        }
        List<SimSession> all;
        synchronized (lock) {
            all = new ArrayList<>(sessions.values());
        }
        for (SimSession s : all) {
            cancel(s, "master crashed");
        }
        for (SimConnection c : connections) {
            c.close();
        }
    }

    /** Ends a session as the master does: every connection of it is shut down. */
    void cancel(SimSession s, String why) {
        synchronized (lock) {
            if (s.state == State.CANCELLED) {
                return;
            }
            s.state = State.CANCELLED;
            sessions.remove(s.id);
            engine.cancelled(s);
        }
        cancellations.add(s.syncId() + ": " + why);
        event("session " + s.syncId() + " cancelled: " + why);
        if (s.main != null) {
            s.main.close();
        }
        for (SimFlow f : s.flows) {
            if (f != null) {
                f.conn.close();
            }
        }
    }

    boolean loading() {
        return loadingNow || System.nanoTime() < loadingUntilNanos;
    }

    /**
     * While on, PING and DFLY are answered {@code -LOADING} (no new session can start), as by a master
     * loading its data: lets a test change the data between two sessions of a job deterministically.
     */
    public void loading(boolean on) {
        loadingNow = on;
    }

    /** How many {@code -LOADING} replies were given. */
    public long loadingReplies() {
        return loadingReplies.get();
    }

    private byte[] loadingError() {
        loadingReplies.incrementAndGet();
        return error(LOADING);
    }

    private volatile ServerSocket replicaServer;
    private volatile boolean promoted;

    /**
     * The port of this master's replica (opened on first call): a Dragonfly replica of it, holding the
     * same data and journal. It answers INFO as a replica and refuses to be replicated from, until
     * {@link #failoverToReplica()} promotes it.
     */
    public synchronized int replicaPort() throws IOException {
        if (replicaServer == null) {
            ServerSocket r = new ServerSocket();
            r.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            replicaServer = r;
            Thread t = new Thread(() -> acceptOn(r, true), "dfsim-replica-accept-" + r.getLocalPort());
            t.setDaemon(true);
            t.start();
        }
        return replicaServer.getLocalPort();
    }

    /**
     * The master is lost (its port and every connection to it gone, as with SIGKILL) and its replica
     * promoted ({@code REPLICAOF NO ONE}): a new master id, the old master's LSN numbering, backlog and
     * data kept, and the old id remembered, so that a consumer may resume with the failover form of
     * {@code DFLY FLOW} (protocol doc §4.1).
     */
    public void failoverToReplica() throws IOException {
        if (replicaServer == null) {
            throw new IllegalStateException("no replica: call replicaPort() first");
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // the master dies
        }
        join(acceptThread);
        for (SimSession s : sessions()) {
            cancel(s, "master lost (failover)");
        }
        for (SimConnection c : connections) {
            if (!c.viaReplica) {
                c.close();
            }
        }
        ((GeneratedEngine) engine).promote();
        promoted = true;
        event("failover: the replica on port " + replicaServer.getLocalPort() + " is the master now, id " + engine.masterId());
    }

    private void acceptOn(ServerSocket socket, boolean viaReplica) {
        while (!closed && !crashed) {
            try {
                Socket s = socket.accept();
                if (crashed || closed) {
                    s.close();
                    return;
                }
                s.setTcpNoDelay(true);
                s.setSendBufferSize(config.sendBufferBytes());
                SimConnection c = new SimConnection(s);
                c.viaReplica = viaReplica;
                connections.add(c);
                c.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void acceptLoop() {
        while (!closed && !crashed) {
            try {
                Socket s = server.accept();
                if (crashed || closed) {
                    s.close();
                    return;
                }
                s.setTcpNoDelay(true);
                s.setSendBufferSize(config.sendBufferBytes());
                SimConnection c = new SimConnection(s);
                connections.add(c);
                c.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void watchdogLoop() {
        long limit = config.stallTimeout().toNanos();
        while (!closed) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            for (SimSession s : sessions()) {
                for (SimFlow f : s.flows) {
                    if (f != null && f.out.blockedNanos() > limit) {
                        cancel(s, "flow " + f.flowId + ": a write stayed blocked longer than the replication timeout ("
                                + config.stallTimeout().toMillis() + " ms)");
                        break;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            if (replicaServer != null) {
                replicaServer.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        for (SimSession s : sessions()) {
            cancel(s, "simulator closed");
        }
        for (SimConnection c : connections) {
            c.close();
        }
        engine.close();
        watchdog.interrupt();
        join(acceptThread);
        join(watchdog);
    }

    private static void join(Thread t) {
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static String randomHex(SecureRandom rnd, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(Character.forDigit(rnd.nextInt(16), 16));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------
    // Sessions and flows

    /** One replication session on the master. */
    public final class SimSession {
        final int id;
        final SimConnection main;
        final SimFlow[] flows;
        volatile State state = State.PREPARATION;
        volatile int clientVersion = 1;
        Object engineState;

        SimSession(int id, SimConnection main, int numFlows) {
            this.id = id;
            this.main = main;
            this.flows = new SimFlow[numFlows];
        }

        public String syncId() {
            return "SYNC" + id;
        }

        /** The session number: later sessions have larger ones. */
        public int id() {
            return id;
        }

        public State state() {
            return state;
        }

        public int clientVersion() {
            return clientVersion;
        }

        public SimFlow flow(int i) {
            return flows[i];
        }

        public int numFlows() {
            return flows.length;
        }

        boolean allFlowsConnected() {
            for (SimFlow f : flows) {
                if (f == null || f.conn.closed) {
                    return false;
                }
            }
            return true;
        }
    }

    /** One flow of a session, master side. */
    public final class SimFlow {
        final int flowId;
        final SimConnection conn;
        final boolean partial;
        final long requestedLsn;
        final String token;
        final FlowOutput out;
        final CountDownLatch headerWritten = new CountDownLatch(1);
        final CountDownLatch stableCutWritten = new CountDownLatch(1);
        volatile boolean fullSyncEndWritten;
        volatile long lastAck = -1;
        volatile long acks;

        SimFlow(int flowId, SimConnection conn, boolean partial, long requestedLsn, String token) throws IOException {
            this.flowId = flowId;
            this.conn = conn;
            this.partial = partial;
            this.requestedLsn = requestedLsn;
            this.token = token;
            this.out = new FlowOutput(conn.socket.getOutputStream(), config.flowWriteBytes());
        }

        public int flowId() {
            return flowId;
        }

        public boolean partial() {
            return partial;
        }

        /** The LSN a PARTIAL flow resumes from, -1 for a FULL one. */
        public long requestedLsn() {
            return requestedLsn;
        }

        /**
         * Writes stream bytes (in pieces of at most {@code flowWriteBytes}); throws {@link
         * java.io.UncheckedIOException} once the connection is closed (the session is being cancelled).
         */
        public void write(byte[] b, int off, int len) {
            out.write(b, off, len);
        }

        /** The RDB header is out: the master answers {@code DFLY SYNC} once every flow's is. */
        public void markHeaderWritten() {
            headerWritten.countDown();
        }

        /** Call just before writing FULLSYNC_END (STARTSTABLE before it on every flow is a violation). */
        public void markFullSyncEndWritten() {
            fullSyncEndWritten = true;
        }

        /** The stable cut is out: the master answers {@code DFLY STARTSTABLE} once every flow's is. */
        public void markStableCutWritten() {
            stableCutWritten.countDown();
        }

        public String token() {
            return token;
        }

        /** Last {@code REPLCONF ACK} value received on this flow, -1 before any. */
        public long lastAck() {
            return lastAck;
        }

        public long acks() {
            return acks;
        }

        public long bytesWritten() {
            return out.bytesWritten();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Connections and commands

    final class SimConnection {
        final Socket socket;
        private final OutputStream out;
        private final Thread thread;
        volatile boolean closed;
        boolean authed;
        /** The db SELECTed for the read commands ({@link SimReads}). */
        final int[] db = {0};
        SimSession session;
        SimFlow flow;
        SimSession flowSession;

        /** Accepted on the replica's port ({@link #replicaPort()}). */
        boolean viaReplica;

        SimConnection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream());
            this.authed = config.password() == null;
            this.thread = new Thread(this::run, "dfsim-conn-" + socket.getPort());
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            RespReader reader;
            try {
                reader = new RespReader(socket.getInputStream());
            } catch (IOException e) {
                onClosed();
                return;
            }
            try {
                while (!closed) {
                    RespReply r = reader.read();
                    List<byte[]> args = new ArrayList<>();
                    for (RespReply e : r.asArray()) {
                        args.add(e instanceof RespReply.Bulk b ? b.bytes() : e.asText().getBytes(StandardCharsets.UTF_8));
                    }
                    if (args.isEmpty()) {
                        continue;
                    }
                    byte[] reply = handle(this, args);
                    if (reply != null) {
                        send(reply);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // peer closed, or we closed it
            } finally {
                onClosed();
            }
        }

        void send(byte[] reply) throws IOException {
            if (flow != null) {
                // A flow carries the stream: a reply here would corrupt it. handle() flagged it.
                return;
            }
            synchronized (out) {
                out.write(reply);
                out.flush();
            }
        }

        private void onClosed() {
            close();
            connections.remove(this);
            SimSession s = session != null ? session : flowSession;
            if (s != null && s.state != State.CANCELLED) {
                cancel(s, (session != null ? "main connection" : "flow " + flow.flowId) + " closed by the client");
            }
        }

        void close() {
            closed = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private byte[] handle(SimConnection c, List<byte[]> args) throws IOException {
        String name = text(args.get(0)).toUpperCase(Locale.ROOT);
        if (c.flow != null) {
            if (name.equals("REPLCONF") && args.size() == 3 && text(args.get(1)).equalsIgnoreCase("ACK")) {
                try {
                    c.flow.lastAck = Long.parseLong(text(args.get(2)));
                    c.flow.acks++;
                } catch (NumberFormatException e) {
                    violation("REPLCONF ACK with a non-integer on flow " + c.flow.flowId, false);
                }
                return null;
            }
            violation("'" + describe(args) + "' sent on flow " + c.flow.flowId
                    + " after DFLY FLOW (only REPLCONF ACK <n> may be; a reply would corrupt the stream)", false);
            return null;
        }
        if (!c.authed && !name.equals("AUTH")) {
            return error("NOAUTH Authentication required.");
        }
        if (c.viaReplica && !promoted) {
            // A replica: answers INFO (role:replica) and reads; replicating a replica is refused (v1.24+).
            if (name.equals("DFLY") || (name.equals("REPLCONF") && args.size() >= 3
                    && text(args.get(1)).equalsIgnoreCase("capa") && text(args.get(2)).equalsIgnoreCase("dragonfly"))) {
                return error("ERR Replicating a replica is unsupported");
            }
            if (name.equals("INFO")) {
                return info(true);
            }
        }
        switch (name) {
            case "AUTH":
                return auth(c, args);
            case "PING":
                return loading() ? loadingError() : simple("PONG");
            case "INFO":
                return info(false);
            case "CLIENT":
                return client(args);
            case "WAIT":
                return waitForReplicas(args);
            case "REPLCONF":
                return replconf(c, args.subList(1, args.size()));
            case "DFLY":
                if (args.size() < 2) {
                    return error("ERR wrong number of arguments for 'dfly' command");
                }
                if (loading()) {
                    return loadingError();
                }
                return dfly(c, text(args.get(1)).toUpperCase(Locale.ROOT), args.subList(2, args.size()));
            default:
                if (engine instanceof GeneratedEngine g && !loading() && (name.equals("SET") || name.equals("DEL"))
                        && !(c.viaReplica && !promoted)) {
                    // A client's write: applied and journaled as the master does (held while writes are paused).
                    g.write(c.db[0], args);
                    return name.equals("SET") ? simple("OK") : (":" + (args.size() - 1) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                }
                if (engine instanceof GeneratedEngine g && !loading()) {
                    byte[] read = SimReads.handle(g.dataset(), c.db, args);
                    if (read != null) {
                        return read;
                    }
                }
                return error("ERR unknown command '" + text(args.get(0)) + "'");
        }
    }

    /** CLIENT SETNAME; CLIENT PAUSE ms [WRITE|ALL] (client writes, {@link GeneratedEngine#write}, block); CLIENT UNPAUSE. */
    private byte[] client(List<byte[]> args) {
        String sub = args.size() > 1 ? text(args.get(1)).toUpperCase(Locale.ROOT) : "";
        switch (sub) {
            case "SETNAME":
                return args.size() == 3 ? simple("OK") : error("ERR wrong number of arguments for 'client|setname' command");
            case "PAUSE": {
                long ms;
                try {
                    ms = Long.parseLong(text(args.get(2)));
                } catch (RuntimeException e) {
                    return error("ERR timeout is not an integer or out of range");
                }
                writesPausedUntilNanos = System.nanoTime() + ms * 1_000_000L;
                events.add("CLIENT PAUSE " + ms);
                return simple("OK");
            }
            case "UNPAUSE":
                writesPausedUntilNanos = 0;
                events.add("CLIENT UNPAUSE");
                return simple("OK");
            default:
                return error("ERR CLIENT " + sub + " not modelled by the simulator");
        }
    }

    private volatile long writesPausedUntilNanos;
    private volatile boolean shutDown;

    /** Whether a {@code DFLY TAKEOVER} ended with the master shutting down. */
    public boolean shutDownByTakeover() {
        return shutDown;
    }

    /**
     * {@code DFLY TAKEOVER <timeout_sec> <SYNCn>}: only in stable sync; client writes stop, a PING on
     * every shard, then the session's every flow must ACK past it within the timeout: {@code +OK} and
     * the master shuts down; else {@code -ERR Takeover failed!} and writes resume.
     */
    private byte[] takeover(String timeoutText, String syncId) {
        if (!(engine instanceof GeneratedEngine g)) {
            return error("ERR TAKEOVER not modelled in this mode");
        }
        SimSession s;
        long timeoutS;
        try {
            timeoutS = Long.parseLong(timeoutText);
        } catch (NumberFormatException e) {
            return error("ERR value is not an integer or out of range");
        }
        synchronized (lock) {
            byte[][] err = new byte[1][];
            s = lookup(syncId, err);
            if (s == null) {
                return err[0];
            }
        }
        if (s.state != State.STABLE_SYNC) {
            return error("ERR invalid state");
        }
        writesPausedUntilNanos = System.nanoTime() + Duration.ofDays(1).toNanos();
        g.ping();
        long[] target = g.replicaOffsets();
        long end = System.nanoTime() + timeoutS * 1_000_000_000L;
        while (System.nanoTime() - end < 0) {
            boolean all = true;
            for (int f = 0; f < s.flows.length; f++) {
                if (s.flows[f] == null || s.flows[f].lastAck < target[f]) {
                    all = false;
                }
            }
            if (all) {
                event("TAKEOVER by " + syncId + ": done, shutting down");
                shutDown = true;
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(100); // the +OK goes out first
                        server.close();
                    } catch (Exception ignored) {
                        // shutting down
                    }
                    for (SimConnection c : connections) {
                        c.close();
                    }
                }, "dfsim-shutdown");
                t.setDaemon(true);
                t.start();
                return simple("OK");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        writesPausedUntilNanos = 0;
        event("TAKEOVER by " + syncId + ": failed, writes resume");
        return error("ERR Takeover failed!");
    }

    /** Whether client writes are paused now (CLIENT PAUSE … WRITE). */
    public boolean writesPaused() {
        long until = writesPausedUntilNanos;
        return until != 0 && System.nanoTime() - until < 0;
    }

    /** Blocks a client write while writes are paused, as a real master holds the client. */
    void awaitWritesAllowed() {
        while (writesPaused()) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * {@code WAIT numreplicas timeout}: a PING entry on every shard, then the number of sessions in
     * stable sync whose every flow ACKed past it, once that many did or the timeout passed.
     */
    private byte[] waitForReplicas(List<byte[]> args) {
        if (!(engine instanceof GeneratedEngine g)) {
            return error("ERR WAIT not modelled in this mode");
        }
        long want;
        long timeoutMs;
        try {
            want = Long.parseLong(text(args.get(1)));
            timeoutMs = Long.parseLong(text(args.get(2)));
        } catch (RuntimeException e) {
            return error("ERR wrong number of arguments for 'wait' command");
        }
        g.ping();
        long[] target = g.replicaOffsets();
        long end = System.nanoTime() + (timeoutMs == 0 ? Long.MAX_VALUE / 4 : timeoutMs * 1_000_000L);
        long acked;
        do {
            acked = 0;
            for (SimSession s : sessions()) {
                if (s.state != State.STABLE_SYNC) {
                    continue;
                }
                boolean all = true;
                for (int f = 0; f < s.flows.length; f++) {
                    if (s.flows[f] == null || s.flows[f].conn.closed || s.flows[f].lastAck < target[f]) {
                        all = false;
                    }
                }
                acked += all ? 1 : 0;
            }
            if (acked >= want) {
                break;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() - end < 0);
        return (":" + acked + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] auth(SimConnection c, List<byte[]> args) {
        if (config.password() == null) {
            return error("ERR AUTH <password> called without any password configured for the default user.");
        }
        boolean ok;
        if (args.size() == 2) {
            ok = config.user() == null && text(args.get(1)).equals(config.password());
        } else if (args.size() == 3) {
            String user = config.user() == null ? "default" : config.user();
            ok = text(args.get(1)).equals(user) && text(args.get(2)).equals(config.password());
        } else {
            return error("ERR syntax error");
        }
        if (!ok) {
            return error("WRONGPASS invalid username-password pair or user is disabled.");
        }
        c.authed = true;
        return simple("OK");
    }

    private byte[] info(boolean asReplica) {
        StringBuilder sb = new StringBuilder("# Server\r\n");
        for (Map.Entry<String, String> e : engine.infoServer().entrySet()) {
            sb.append(e.getKey()).append(':').append(e.getValue()).append("\r\n");
        }
        sb.append("\r\n# Persistence\r\nloading:").append(loading() ? 1 : 0).append("\r\n");
        if (asReplica) {
            sb.append("\r\n# Replication\r\nrole:replica\r\nmaster_host:127.0.0.1\r\nmaster_port:").append(server.getLocalPort())
                    .append("\r\nmaster_link_status:up\r\n");
        } else {
            sb.append("\r\n# Replication\r\nrole:master\r\nconnected_slaves:").append(liveSessions()).append("\r\n");
        }
        if (engine instanceof GeneratedEngine g) {
            sb.append(SimReads.keyspaceInfo(g.dataset()));
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] head = ("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + b.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(b, 0, out, head.length, b.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    /** {@code ServerFamily::ReplConf}: pairs of sub-command and argument. */
    private byte[] replconf(SimConnection c, List<byte[]> args) {
        if (args.size() % 2 == 1 || args.isEmpty()) {
            return error("ERR syntax error");
        }
        for (int i = 0; i < args.size(); i += 2) {
            String cmd = text(args.get(i)).toUpperCase(Locale.ROOT);
            String arg = text(args.get(i + 1));
            switch (cmd) {
                case "CAPA":
                    if (arg.equals("dragonfly") && args.size() == 2) {
                        return createSession(c);
                    }
                    break;
                case "LISTENING-PORT":
                    try {
                        Integer.parseUnsignedInt(arg);
                    } catch (NumberFormatException e) {
                        return error("ERR value is not an integer or out of range");
                    }
                    break;
                case "IP-ADDRESS":
                    break;
                case "CLIENT-ID":
                    if (args.size() != 2) {
                        return error("ERR syntax error");
                    }
                    break;
                case "CLIENT-VERSION": {
                    if (args.size() != 2) {
                        return error("ERR syntax error");
                    }
                    int v;
                    try {
                        v = Integer.parseUnsignedInt(arg);
                    } catch (NumberFormatException e) {
                        return error("ERR value is not an integer or out of range");
                    }
                    if (c.session == null) {
                        violation("REPLCONF CLIENT-VERSION before REPLCONF capa dragonfly (null session dereference)", true);
                        return null;
                    }
                    c.session.clientVersion = v;
                    break;
                }
                case "ACK":
                    if (args.size() == 2) {
                        violation("REPLCONF ACK on a connection that is not a flow (the master never answers it)", false);
                        return null;
                    }
                    return error("ERR syntax error");
                default:
                    return error("ERR syntax error");
            }
        }
        return simple("OK");
    }

    private byte[] createSession(SimConnection c) {
        SimSession s;
        synchronized (lock) {
            s = new SimSession(engine.syncIdFor(nextSyncId++), c, engine.numFlows());
            sessions.put(s.id, s);
            c.session = s;
        }
        event("session " + s.syncId() + " created");
        byte[] raw = engine.capaReply(s);
        if (raw != null) {
            return raw;
        }
        StringBuilder sb = new StringBuilder();
        int n = config.protocolLevel() < 0 ? 3 : config.lineage() ? 5 : 4;
        sb.append('*').append(n).append("\r\n+").append(engine.masterId()).append("\r\n+").append(s.syncId())
                .append("\r\n:").append(engine.numFlows()).append("\r\n");
        if (n >= 4) {
            sb.append(':').append(config.protocolLevel()).append("\r\n");
        }
        if (n == 5) {
            sb.append('+').append(engine.masterId()).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] dfly(SimConnection c, String sub, List<byte[]> rest) throws IOException {
        switch (sub) {
            case "FLOW":
                if (rest.size() >= 3 && rest.size() <= 5) {
                    return flow(c, rest);
                }
                break;
            case "SYNC":
                if (rest.size() == 1) {
                    return sync(text(rest.get(0)));
                }
                break;
            case "STARTSTABLE":
                if (rest.size() == 1) {
                    return startStable(text(rest.get(0)));
                }
                break;
            case "TAKEOVER":
                if (rest.size() == 2 || rest.size() == 3) {
                    return takeover(text(rest.get(0)), text(rest.get(rest.size() - 1)));
                }
                break;
            case "REPLICAOFFSET":
                if (rest.isEmpty()) {
                    long[] offs = engine.replicaOffsets();
                    StringBuilder sb = new StringBuilder("*").append(offs.length).append("\r\n");
                    for (long o : offs) {
                        sb.append(':').append(o).append("\r\n");
                    }
                    return sb.toString().getBytes(StandardCharsets.US_ASCII);
                }
                break;
            default:
                break;
        }
        return error("ERR syntax error");
    }

    /** Resolves {@code SYNC<n>}; null after writing the error into {@code err[0]}. */
    private SimSession lookup(String syncId, byte[][] err) {
        int n;
        if (!syncId.startsWith("SYNC")) {
            err[0] = error("ERR bad sync id");
            return null;
        }
        try {
            n = Integer.parseUnsignedInt(syncId.substring(4));
        } catch (NumberFormatException e) {
            err[0] = error("ERR bad sync id");
            return null;
        }
        SimSession s = sessions.get(n);
        if (s == null) {
            err[0] = error("ERR syncid not found");
        }
        return s;
    }

    private byte[] flow(SimConnection c, List<byte[]> rest) throws IOException {
        String masterId = text(rest.get(0));
        String syncId = text(rest.get(1));
        String flowIdText = text(rest.get(2));
        OptionalLong lsn = OptionalLong.empty();
        if (rest.size() == 4) {
            try {
                lsn = OptionalLong.of(Long.parseUnsignedLong(text(rest.get(3))));
            } catch (NumberFormatException e) {
                return error("ERR value is not an integer or out of range");
            }
        }
        if (!masterId.equals(engine.masterId())) {
            return error("ERR bad master id");
        }
        if (rest.size() == 5) {
            // Failover form: granted (as a plain LSN request) only when <last_master_id> is the master
            // this node replicated before its promotion and the vector has one LSN per shard.
            String[] vector = text(rest.get(4)).split("-");
            if (vector.length != engine.numFlows()) {
                return error("ERR syntax error");
            }
            String last = engine instanceof GeneratedEngine g ? g.lastMasterId() : null;
            int fid;
            try {
                fid = Integer.parseUnsignedInt(flowIdText);
                lsn = text(rest.get(3)).equals(last) && fid < vector.length
                        ? OptionalLong.of(Long.parseUnsignedLong(vector[fid])) : OptionalLong.empty();
            } catch (NumberFormatException e) {
                return error("ERR value is not an integer or out of range");
            }
        }
        int flowId;
        try {
            flowId = Integer.parseUnsignedInt(flowIdText);
        } catch (NumberFormatException e) {
            return error("ERR value is not an integer or out of range");
        }
        if (flowId >= engine.numFlows()) {
            return error("ERR value is not an integer or out of range");
        }
        SimFlow f;
        FlowGrant g;
        synchronized (lock) {
            byte[][] err = new byte[1][];
            SimSession s = lookup(syncId, err);
            if (s == null) {
                return err[0];
            }
            if (s.state != State.PREPARATION) {
                violation("DFLY FLOW for flow " + flowId + " of " + syncId + " in state " + s.state, false);
                return error("ERR invalid state");
            }
            try {
                g = engine.grantFlow(s, flowId, lsn);
            } catch (Refusal r) {
                return error(r.getMessage());
            }
            if (s.flows[flowId] != null) {
                violation("flow " + flowId + " of " + syncId + " registered twice", false);
            }
            f = new SimFlow(flowId, c, g.partial(), g.requestedLsn(), g.token());
            s.flows[flowId] = f;
            c.flowSession = s;
            event(syncId + " flow " + flowId + " registered " + (g.partial() ? "PARTIAL from " + g.requestedLsn()
                    : "FULL" + (lsn.isPresent() ? " (asked to resume at " + lsn.getAsLong() + ")" : "")));
            byte[] reply = g.rawReply() != null ? g.rawReply()
                    : ("*2\r\n+" + (g.partial() ? "PARTIAL" : "FULL") + "\r\n+" + g.token() + "\r\n").getBytes(StandardCharsets.US_ASCII);
            // Under the lock: no SYNC can start this flow's stream before its reply is out.
            c.send(reply);
            // From now on the connection carries the stream.
            c.flow = f;
        }
        return null;
    }

    private byte[] sync(String syncId) {
        List<SimFlow> flows;
        synchronized (lock) {
            byte[][] err = new byte[1][];
            SimSession s = lookup(syncId, err);
            if (s == null) {
                return err[0];
            }
            if (s.state != State.PREPARATION) {
                violation("DFLY SYNC for " + syncId + " in state " + s.state, false);
                return error("ERR invalid state");
            }
            if (!s.allFlowsConnected()) {
                violation("DFLY SYNC for " + syncId + " before every flow was registered", false);
                return error("ERR invalid state");
            }
            for (SimFlow f : s.flows) {
                if (f.partial) {
                    violation("DFLY SYNC for " + syncId + " although flow " + f.flowId + " was granted PARTIAL", false);
                    return error("ERR invalid state");
                }
            }
            engine.startFullSync(s);
            s.state = State.FULL_SYNC;
            flows = List.of(s.flows);
            event(syncId + " full sync started");
        }
        // Like the master, answer after every flow's RDB header went out.
        for (SimFlow f : flows) {
            await(f.headerWritten);
        }
        return simple("OK");
    }

    private byte[] startStable(String syncId) {
        List<SimFlow> flows;
        synchronized (lock) {
            byte[][] err = new byte[1][];
            SimSession s = lookup(syncId, err);
            if (s == null) {
                return err[0];
            }
            if (s.state != State.FULL_SYNC && s.state != State.PREPARATION) {
                violation("DFLY STARTSTABLE for " + syncId + " in state " + s.state, false);
                return error("ERR invalid state");
            }
            if (!s.allFlowsConnected()) {
                violation("DFLY STARTSTABLE for " + syncId + " before every flow was registered", false);
                return error("ERR invalid state");
            }
            for (SimFlow f : s.flows) {
                if (!f.partial && s.state == State.PREPARATION) {
                    violation("DFLY STARTSTABLE for FULL flow " + f.flowId + " of " + syncId
                            + " without DFLY SYNC (dereferences the missing saver)", true);
                    return null;
                }
            }
            if (s.state == State.FULL_SYNC) {
                for (SimFlow f : s.flows) {
                    if (!f.fullSyncEndWritten) {
                        violation("DFLY STARTSTABLE for " + syncId + " before flow " + f.flowId
                                + " delivered FULLSYNC_END (a real master freezes in the global transaction)", false);
                        break;
                    }
                }
            }
            engine.startStable(s);
            if (s.state == State.CANCELLED) {
                return simple("OK");
            }
            s.state = State.STABLE_SYNC;
            flows = List.of(s.flows);
            event(syncId + " stable sync started");
        }
        for (SimFlow f : flows) {
            if (!f.partial) {
                await(f.stableCutWritten);
            }
        }
        return simple("OK");
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] simple(String s) {
        return ("+" + s + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] error(String s) {
        return ("-" + s + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String describe(List<byte[]> args) {
        StringBuilder sb = new StringBuilder();
        for (byte[] a : args) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(a.length > 40 ? text(java.util.Arrays.copyOf(a, 40)) + "…" : text(a));
        }
        return sb.toString();
    }
}
