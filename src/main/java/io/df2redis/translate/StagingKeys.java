package io.df2redis.translate;

import io.df2redis.redis.Slots;
import java.nio.charset.StandardCharsets;

/**
 * Names of the target keys df2redis writes itself for a cross-slot move: a staging key holding the
 * moved value and a marker saying how far the move got. Both carry a hash tag chosen so that they
 * hash to the destination key's slot, which makes {@code RENAME staging dst} legal on a cluster.
 */
final class StagingKeys {
    /** For each slot, a short tag whose CRC16 is that slot. */
    private static final String[] TAGS = new String[Slots.COUNT];

    static {
        int found = 0;
        for (long i = 0; found < Slots.COUNT; i++) {
            String t = Long.toString(i, 36);
            int slot = Slots.slot(t.getBytes(StandardCharsets.US_ASCII));
            if (TAGS[slot] == null) {
                TAGS[slot] = t;
                found++;
            }
        }
    }

    private StagingKeys() {}

    static String tagFor(int slot) {
        return TAGS[slot];
    }

    /** What every staging and marker key starts with. */
    static String prefix(String internalKeyPrefix) {
        return internalKeyPrefix + "{";
    }

    /** Whether {@code key} is a staging or marker key. */
    static boolean isMoveKey(String internalKeyPrefix, byte[] key) {
        return opIdOf(internalKeyPrefix, key) != null;
    }

    /**
     * The operation id in a staging or marker key's name ({@code :state} included for a marker), or
     * null when {@code key} is neither.
     */
    static String opIdOf(String internalKeyPrefix, byte[] key) {
        String start = prefix(internalKeyPrefix);
        if (key.length <= start.length() + 5) {
            return null;
        }
        String k = new String(key, StandardCharsets.UTF_8);
        if (!k.startsWith(start)) {
            return null;
        }
        int close = k.indexOf("}:mv:", start.length());
        return close < 0 ? null : k.substring(close + 5);
    }

    /** {@code <prefix>{<tag of slot>}:mv:<opId>} */
    static byte[] staging(String prefix, int slot, String opId) {
        return (prefix + "{" + TAGS[slot] + "}:mv:" + opId).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code <prefix>{<tag of slot>}:mv:<opId>:state} */
    static byte[] marker(String prefix, int slot, String opId) {
        return (prefix + "{" + TAGS[slot] + "}:mv:" + opId + ":state").getBytes(StandardCharsets.UTF_8);
    }
}
