package io.df2redis.translate;

/**
 * INCRBYFLOAT / HINCRBYFLOAT computed the way Dragonfly computes them, on the target, by a Lua
 * script (no read crosses writers; the script is atomic on the key's node).
 *
 * <p>Dragonfly ({@code string_family.cc: OpIncrFloat}, {@code hset_family.cc: OpIncrBy}) parses
 * the stored text as a double, adds the increment in double arithmetic and stores
 * {@code FormatDouble(result)}: double-conversion's {@code ToShortest} with flags
 * UNIQUE_ZERO | EMIT_POSITIVE_EXPONENT_SIGN, decimal notation for decimal exponents in [-6, 21),
 * exponential otherwise ({@code reply_builder.cc: dfly_conv}). Redis adds in long double and prints
 * 17 digits, so replaying the command verbatim makes counters drift apart ({@code 0.3} vs
 * {@code 0.30000000000000004} after three {@code INCRBYFLOAT k 0.1}).
 *
 * <p>The script finds the shortest digit string that reads back as the same double by trying
 * {@code %.Ne} for N = 0…16 (correctly rounded by the C library, read back with strtod), then lays
 * the digits out as double-conversion does. It keeps the key's TTL (Dragonfly keeps it too).
 */
final class FloatScripts {
    private FloatScripts() {}

    private static final String FORMAT = String.join("\n",
            "local function fmt(x)",
            "  if x == 0 then return '0' end",
            "  if x == math.huge then return 'inf' end",
            "  if x == -math.huge then return '-inf' end",
            "  local s",
            "  for p = 0, 16 do",
            "    s = string.format('%.' .. p .. 'e', x)",
            "    if tonumber(s) == x then break end",
            "  end",
            "  local sign, int, frac, exp = string.match(s, '^(-?)(%d)%.?(%d*)e([-+]%d+)$')",
            "  local digits = string.gsub(int .. frac, '0+$', '')",
            "  local e = tonumber(exp)",
            "  local n = string.len(digits)",
            "  if e >= -6 and e < 21 then",
            "    local point = e + 1",
            "    if point <= 0 then return sign .. '0.' .. string.rep('0', -point) .. digits end",
            "    if point >= n then return sign .. digits .. string.rep('0', point - n) end",
            "    return sign .. string.sub(digits, 1, point) .. '.' .. string.sub(digits, point + 1)",
            "  end",
            "  local m = string.sub(digits, 1, 1)",
            "  if n > 1 then m = m .. '.' .. string.sub(digits, 2) end",
            "  if e >= 0 then return sign .. m .. 'e+' .. e end",
            "  return sign .. m .. 'e' .. e",
            "end",
            "local function num(s, what)",
            "  local v = tonumber(s)",
            "  if v == nil or v ~= v then return redis.error_reply('ERR df2redis: ' .. what .. ' is not a float') end",
            "  return v",
            "end");

    /** KEYS[1] = key, ARGV[1] = increment. Returns the stored text. */
    static final String INCRBYFLOAT = FORMAT + "\n" + String.join("\n",
            "local inc = num(ARGV[1], 'increment')",
            "if type(inc) == 'table' then return inc end",
            "local cur = redis.call('GET', KEYS[1])",
            "local r = inc",
            "if cur then",
            "  local v = num(cur, 'value')",
            "  if type(v) == 'table' then return v end",
            "  r = v + inc",
            "end",
            "local s = fmt(r)",
            "redis.call('SET', KEYS[1], s, 'KEEPTTL')",
            "return s");

    /** KEYS[1] = key, ARGV[1] = field, ARGV[2] = increment. Returns the stored text. */
    static final String HINCRBYFLOAT = FORMAT + "\n" + String.join("\n",
            "local inc = num(ARGV[2], 'increment')",
            "if type(inc) == 'table' then return inc end",
            "local cur = redis.call('HGET', KEYS[1], ARGV[1])",
            "local r = inc",
            "if cur then",
            "  local v = num(cur, 'value')",
            "  if type(v) == 'table' then return v end",
            "  r = v + inc",
            "end",
            "local s = fmt(r)",
            "redis.call('HSET', KEYS[1], ARGV[1], s)",
            "return s");
}
