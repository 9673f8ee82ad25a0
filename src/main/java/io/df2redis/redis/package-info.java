/**
 * The Redis / Redis Cluster writer: ordered commands per slot in, pipelined batches out, while the
 * target changes under it. Knows nothing of Dragonfly or Flink.
 *
 * <h2>Calling it</h2>
 * <pre>{@code
 * RedisTarget target = RedisTarget.parse("rediss://migrator:pw@10.0.0.5:6379")     // redis:// or rediss://
 *         .withTls(TlsOptions.caFile(Path.of("ca.pem")))                            // optional: trust, client cert
 *         .withMode(RedisTarget.Mode.AUTO);                                         // AUTO | STANDALONE | CLUSTER
 * WriterConfig config = WriterConfig.builder()
 *         .connectionsPerNode(1)                      // per database, per primary
 *         .maxOutstanding(100_000, 64 << 20)          // back-pressure: submit blocks beyond this
 *         .rateLimit(0, 0)                            // ops/s, bytes/s; 0 = none
 *         .waitForReplicas(1, Duration.ofSeconds(1))  // optional WAIT in flush
 *         .failureHandler(FailureHandler.failFast())  // or reportAndContinue(sink), or your own
 *         .build();
 * try (RedisWriter w = RedisWriter.open(target, config)) {
 *     TargetCapabilities caps = w.capabilities();    // version, RESTORE's RDB version, modules, HEXPIRE…
 *     w.submit(RedisCommand.of(db, key, args…));     // per-slot order kept; blocks when too much is in flight
 *     w.flush();                                     // everything submitted is acknowledged (and WAITed)
 *     w.clearSlots(slots); w.flushAll(); w.flushDb(db);
 *     w.metrics().moved(); …                         // plain counters
 * }
 * }</pre>
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.df2redis.redis.RedisWriter}: the facade above.
 *   <li>{@code Router}: slot → primary (CLUSTER SHARDS, else CLUSTER SLOTS; patched by MOVED) and the
 *       {@code Node}s' connections: per primary, per database, {@code connectionsPerNode} pipelined
 *       connections; a command of slot {@code s} in database {@code d} uses connection
 *       {@code (d, s % n)} of its primary, SELECTed once when it opens.
 *   <li>{@code PipelinedConnection}: own RESP client on {@link io.df2redis.resp.RespWriter} /
 *       {@link io.df2redis.resp.RespReader}: a sending thread writes batches (bounded by count and bytes,
 *       at most {@code maxInFlightBatches} unanswered), a receiving thread checks replies one by one.
 *   <li>{@code SlotTable}: per-slot order through MOVED, ASK, TRYAGAIN, CLUSTERDOWN, LOADING, BUSY and
 *       lost connections (hold, park, release in order); {@code LossTracker}: possible losses.
 *   <li>{@code CapabilityProbe}, {@code KeyspaceCleaner}, {@code OutstandingBudget}, {@code RateLimiter}.
 * </ul>
 */
package io.df2redis.redis;
