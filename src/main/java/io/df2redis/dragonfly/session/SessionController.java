package io.df2redis.dragonfly.session;

import io.df2redis.resp.RespReply;
import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main connection of one replication session (one epoch): handshake, version gating, {@code
 * DFLY SYNC}, {@code DFLY STARTSTABLE}, {@code DFLY REPLICAOFFSET}. Blocking I/O; the connection
 * stays open for the session's lifetime because closing it cancels the session on the master. The
 * ordering rules are enforced through the epoch's {@link SyncCoordinator}: a forbidden order throws
 * {@link ForbiddenOrderException} and nothing is sent.
 *
 * <p>In the Flink job this object lives in the split enumerator; the flows report to it through
 * events which the enumerator forwards to {@link #coordinator()}.
 */
public final class SessionController implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionController.class);

    private final DragonflyEndpoint endpoint;
    private final SessionConfig config;
    private final long epoch;
    private MasterConnection main;
    private SessionInfo session;
    private MasterVersion version;
    private Map<String, String> infoServer = Map.of();
    private SyncCoordinator coordinator;
    private boolean capaDragonflyDone;

    public SessionController(DragonflyEndpoint endpoint, SessionConfig config, long epoch) {
        this.endpoint = endpoint;
        this.config = config;
        this.epoch = epoch;
    }

    /**
     * Connects and greets the master: AUTH, PING (backing off while it is LOADING), {@code REPLCONF
     * listening-port}, {@code REPLCONF capa eof capa psync2}, {@code INFO SERVER} (the real version),
     * {@code REPLCONF capa dragonfly} alone (creates the session), then optionally {@code REPLCONF
     * CLIENT-ID} and {@code REPLCONF CLIENT-VERSION}.
     */
    public synchronized SessionInfo connect() throws IOException {
        if (main != null) {
            throw new IllegalStateException("epoch " + epoch + ": already connected");
        }
        long deadline = System.nanoTime() + config.loadingTimeout().toNanos();
        long backoffMs = config.loadingBackoffInitial().toMillis();
        MasterConnection c = MasterConnection.open(endpoint, config.connect(), "main");
        try {
            while (true) {
                try {
                    expectSimple(c.call("PING"), "PONG", "PING");
                    break;
                } catch (MasterErrorException.Loading e) {
                    if (System.nanoTime() + backoffMs * 1_000_000L > deadline) {
                        throw e;
                    }
                    LOG.info("master {} is loading its dataset; retrying in {} ms", endpoint, backoffMs);
                    sleep(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, config.loadingBackoffMax().toMillis());
                }
            }
            expectSimple(c.call("REPLCONF", "listening-port", Integer.toString(config.listeningPort())), "OK",
                    "REPLCONF listening-port");
            expectSimple(c.call("REPLCONF", "capa", "eof", "capa", "psync2"), "OK", "REPLCONF capa eof capa psync2");
            infoServer = parseInfo(c.call("INFO", "SERVER").asText());
            RespReply replication = c.call("INFO", "REPLICATION");
            String notAMaster = SourceIdentity.of(infoServer, replication instanceof RespReply.Bulk b ? parseInfo(b.text()) : Map.of())
                    .problem(endpoint);
            if (notAMaster != null) {
                throw new NotDragonflyMasterException(notAMaster);
            }
            version = MasterVersion.parse(infoServer.get("dragonfly_version"));
            if (version != null && version.compareTo(MasterVersion.OLDEST_SUPPORTED) < 0) {
                throw new UnsupportedMasterException("master " + endpoint + " runs Dragonfly " + version
                        + "; this client needs " + MasterVersion.OLDEST_SUPPORTED + " or later");
            }
            session = parseCapaReply(c.call("REPLCONF", "capa", "dragonfly"));
            capaDragonflyDone = true;
            main = c;
            if (config.clientId() != null) {
                expectSimple(c.call("REPLCONF", "CLIENT-ID", config.clientId()), "OK", "REPLCONF CLIENT-ID");
            }
            if (session.hasProtocolVersion()) {
                sendClientVersion(Math.min(session.protocolVersion(), config.maxClientVersion()));
            }
        } catch (IOException | RuntimeException e) {
            c.close();
            main = null;
            throw e;
        }
        coordinator = new SyncCoordinator(epoch, session.numFlows(), partialSupported(), failoverSupported());
        LOG.info("epoch {}: session {} on master {} ({}, id {}), {} flows, protocol level {}", epoch, session.syncId(),
                endpoint, version == null ? "version unknown" : version, session.masterId(), session.numFlows(),
                session.protocolVersion());
        return session;
    }

    /** {@code REPLCONF CLIENT-VERSION}: only after {@code capa dragonfly} (earlier crashes a v1.40 master). */
    private void sendClientVersion(int level) throws IOException {
        if (!capaDragonflyDone) {
            throw new ForbiddenOrderException("refusing to send REPLCONF CLIENT-VERSION before REPLCONF capa dragonfly");
        }
        expectSimple(main.call("REPLCONF", "CLIENT-VERSION", Integer.toString(level)), "OK", "REPLCONF CLIENT-VERSION");
    }

    /** See {@link SyncCoordinator#planFlows}. */
    public synchronized OptionalLong[] planFlows(ResumePoint resume) {
        requireConnected();
        return coordinator.planFlows(session, resume);
    }

    /**
     * Sends {@code DFLY SYNC}. The flows must already be read (the master writes RDB bytes before
     * it answers).
     *
     * @throws ForbiddenOrderException when the coordinator forbids it (nothing is sent)
     */
    public synchronized void sync() throws IOException {
        requireConnected();
        coordinator.beginSync();
        try {
            expectSimple(main.call("DFLY", "SYNC", session.syncId()), "OK", "DFLY SYNC");
        } catch (IOException | RuntimeException e) {
            coordinator.syncFailed(e.getMessage());
            throw e;
        }
        coordinator.syncSucceeded();
        LOG.info("epoch {}: DFLY SYNC {} done, full sync running on {} flows", epoch, session.syncId(), session.numFlows());
    }

    /**
     * Sends {@code DFLY STARTSTABLE}.
     *
     * @throws ForbiddenOrderException when the coordinator forbids it (nothing is sent)
     */
    public synchronized void startStable() throws IOException {
        requireConnected();
        coordinator.beginStartStable();
        try {
            expectSimple(main.call("DFLY", "STARTSTABLE", session.syncId()), "OK", "DFLY STARTSTABLE");
        } catch (IOException | RuntimeException e) {
            coordinator.startStableFailed(e.getMessage());
            throw e;
        }
        coordinator.startStableSucceeded();
        LOG.info("epoch {}: DFLY STARTSTABLE {} done, stable sync", epoch, session.syncId());
    }

    /**
     * {@code DFLY TAKEOVER <timeout> <SYNCn>} on the main connection (stable sync only): the master
     * stops taking writes, journals a PING on every shard, waits until this session's ACKs reach the
     * end of every shard's journal, answers {@code +OK} and shuts itself down (protocol doc §4.4).
     * Blocks up to {@code timeout}; the caller's ACKs must come meanwhile.
     *
     * @throws IOException when the master refuses (e.g. {@code Takeover failed!}: not caught up in time)
     */
    public synchronized void takeover(java.time.Duration timeout) throws IOException {
        requireConnected();
        main.setReadTimeout(timeout.plusSeconds(10));
        RespReply r = main.callRaw("DFLY", "TAKEOVER", Long.toString(Math.max(1, timeout.toSeconds())), session.syncId());
        if (!(r instanceof RespReply.SimpleString ok) || !ok.text().equalsIgnoreCase("OK")) {
            throw new IOException("DFLY TAKEOVER " + session.syncId() + ": " + r.describe());
        }
        LOG.info("epoch {}: DFLY TAKEOVER {} done: the master handed over and shuts down", epoch, session.syncId());
    }

    /** {@code DFLY REPLICAOFFSET}: per flow, the LSN the master will assign next (lag = this − ours). */
    public synchronized long[] replicaOffsets() throws IOException {
        requireConnected();
        String cmd = "DFLY REPLICAOFFSET";
        RespReply reply = main.call("DFLY", "REPLICAOFFSET");
        if (!(reply instanceof RespReply.Array a)) {
            throw new UnexpectedReplyException(cmd, "an array of integers", reply.describe());
        }
        long[] out = new long[a.elements().size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = a.elements().get(i).asLong();
            } catch (RuntimeException e) {
                throw new UnexpectedReplyException(cmd, "an array of integers", reply.describe());
            }
        }
        return out;
    }

    public synchronized SessionInfo session() {
        return session;
    }

    /** The master's release, or {@code null} when INFO SERVER did not name one. */
    public synchronized MasterVersion masterVersion() {
        return version;
    }

    /** {@code INFO SERVER} as key → value. */
    public synchronized Map<String, String> infoServer() {
        return infoServer;
    }

    public synchronized SyncCoordinator coordinator() {
        requireConnected();
        return coordinator;
    }

    public long epoch() {
        return epoch;
    }

    public DragonflyEndpoint endpoint() {
        return endpoint;
    }

    public SessionConfig config() {
        return config;
    }

    /**
     * Whether PARTIAL may be requested: by release when known (v1.31+), else only when the protocol
     * level is 5 (v1.37+; 4 is ambiguous).
     */
    public synchronized boolean partialSupported() {
        if (version != null) {
            return version.supportsPartialSync();
        }
        return session != null && session.protocolVersion() >= 5;
    }

    /** Whether a promoted replica may be asked to resume its old master's positions (v1.31+; level 5 when unknown). */
    public synchronized boolean failoverSupported() {
        if (version != null) {
            return version.supportsFailoverPartialSync();
        }
        return session != null && session.protocolVersion() >= 5;
    }

    /** See {@link SyncCoordinator#failoverFrom()}. */
    public synchronized String failoverFrom() {
        requireConnected();
        return coordinator.failoverFrom();
    }

    public synchronized boolean isOpen() {
        return main != null && !main.isClosed();
    }

    /** Closes the main connection, which cancels the session on the master. */
    @Override
    public synchronized void close() {
        if (main != null) {
            main.close();
            LOG.info("epoch {}: main connection closed", epoch);
        }
    }

    private void requireConnected() {
        if (main == null) {
            throw new IllegalStateException("epoch " + epoch + ": not connected");
        }
    }

    static SessionInfo parseCapaReply(RespReply reply) throws DragonflyException {
        String cmd = "REPLCONF capa dragonfly";
        if (reply instanceof RespReply.SimpleString s) {
            throw new NotDragonflyMasterException("the master answered '" + cmd + "' with +" + s.text()
                    + ": it is not a Dragonfly master (Redis answers +OK), or the command was not sent alone");
        }
        if (!(reply instanceof RespReply.Array a)) {
            throw new UnexpectedReplyException(cmd, "an array", reply.describe());
        }
        List<RespReply> e = a.elements();
        if (e.size() < 3 || e.size() > 5) {
            throw new UnexpectedReplyException(cmd, "3 to 5 elements", reply.describe());
        }
        String masterId;
        String syncId;
        long flows;
        try {
            masterId = e.get(0).asText();
            syncId = e.get(1).asText();
            flows = ((RespReply.Integer) e.get(2)).value();
        } catch (RuntimeException ex) {
            throw new UnexpectedReplyException(cmd, "<master id> <SYNCn> <flows:int> [<version:int>] [<lineage id>]",
                    reply.describe());
        }
        if (masterId.length() != 40) {
            throw new UnexpectedReplyException(cmd, "a 40-character master id", reply.describe());
        }
        if (!syncId.startsWith("SYNC")) {
            throw new UnexpectedReplyException(cmd, "a session id SYNC<n>", reply.describe());
        }
        if (flows <= 0 || flows > 1024) {
            throw new UnexpectedReplyException(cmd, "a flow count in 1..1024", reply.describe());
        }
        int level = -1;
        if (e.size() >= 4) {
            if (!(e.get(3) instanceof RespReply.Integer v) || v.value() < 0 || v.value() > 1000) {
                throw new UnexpectedReplyException(cmd, "an integer protocol version", reply.describe());
            }
            level = (int) v.value();
        }
        String lineage = masterId;
        if (e.size() == 5) {
            try {
                lineage = e.get(4).asText();
            } catch (RuntimeException ex) {
                throw new UnexpectedReplyException(cmd, "a lineage id string", reply.describe());
            }
        }
        return new SessionInfo(masterId, syncId, (int) flows, level, lineage);
    }

    static Map<String, String> parseInfo(String text) {
        Map<String, String> out = new HashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                out.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    private static void expectSimple(RespReply reply, String expected, String cmd) throws UnexpectedReplyException {
        if (!(reply instanceof RespReply.SimpleString s) || !s.text().equalsIgnoreCase(expected)) {
            throw new UnexpectedReplyException(cmd, "+" + expected, reply.describe());
        }
    }

    private static void sleep(long ms) throws DragonflyException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DragonflyException("interrupted while waiting for the master to finish loading", e);
        }
    }
}
