package io.df2redis.translate;

import io.df2redis.dragonfly.rdb.RdbType;

/**
 * Dragonfly-only data, grouped the way an operator configures it: one policy per family covers
 * both the snapshot values of that kind and the journal commands that write them (a Bloom filter
 * skipped in the snapshot must also be skipped in the journal, or a half filter would appear).
 */
public enum DfFamily {
    /** Type 30 (and legacy 20): JSON documents; {@code JSON.*}. Transcodes with RedisJSON. */
    JSON("json"),
    /** Type 31: hashes with field TTLs; {@code HSETEX}, {@code FIELDEXPIRE} on hashes, {@code HEXPIRE}…. */
    HASH_FIELD_TTL("hash-field-ttl"),
    /** Type 32: sets with member TTLs; {@code SADDEX}. Redis has no member TTL at all. */
    SET_MEMBER_TTL("set-member-ttl"),
    /** Types 33/34: scalable Bloom filters; {@code BF.*}. */
    BLOOM("bloom"),
    /** Type 37; {@code CF.*}. */
    CUCKOO("cuckoo"),
    /** Type 35; {@code CMS.*}. */
    CMS("cms"),
    /** Type 36; {@code TOPK.*}. */
    TOPK("topk"),
    /** {@code FT.*}: search indexes (journaled on every flow, never transcodable). */
    SEARCH("search"),
    /** Other Dragonfly-only commands that write data ({@code CL.THROTTLE}, …). */
    OTHER("other");

    private final String configName;

    DfFamily(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration ({@code translate.dragonfly-types.<name>}). */
    public String configName() {
        return configName;
    }

    public static DfFamily ofConfigName(String name) {
        for (DfFamily f : values()) {
            if (f.configName.equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown Dragonfly type family '" + name + "'");
    }

    /** The family of a Dragonfly-only snapshot type, or {@code null} for a Redis type. */
    public static DfFamily of(RdbType type) {
        switch (type) {
            case DF_JSON:
            case DF_JSON_LEGACY:
                return JSON;
            case DF_HASH_WITH_EXPIRY:
                return HASH_FIELD_TTL;
            case DF_SET_WITH_EXPIRY:
                return SET_MEMBER_TTL;
            case DF_SBF:
            case DF_SBF2:
                return BLOOM;
            case DF_CMS:
                return CMS;
            case DF_TOPK:
                return TOPK;
            case DF_CUCKOO:
                return CUCKOO;
            default:
                return null;
        }
    }

    /** Whether a target equivalent can exist at all for this family. */
    public boolean transcodable() {
        return this == JSON || this == HASH_FIELD_TTL || this == SET_MEMBER_TTL;
    }
}
