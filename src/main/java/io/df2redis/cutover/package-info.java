/**
 * {@code --mode cutover}: ends a migration with one command run beside the replicating job. It
 * pauses client writes on the Dragonfly master, waits until every replica (the job among them)
 * acknowledged everything written before the pause, compares the target with the source ({@link
 * io.df2redis.verify.Verifier}) and repairs what differs by copying the source's value through the
 * job's own translation, then leaves writes paused and says so: the moment to switch clients.
 * Joins the Dragonfly control connection, the verifier, the translation and the Redis writer.
 */
package io.df2redis.cutover;
