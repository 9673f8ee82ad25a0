package io.df2redis.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and policies of a {@link RedisWriter}. Defaults suit a migration into one Redis or a
 * small cluster; every limit bounds memory, none of them drops data.
 */
public final class WriterConfig {
    /** The most commands {@link Builder#maxOutstanding} takes. */
    public static final int MAX_OUTSTANDING_COMMANDS = OutstandingBudget.MAX_COMMANDS;

    final int connectionsPerNode;
    final int maxBatchCommands;
    final int maxBatchBytes;
    final int maxInFlightBatches;
    final int maxOutstandingCommands;
    final long maxOutstandingBytes;
    final long opsPerSecond;
    final long bytesPerSecond;
    final int waitReplicas;
    final Duration waitTimeout;
    final Duration retryTimeout;
    final Duration backoffBase;
    final Duration backoffMax;
    final FailureHandler failureHandler;

    private WriterConfig(Builder b) {
        this.connectionsPerNode = b.connectionsPerNode;
        this.maxBatchCommands = b.maxBatchCommands;
        this.maxBatchBytes = b.maxBatchBytes;
        this.maxInFlightBatches = b.maxInFlightBatches;
        this.maxOutstandingCommands = b.maxOutstandingCommands;
        this.maxOutstandingBytes = b.maxOutstandingBytes;
        this.opsPerSecond = b.opsPerSecond;
        this.bytesPerSecond = b.bytesPerSecond;
        this.waitReplicas = b.waitReplicas;
        this.waitTimeout = b.waitTimeout;
        this.retryTimeout = b.retryTimeout;
        this.backoffBase = b.backoffBase;
        this.backoffMax = b.backoffMax;
        this.failureHandler = b.failureHandler;
    }

    public static WriterConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@link #waitReplicas} for "1 where the primary has replicas, else 0". */
    static final int AUTO = -1;

    /** Commands submitted and not yet acknowledged beyond which {@link RedisWriter#submit} blocks. */
    public int maxOutstandingCommands() {
        return maxOutstandingCommands;
    }

    /** Bytes of commands submitted and not yet acknowledged beyond which {@link RedisWriter#submit} blocks. */
    public long maxOutstandingBytes() {
        return maxOutstandingBytes;
    }

    /** How long a command is retried (redirections, lost connections, transient errors) before it fails. */
    public Duration retryTimeout() {
        return retryTimeout;
    }

    /** Replicas WAIT asks for on a node, or {@link #AUTO}. */
    public int waitReplicas() {
        return waitReplicas;
    }

    /** Whether flush sends WAIT at all (on some nodes, for {@link #AUTO}). */
    boolean waits() {
        return waitReplicas != 0;
    }

    /** Replicas to WAIT for on {@code node} (0: none). */
    int waitReplicas(Node node) {
        return waitReplicas != AUTO ? waitReplicas : node.connectedReplicas > 0 ? 1 : 0;
    }

    public static final class Builder {
        private int connectionsPerNode = 1;
        private int maxBatchCommands = 1024;
        private int maxBatchBytes = 1 << 20;
        private int maxInFlightBatches = 4;
        private int maxOutstandingCommands = 100_000;
        private long maxOutstandingBytes = 64L << 20;
        private long opsPerSecond;
        private long bytesPerSecond;
        private int waitReplicas;
        private Duration waitTimeout = Duration.ofSeconds(1);
        private Duration retryTimeout = Duration.ofSeconds(60);
        private Duration backoffBase = Duration.ofMillis(5);
        private Duration backoffMax = Duration.ofSeconds(1);
        private FailureHandler failureHandler = FailureHandler.failFast();

        /** Pipelined connections per primary; a slot always uses connection {@code slot % n}. */
        public Builder connectionsPerNode(int n) {
            this.connectionsPerNode = positive(n, "connectionsPerNode");
            return this;
        }

        /** A batch (one socket write) holds at most this many commands and about this many bytes. */
        public Builder batch(int maxCommands, int maxBytes) {
            this.maxBatchCommands = positive(maxCommands, "maxBatchCommands");
            this.maxBatchBytes = positive(maxBytes, "maxBatchBytes");
            return this;
        }

        /** Batches sent and not yet fully answered, per connection. */
        public Builder maxInFlightBatches(int n) {
            this.maxInFlightBatches = positive(n, "maxInFlightBatches");
            return this;
        }

        /**
         * Back-pressure: {@link RedisWriter#submit} blocks while this many commands (or bytes) are
         * submitted and not yet acknowledged or failed.
         */
        public Builder maxOutstanding(int commands, long bytes) {
            this.maxOutstandingCommands = positive(commands, "maxOutstandingCommands");
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxOutstandingBytes must be > 0");
            }
            this.maxOutstandingBytes = bytes;
            return this;
        }

        /** Rate limit on submitted commands and bytes per second; 0 = none. */
        public Builder rateLimit(long opsPerSecond, long bytesPerSecond) {
            if (opsPerSecond < 0 || bytesPerSecond < 0) {
                throw new IllegalArgumentException("rate limits must be >= 0");
            }
            this.opsPerSecond = opsPerSecond;
            this.bytesPerSecond = bytesPerSecond;
            return this;
        }

        /**
         * {@link RedisWriter#flush} also sends {@code WAIT replicas timeout} on every connection
         * that wrote since the last confirmation and fails unless each reports enough replicas.
         * 0 (default) = no WAIT.
         */
        public Builder waitForReplicas(int replicas, Duration timeout) {
            if (replicas < 0) {
                throw new IllegalArgumentException("replicas must be >= 0");
            }
            this.waitReplicas = replicas;
            this.waitTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * As {@link #waitForReplicas(int, Duration)}, per primary: {@code WAIT 1} where the primary
         * had connected replicas when the writer connected to it, no WAIT where it had none.
         */
        public Builder waitForReplicasWhereAny(Duration timeout) {
            this.waitReplicas = AUTO;
            this.waitTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * How long a command keeps being resent after its first transient failure (redirections,
         * TRYAGAIN, CLUSTERDOWN, LOADING, BUSY, lost connections) before it is reported as failed.
         */
        public Builder retryTimeout(Duration d) {
            this.retryTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** Exponential back-off between resends: base, doubling up to max. */
        public Builder backoff(Duration base, Duration max) {
            this.backoffBase = Objects.requireNonNull(base);
            this.backoffMax = Objects.requireNonNull(max);
            return this;
        }

        public Builder failureHandler(FailureHandler h) {
            this.failureHandler = Objects.requireNonNull(h);
            return this;
        }

        public WriterConfig build() {
            return new WriterConfig(this);
        }

        private static int positive(int n, String what) {
            if (n <= 0) {
                throw new IllegalArgumentException(what + " must be > 0");
            }
            return n;
        }
    }
}
