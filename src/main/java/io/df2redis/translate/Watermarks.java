package io.df2redis.translate;

import io.df2redis.redis.RedisCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exactly-once journal apply (DESIGN §6): the target commands of one journal unit run in one Lua
 * script together with the update of the slot's <em>watermark</em>, the LSN of the last journal
 * entry of each flow applied to that slot. The script first compares: an entry at or below the
 * watermark was applied already (a replay after a restore, or a batch resent after its outcome was
 * unknown) and is skipped, atomically, by the node that holds the slot.
 *
 * <p>The watermark of a slot is a hash {@code <prefix>wm:{<tag>}} (field = flow, value = LSN) whose
 * hash tag maps to that slot, in the unit's database: it lives and dies with the slot's keys (a
 * full-sync reset or a FLUSHALL clears it with them).
 *
 * <p>Errors: an error of the unit's first command comes back as it is and leaves the watermark alone
 * (OOM, READONLY, NOPERM… are raised before anything is written, so a resend can still apply the
 * unit); an error after some of the unit was written still sets the watermark (what was written
 * cannot be taken back) and comes back for the writer's failure handling.
 *
 * <p>Commands that are scripts themselves (the translation's own EVALs) run as local functions of
 * the wrapping script, with their KEYS and ARGV: Redis runs no script from a script. On Redis ≥ 7
 * the wrapper is a function of a library loaded once ({@link #library()}, {@code FCALL}); else,
 * or for a script the library does not hold, an {@code EVAL} of the composed text.
 */
public final class Watermarks {
    private static final byte[] EVAL = bytes("EVAL");
    private static final byte[] FCALL = bytes("FCALL");
    private static final byte[] FUNCTION_NAME = Watermarks.FUNCTION.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PLAIN = bytes("c");

    private static final String HEAD = String.join("\n",
            "local flow, lsn = ARGV[1], tonumber(ARGV[2])",
            "if tonumber(redis.call('HGET', KEYS[1], flow) or '-1') >= lsn then return {'df2redis-applied'} end",
            "local i, r, first = 3, nil, true",
            "while i <= #ARGV do",
            "  local kind, n = ARGV[i], tonumber(ARGV[i + 1])",
            "  if kind == 'c' then",
            "    r = redis.pcall(unpack(ARGV, i + 2, i + 1 + n))",
            "  else",
            "    local nk, k, a = tonumber(ARGV[i + 2]), {}, {}",
            "    for j = 1, nk do k[j] = ARGV[i + 2 + j] end",
            "    for j = i + 3 + nk, i + 1 + n do a[#a + 1] = ARGV[j] end",
            "    local ok, res = pcall(S[kind], k, a)",
            "    if ok then r = res elseif type(res) == 'table' then r = res else r = {err = tostring(res)} end",
            "  end",
            "  if type(r) == 'table' and r.err then",
            "    if first then return r end",
            "    redis.call('HSET', KEYS[1], flow, ARGV[2])",
            "    return r",
            "  end",
            "  first = false",
            "  i = i + 2 + n",
            "end",
            "redis.call('HSET', KEYS[1], flow, ARGV[2])",
            "return r");

    /**
     * The function library (Redis ≥ 7): the wrapper as function {@value #FUNCTION}, with the
     * translation's own scripts as local functions. Functions are replicated and persisted with the
     * data, so a promoted replica has them; calling one costs Redis about half of an {@code EVAL} of
     * the same text (no SHA1 of the body per call, no body on the wire).
     */
    public static final String FUNCTION = "df2redis_apply_1";
    /** The library's name ({@code FUNCTION DELETE} it to remove it). */
    public static final String LIBRARY = "df2redis_1";

    /** The translation's scripts the library embeds, by name. */
    private static final Map<String, String> INNER = Map.of(
            "HSETEX", Scripts.HSETEX,
            "FIELDEXPIRE", Scripts.FIELDEXPIRE,
            "RENAME_IF_EXISTS", Scripts.RENAME_IF_EXISTS,
            "INCRBYFLOAT", FloatScripts.INCRBYFLOAT,
            "HINCRBYFLOAT", FloatScripts.HINCRBYFLOAT,
            "MOVE_FINISH", SlotApplier.FINISH);
    private static final Map<String, String> NAME_OF_BODY = new java.util.HashMap<>();

    static {
        INNER.forEach((name, body) -> NAME_OF_BODY.put(body, name));
    }

    /** {@code FUNCTION LOAD REPLACE} this: the library of {@link #FUNCTION}. */
    public static String library() {
        StringBuilder sb = new StringBuilder("#!lua name=" + LIBRARY + "\nlocal S = {}\n");
        for (String name : new java.util.TreeSet<>(INNER.keySet())) {
            sb.append("S['").append(name).append("'] = function(KEYS, ARGV)\n").append(INNER.get(name)).append("\nend\n");
        }
        return sb.append("redis.register_function('").append(FUNCTION).append("', function(KEYS, ARGV)\n").append(HEAD)
                .append("\nend)\n").toString();
    }

    /** Wrapping scripts by the inner scripts they embed (a handful: the translation's own). */
    private final Map<List<String>, byte[]> scripts = new ConcurrentHashMap<>();
    private final String prefix;
    private final boolean functions;

    /** @param prefix the job's internal key prefix ({@code translate.internal-key-prefix}); wraps in {@code EVAL} */
    public Watermarks(String prefix) {
        this(prefix, false);
    }

    /**
     * @param functions call {@link #FUNCTION} (the target has the {@link #library()} loaded) instead
     *     of {@code EVAL} of the wrapping script
     */
    public Watermarks(String prefix, boolean functions) {
        this.prefix = prefix;
        this.functions = functions;
    }

    /** The watermark hash of {@code slot}: {@code <prefix>wm:{<tag of slot>}}. */
    public byte[] key(int slot) {
        return (prefix + "wm:{" + StagingKeys.tagFor(slot) + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Arguments one plain command may have in the script (Lua's unpack stops near 8000). */
    static final int MAX_ARGS = 7000;

    /**
     * Whether one script can run {@code unit}: every command in {@code db} and {@code slot}, none
     * with more than {@link #MAX_ARGS} arguments.
     */
    public static boolean wrappable(int db, int slot, List<RedisCommand> unit) {
        for (RedisCommand c : unit) {
            if (c.db() != db || c.slot() != slot || c.args().length > MAX_ARGS) {
                return false;
            }
        }
        return true;
    }

    /**
     * One script running {@code unit} (commands of {@code db} and {@code slot}, possibly none) if
     * journal entry {@code lsn} of {@code flow} is above the slot's watermark, and raising the
     * watermark to it.
     */
    public RedisCommand wrap(int db, int slot, byte[] routingKey, int flow, long lsn, List<RedisCommand> unit) {
        List<byte[]> keys = new ArrayList<>(2);
        byte[] wm = key(slot);
        keys.add(wm);
        if (routingKey != null) {
            keys.add(routingKey);
        }
        List<byte[]> argv = new ArrayList<>();
        argv.add(bytes(Integer.toString(flow)));
        argv.add(bytes(Long.toString(lsn)));
        List<String> inner = new ArrayList<>();
        boolean viaFunction = functions;
        for (RedisCommand c : unit) {
            byte[][] a = c.args();
            if (isEval(a[0])) {
                viaFunction &= NAME_OF_BODY.containsKey(new String(a[1], StandardCharsets.UTF_8));
            }
        }
        for (RedisCommand c : unit) {
            byte[][] a = c.args();
            if (isEval(a[0])) {
                String body = new String(a[1], StandardCharsets.UTF_8);
                String kind;
                if (viaFunction) {
                    kind = NAME_OF_BODY.get(body);
                } else {
                    int index = inner.indexOf(body);
                    if (index < 0) {
                        inner.add(body);
                        index = inner.size() - 1;
                    }
                    kind = "s" + (index + 1);
                }
                argv.add(bytes(kind));
                argv.add(bytes(Integer.toString(a.length - 2)));
                argv.addAll(Arrays.asList(a).subList(2, a.length));
            } else {
                argv.add(PLAIN);
                argv.add(bytes(Integer.toString(a.length)));
                argv.addAll(Arrays.asList(a));
            }
        }
        byte[][] args = new byte[3 + keys.size() + argv.size()][];
        int n = 0;
        if (viaFunction) {
            args[n++] = FCALL;
            args[n++] = FUNCTION_NAME;
        } else {
            args[n++] = EVAL;
            args[n++] = scripts.computeIfAbsent(List.copyOf(inner), Watermarks::compose);
        }
        args[n++] = bytes(Integer.toString(keys.size()));
        for (byte[] k : keys) {
            args[n++] = k;
        }
        for (byte[] v : argv) {
            args[n++] = v;
        }
        return new RedisCommand(db, slot, routingKey != null ? routingKey : wm, args);
    }

    private static byte[] compose(List<String> inner) {
        StringBuilder sb = new StringBuilder("local S = {}\n");
        for (int i = 0; i < inner.size(); i++) {
            // KEYS and ARGV as parameters shadow the wrapper's own for the embedded script.
            sb.append("S['s").append(i + 1).append("'] = function(KEYS, ARGV)\n").append(inner.get(i)).append("\nend\n");
        }
        return bytes(sb.append(HEAD).toString());
    }

    private static boolean isEval(byte[] name) {
        return name.length == 4 && (name[0] | 0x20) == 'e' && (name[1] | 0x20) == 'v' && (name[2] | 0x20) == 'a'
                && (name[3] | 0x20) == 'l';
    }

    /** {@code HSET <home slot's watermark> g<flow> <lsn> …}: the global command at these LSNs was applied. */
    public RedisCommand globalDone(int homeSlot, Map<Integer, Long> lsnByFlow) {
        byte[] key = key(homeSlot);
        byte[][] args = new byte[2 + 2 * lsnByFlow.size()][];
        int n = 0;
        args[n++] = bytes("HSET");
        args[n++] = key;
        for (Map.Entry<Integer, Long> e : lsnByFlow.entrySet()) {
            args[n++] = bytes("g" + e.getKey());
            args[n++] = bytes(Long.toString(e.getValue()));
        }
        return new RedisCommand(0, homeSlot, key, args);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
