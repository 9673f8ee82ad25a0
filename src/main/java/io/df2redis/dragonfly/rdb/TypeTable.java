package io.df2redis.dragonfly.rdb;

/**
 * Maps a type byte to an {@link RdbType} for one kind of source. Dragonfly writes RDB version 9
 * headers but its own type numbers (20 = legacy JSON, 30..37 Dragonfly types); Redis files use
 * Redis's numbering, where 20 became SET_LISTPACK in RDB 11.
 */
public enum TypeTable {
    /** A Dragonfly replication stream or snapshot (and the DUMP payloads Dragonfly journals). */
    DRAGONFLY,
    /** A file written by Redis, whose meaning of byte 20 depends on the RDB version. */
    REDIS;

    /**
     * @return the type, or {@code null} when the byte names no object type in this table.
     */
    public RdbType typeOf(int typeByte, int rdbVersion) {
        switch (typeByte) {
            case 0: return RdbType.STRING;
            case 1: return RdbType.LIST;
            case 2: return RdbType.SET;
            case 3: return RdbType.ZSET;
            case 4: return RdbType.HASH;
            case 5: return RdbType.ZSET_2;
            case 7: return RdbType.MODULE_2;
            case 9: return RdbType.HASH_ZIPMAP;
            case 10: return RdbType.LIST_ZIPLIST;
            case 11: return RdbType.SET_INTSET;
            case 12: return RdbType.ZSET_ZIPLIST;
            case 13: return RdbType.HASH_ZIPLIST;
            case 14: return RdbType.LIST_QUICKLIST;
            case 15: return RdbType.STREAM_LISTPACKS;
            case 16: return RdbType.HASH_LISTPACK;
            case 17: return RdbType.ZSET_LISTPACK;
            case 18: return RdbType.LIST_QUICKLIST_2;
            case 19: return RdbType.STREAM_LISTPACKS_2;
            case 20:
                if (this == DRAGONFLY) {
                    return RdbType.DF_JSON_LEGACY;
                }
                return rdbVersion >= 11 ? RdbType.SET_LISTPACK : null;
            case 21: return RdbType.STREAM_LISTPACKS_3;
            default:
                break;
        }
        if (this != DRAGONFLY) {
            return null;
        }
        switch (typeByte) {
            case 30: return RdbType.DF_JSON;
            case 31: return RdbType.DF_HASH_WITH_EXPIRY;
            case 32: return RdbType.DF_SET_WITH_EXPIRY;
            case 33: return RdbType.DF_SBF;
            case 34: return RdbType.DF_SBF2;
            case 35: return RdbType.DF_CMS;
            case 36: return RdbType.DF_TOPK;
            case 37: return RdbType.DF_CUCKOO;
            default: return null;
        }
    }
}
