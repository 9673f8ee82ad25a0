package io.df2redis.redis;

/**
 * One command for the target, already routed to a slot. Commands with the same slot are applied in
 * the order they are handed to the writer.
 *
 * @param db target database (always 0 on a cluster); the writer selects it on the connection
 * @param slot Redis Cluster hash slot of {@code key} ({@link Slots#slot(byte[])}), also used on a
 *     standalone target to keep per-key order on one connection
 * @param key the key the command writes, named in error reports
 * @param args command name first. Commands that change the connection's state (SELECT, MULTI/EXEC,
 *     WATCH, AUTH, CLIENT…) are refused by the writer: databases come from {@code db}, and a
 *     transaction cannot be pipelined through redirections. Blocking commands (BLPOP…) would stall
 *     the connection's pipeline and must not be sent.
 */
public record RedisCommand(int db, int slot, byte[] key, byte[][] args) {

    public static RedisCommand of(int db, byte[] key, byte[]... args) {
        return new RedisCommand(db, Slots.slot(key), key, args);
    }

    /** Bytes this command occupies on the wire, approximately (for batch limits). */
    public int weight() {
        int n = 16;
        for (byte[] a : args) {
            n += a.length + 16;
        }
        return n;
    }

    public String name() {
        return new String(args[0], java.nio.charset.StandardCharsets.UTF_8);
    }
}
