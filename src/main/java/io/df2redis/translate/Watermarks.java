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
 * the wrapping script, with their KEYS and ARGV: Redis runs no script from a script.
 */
public final class Watermarks {
    private static final byte[] EVAL = bytes("EVAL");
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

    /** Wrapping scripts by the inner scripts they embed (a handful: the translation's own). */
    private final Map<List<String>, byte[]> scripts = new ConcurrentHashMap<>();
    private final String prefix;

    /** @param prefix the job's internal key prefix ({@code translate.internal-key-prefix}) */
    public Watermarks(String prefix) {
        this.prefix = prefix;
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
        for (RedisCommand c : unit) {
            byte[][] a = c.args();
            if (isEval(a[0])) {
                String body = new String(a[1], StandardCharsets.UTF_8);
                int index = inner.indexOf(body);
                if (index < 0) {
                    inner.add(body);
                    index = inner.size() - 1;
                }
                argv.add(bytes("s" + (index + 1)));
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
        args[n++] = EVAL;
        args[n++] = scripts.computeIfAbsent(List.copyOf(inner), Watermarks::compose);
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
