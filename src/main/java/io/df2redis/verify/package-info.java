/**
 * {@code --mode verify}: compares a source keyspace with the target both ways (keys only in the
 * source, only in the target, type, value by content, expiry), pipelined and in parallel, while
 * replication may still run: keys that differ are checked again after a delay, and only those still
 * different are reported. Knows RESP servers only (through {@link io.df2redis.redis.KeyspaceClient});
 * the Flink layer maps the job's settings onto {@link io.df2redis.verify.VerifyConfig}.
 */
package io.df2redis.verify;
