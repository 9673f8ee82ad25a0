package io.df2redis.dragonfly.rdb;

/**
 * Object types that can follow a key in an RDB body. The byte that names a type depends on who
 * wrote the stream ({@link TypeTable}): byte 20 is Dragonfly's legacy JSON in a Dragonfly stream but
 * SET_LISTPACK in a Redis file of RDB version 11 or later.
 */
public enum RdbType {
    STRING(0, Kind.STRING),
    LIST(1, Kind.LIST),
    SET(2, Kind.SET),
    ZSET(3, Kind.ZSET),
    HASH(4, Kind.HASH),
    ZSET_2(5, Kind.ZSET),
    MODULE_2(7, Kind.MODULE),
    HASH_ZIPMAP(9, Kind.HASH),
    LIST_ZIPLIST(10, Kind.LIST),
    SET_INTSET(11, Kind.SET),
    ZSET_ZIPLIST(12, Kind.ZSET),
    HASH_ZIPLIST(13, Kind.HASH),
    LIST_QUICKLIST(14, Kind.LIST),
    STREAM_LISTPACKS(15, Kind.STREAM),
    HASH_LISTPACK(16, Kind.HASH),
    ZSET_LISTPACK(17, Kind.ZSET),
    LIST_QUICKLIST_2(18, Kind.LIST),
    STREAM_LISTPACKS_2(19, Kind.STREAM),
    /** Redis 7.2+ (RDB 11). In a Dragonfly stream byte 20 means {@link #DF_JSON_LEGACY}. */
    SET_LISTPACK(20, Kind.SET),
    STREAM_LISTPACKS_3(21, Kind.STREAM),
    /** Dragonfly's JSON before v1.7, byte 20 in a Dragonfly stream. No Redis equivalent. */
    DF_JSON_LEGACY(-1, Kind.JSON),
    DF_JSON(-1, Kind.JSON),
    DF_HASH_WITH_EXPIRY(-1, Kind.HASH),
    DF_SET_WITH_EXPIRY(-1, Kind.SET),
    DF_SBF(-1, Kind.BLOOM),
    DF_SBF2(-1, Kind.BLOOM),
    DF_CMS(-1, Kind.CMS),
    DF_TOPK(-1, Kind.TOPK),
    DF_CUCKOO(-1, Kind.CUCKOO);

    /** The logical kind of value, whatever its encoding. */
    public enum Kind {
        STRING, LIST, SET, HASH, ZSET, STREAM, JSON, MODULE, BLOOM, CMS, TOPK, CUCKOO
    }

    private final int redisTypeId;
    private final Kind kind;

    RdbType(int redisTypeId, Kind kind) {
        this.redisTypeId = redisTypeId;
        this.kind = kind;
    }

    /** The type byte Redis uses for this encoding in RDB files and DUMP payloads; -1 if none. */
    public int redisTypeId() {
        return redisTypeId;
    }

    public boolean isRedisType() {
        return redisTypeId >= 0;
    }

    public Kind kind() {
        return kind;
    }
}
