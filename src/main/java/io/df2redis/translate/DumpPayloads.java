package io.df2redis.translate;

import io.df2redis.dragonfly.event.RdbValue;
import io.df2redis.dragonfly.rdb.Crc64;
import io.df2redis.dragonfly.rdb.RdbType;
import io.df2redis.dragonfly.rdb.TypeTable;

/**
 * Redis DUMP payloads: {@code type byte | value bytes | u16le RDB version | u64le CRC-64/Jones of
 * everything before}. Built for RESTORE from a snapshot value, and taken apart when the journal
 * carries Dragonfly's own {@code RESTORE … <payload>} (cross-shard RENAME, COPY).
 */
final class DumpPayloads {
    private DumpPayloads() {}

    /** A payload of {@code value} stamped with {@code rdbVersion}. */
    static byte[] build(RdbValue value, int rdbVersion) {
        byte[] body = value.encoded();
        byte[] p = new byte[body.length + 11];
        p[0] = (byte) value.type().redisTypeId();
        System.arraycopy(body, 0, p, 1, body.length);
        int v = body.length + 1;
        p[v] = (byte) rdbVersion;
        p[v + 1] = (byte) (rdbVersion >>> 8);
        long crc = Crc64.update(0, p, 0, v + 2);
        for (int i = 0; i < 8; i++) {
            p[v + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }

    /** A payload written by Dragonfly, checked and taken apart. */
    record Parsed(RdbValue value, int typeByte, int rdbVersion) {}

    /**
     * @throws IllegalArgumentException naming what is wrong (too short, bad CRC, unknown type)
     */
    static Parsed parse(byte[] payload) {
        if (payload.length < 11) {
            throw new IllegalArgumentException("DUMP payload of " + payload.length + " bytes is too short");
        }
        int v = payload.length - 10;
        int version = (payload[v] & 0xff) | (payload[v + 1] & 0xff) << 8;
        long stored = 0;
        for (int i = 7; i >= 0; i--) {
            stored = stored << 8 | (payload[v + 2 + i] & 0xff);
        }
        long crc = Crc64.update(0, payload, 0, v + 2);
        if (stored != 0 && stored != crc) {
            throw new IllegalArgumentException(String.format(
                    "DUMP payload checksum %016x does not match its content (%016x)", stored, crc));
        }
        int typeByte = payload[0] & 0xff;
        RdbType type = TypeTable.DRAGONFLY.typeOf(typeByte, version);
        if (type == null) {
            throw new IllegalArgumentException("DUMP payload of unknown type " + typeByte);
        }
        byte[] body = new byte[v - 1];
        System.arraycopy(payload, 1, body, 0, body.length);
        return new Parsed(new RdbValue(type, body), typeByte, version);
    }
}
