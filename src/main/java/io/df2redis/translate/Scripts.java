package io.df2redis.translate;

/**
 * Lua scripts the translation runs on the key's node. The conditional ones evaluate the
 * command's conditions against the target's current state (which equals the source's at that point
 * in the key's order), so no read crosses writers.
 */
final class Scripts {
    private Scripts() {}

    /**
     * Dragonfly's HSETEX (both syntaxes). KEYS[1] = key; ARGV[1] = mode ('' | NX | FNX | FXX),
     * ARGV[2] = KEEPTTL ('1' or '0'), ARGV[3] = absolute field expiry in ms, or 0 when the target
     * has no field TTLs; then field, value pairs.
     *
     * <p>NX sets only the fields that do not exist; FNX/FXX set all fields or none (none of them
     * exists / all of them exist); KEEPTTL keeps the TTL an existing field already had.
     */
    static final String HSETEX = String.join("\n",
            "local mode, keepttl, at = ARGV[1], ARGV[2] == '1', tonumber(ARGV[3])",
            "local n = (#ARGV - 3) / 2",
            "if mode == 'FNX' or mode == 'FXX' then",
            "  for i = 0, n - 1 do",
            "    local exists = redis.call('HEXISTS', KEYS[1], ARGV[4 + 2 * i]) == 1",
            "    if (mode == 'FNX') == exists then return 0 end",
            "  end",
            "end",
            "local set = 0",
            "for i = 0, n - 1 do",
            "  local f, v = ARGV[4 + 2 * i], ARGV[5 + 2 * i]",
            "  if mode ~= 'NX' or redis.call('HEXISTS', KEYS[1], f) == 0 then",
            "    local old = -2",
            "    if at > 0 and keepttl then old = redis.call('HPEXPIRETIME', KEYS[1], 'FIELDS', 1, f)[1] end",
            "    redis.call('HSET', KEYS[1], f, v)",
            "    if at > 0 then",
            "      if old > 0 then redis.call('HPEXPIREAT', KEYS[1], old, 'FIELDS', 1, f)",
            "      elseif old == -2 then redis.call('HPEXPIREAT', KEYS[1], at, 'FIELDS', 1, f) end",
            "    end",
            "    set = set + 1",
            "  end",
            "end",
            "return set");

    /**
     * Dragonfly's FIELDEXPIRE on a target with hash-field TTLs: the key may be a hash (fields get
     * the TTL) or a set with member TTLs (Redis has none: nothing to do). KEYS[1] = key, ARGV[1] =
     * absolute expiry in ms, then the fields.
     */
    static final String FIELDEXPIRE = String.join("\n",
            "if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end",
            "local fields = {}",
            "for i = 2, #ARGV do fields[#fields + 1] = ARGV[i] end",
            "return redis.call('HPEXPIREAT', KEYS[1], ARGV[1], 'FIELDS', #fields, unpack(fields))");

    /**
     * RENAME / RENAMENX within one slot that tolerates a missing source (a replayed record after
     * a failure): KEYS[1] = source, KEYS[2] = destination.
     */
    static final String RENAME_IF_EXISTS = String.join("\n",
            "if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end",
            "redis.call('RENAME', KEYS[1], KEYS[2])",
            "return 1");
}
