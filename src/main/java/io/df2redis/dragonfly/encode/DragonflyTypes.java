package io.df2redis.dragonfly.encode;

import io.df2redis.dragonfly.rdb.RdbType;

/** The type byte a Dragonfly stream uses for each {@link RdbType} (inverse of {@code TypeTable.DRAGONFLY}). */
public final class DragonflyTypes {
    private DragonflyTypes() {}

    public static int typeByte(RdbType t) {
        switch (t) {
            case DF_JSON_LEGACY: return 20;
            case DF_JSON: return 30;
            case DF_HASH_WITH_EXPIRY: return 31;
            case DF_SET_WITH_EXPIRY: return 32;
            case DF_SBF: return 33;
            case DF_SBF2: return 34;
            case DF_CMS: return 35;
            case DF_TOPK: return 36;
            case DF_CUCKOO: return 37;
            case SET_LISTPACK:
                throw new IllegalArgumentException("a Dragonfly stream has no SET_LISTPACK (byte 20 is legacy JSON there)");
            default:
                return t.redisTypeId();
        }
    }
}
