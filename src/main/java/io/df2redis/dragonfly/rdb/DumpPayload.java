package io.df2redis.dragonfly.rdb;

import io.df2redis.dragonfly.event.RdbValue;

/**
 * Redis DUMP / RESTORE payloads: type byte, encoded value, u16le RDB version, u64le CRC-64/Jones of
 * everything before the CRC. Dragonfly journals cross-shard RENAME and COPY as {@code RESTORE}
 * with such payloads (its own type numbers); the writer builds them to RESTORE snapshot values.
 */
public final class DumpPayload {
    /** The RDB version Dragonfly writes; Redis accepts payloads of its own version or lower. */
    public static final int DRAGONFLY_RDB_VERSION = 9;

    private static final int TRAILER = 10;

    private DumpPayload() {}

    /** A parsed payload: the value and the RDB version it claims. */
    public record Parsed(RdbValue value, int rdbVersion) {}

    /**
     * Parses and verifies a payload. The type byte is mapped with {@code table} (Dragonfly's for
     * payloads journaled by Dragonfly); the value is checked to end exactly at the trailer.
     */
    public static Parsed parse(byte[] payload, TypeTable table) throws RdbFormatException {
        if (payload.length < 1 + TRAILER) {
            throw new RdbFormatException("a DUMP payload of at least 11 bytes (got " + payload.length + ")", 0);
        }
        int end = payload.length - TRAILER;
        int version = RdbBytes.u16le(payload, end);
        long crc = RdbBytes.i64le(payload, end + 2);
        long actual = Crc64.update(0, payload, 0, end + 2);
        if (crc != actual) {
            throw new RdbFormatException(String.format("DUMP payload CRC64 %016x (computed %016x)", crc, actual), end + 2);
        }
        int typeByte = payload[0] & 0xff;
        RdbType type = table.typeOf(typeByte, version);
        if (type == null) {
            throw new RdbFormatException("a known object type in the DUMP payload (got " + typeByte + ")", 0);
        }
        byte[] encoded = java.util.Arrays.copyOfRange(payload, 1, end);
        // Structural check: the value must end exactly where the trailer starts.
        RdbCursor c = new RdbCursor(encoded, 0, encoded.length, ValueDecoder.DEFAULT_MAX_STRING);
        ValueWalker w = ValueWalker.forType(type, false);
        try {
            w.walk(c);
        } catch (Underflow u) {
            throw new RdbFormatException("a complete " + type + " value in the DUMP payload", 1 + c.pos());
        }
        if (c.pos() != encoded.length) {
            throw new RdbFormatException("the DUMP payload value to end at the trailer (" + (encoded.length - c.pos())
                    + " extra bytes)", 1 + c.pos());
        }
        return new Parsed(new RdbValue(type, encoded), version);
    }

    /**
     * Builds a payload for {@code value} with the given type byte (the target's number for the
     * type, e.g. {@link RdbType#redisTypeId()}) and RDB version.
     */
    public static byte[] build(int typeByte, byte[] encodedValue, int rdbVersion) {
        byte[] out = new byte[1 + encodedValue.length + TRAILER];
        out[0] = (byte) typeByte;
        System.arraycopy(encodedValue, 0, out, 1, encodedValue.length);
        int end = 1 + encodedValue.length;
        RdbBytes.putU16le(out, end, rdbVersion);
        RdbBytes.putI64le(out, end + 2, Crc64.update(0, out, 0, end + 2));
        return out;
    }

    /** A payload Redis can RESTORE; fails for Dragonfly-only types (no Redis type byte). */
    public static byte[] build(RdbValue value, int rdbVersion) {
        if (!value.type().isRedisType()) {
            throw new IllegalArgumentException(value.type() + " has no Redis type byte");
        }
        return build(value.type().redisTypeId(), value.encoded(), rdbVersion);
    }
}
