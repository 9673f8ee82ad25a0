/**
 * Real {@code redis-server} processes for tests: standalone servers and clusters on free loopback
 * ports, stopped by PID whatever happens. See {@code README.md} in this directory.
 *
 * <ul>
 *   <li>{@link io.df2redis.testing.redis.RedisServerProcess}: one server (password, ACL users, TLS,
 *       cluster mode, any directive); {@code kill()} is SIGKILL, {@code restart()} keeps port and dir.
 *   <li>{@link io.df2redis.testing.redis.RedisClusterProcesses}: 3 primaries + 3 replicas by default;
 *       slot migration key by key, coordinated failover, SIGKILL of a primary, restart of a node.
 *   <li>{@link io.df2redis.testing.redis.TlsFiles}: a CA, server and client certificates (openssl).
 *   <li>{@link io.df2redis.testing.redis.RedisProcessesExtension}: kills what a test left running.
 * </ul>
 */
package io.df2redis.testing.redis;
