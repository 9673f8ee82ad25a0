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
 * {@code %.Ne} for N = 0…16 (correctly rounded by the C library, read back with strtod) and, next to
 * powers of two where the rounding interval is lopsided, the neighbouring digit string on the other
 * side; then it lays the digits out as double-conversion does. It keeps the key's TTL (Dragonfly
 * keeps it too).
 */
final class FloatScripts {
    private FloatScripts() {}

    private static final String FORMAT = String.join("\n",
            // d ± 1 on a string of decimal digits (no leading zeros in the result)
            "local function bump(d, delta)",
            "  local t = {}",
            "  for i = 1, #d do t[i] = string.byte(d, i) - 48 end",
            "  local i = #d",
            "  while i >= 1 do",
            "    local v = t[i] + delta",
            "    if v >= 0 and v <= 9 then t[i] = v break end",
            "    if v < 0 then t[i] = 9 else t[i] = 0 end",
            "    i = i - 1",
            "  end",
            "  local s = table.concat(t)",
            "  if i == 0 then s = '1' .. s end",
            "  return (string.gsub(s, '^0+', ''))",
            "end",
            // shortest digits d and exponent e (x = d * 10^e) that read back as x > 0
            "local function shortest(x)",
            "  for p = 0, 16 do",
            "    local s = string.format('%.' .. p .. 'e', x)",
            "    local int, frac, exp = string.match(s, '^(%d)%.?(%d*)e([-+]%d+)$')",
            "    local d, e = int .. frac, tonumber(exp) - p",
            "    local v = tonumber(s)",
            "    if v == x then return d, e end",
            // next to a power of two the rounding interval is lopsided: the neighbour on the
            // other side of x can read back as x when the nearest does not
            "    local n = bump(d, (v < x) and 1 or -1)",
            "    if n ~= '' and tonumber(n .. 'e' .. e) == x then return n, e end",
            "  end",
            "end",
            "local function fmt(x)",
            "  if x == 0 then return '0' end",
            "  if x == math.huge then return 'inf' end",
            "  if x == -math.huge then return '-inf' end",
            "  local sign = ''",
            "  if x < 0 then sign, x = '-', -x end",
            "  local digits, e = shortest(x)",
            "  local stripped = string.gsub(digits, '0+$', '')",
            "  e = e + (#digits - #stripped)",
            "  digits = stripped",
            "  local n = #digits",
            "  local point = n + e",
            "  local exp10 = point - 1",
            "  if exp10 >= -6 and exp10 < 21 then",
            "    if point <= 0 then return sign .. '0.' .. string.rep('0', -point) .. digits end",
            "    if point >= n then return sign .. digits .. string.rep('0', point - n) end",
            "    return sign .. string.sub(digits, 1, point) .. '.' .. string.sub(digits, point + 1)",
            "  end",
            "  local m = string.sub(digits, 1, 1)",
            "  if n > 1 then m = m .. '.' .. string.sub(digits, 2) end",
            "  if exp10 >= 0 then return sign .. m .. 'e+' .. exp10 end",
            "  return sign .. m .. 'e' .. exp10",
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
