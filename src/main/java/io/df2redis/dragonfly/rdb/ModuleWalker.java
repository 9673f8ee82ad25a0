package io.df2redis.dragonfly.rdb;

import io.df2redis.dragonfly.event.DecodedValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A module value (type 7, MODULE_2): {@code len} module id (9-character name + 10-bit encoding
 * version), then typed fields ({@code len} opcode: 1/2 integer, 3 float, 4 double, 5 string) until
 * opcode 0. RedisJSON ({@code ReJSON-RL}, encoding version 3) stores the document as one string and
 * decodes to {@link DecodedValue.JsonValue}; any other module decodes to nothing here (the caller
 * keeps the encoded bytes as an opaque value).
 */
final class ModuleWalker extends ValueWalker {
    private static final String CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    public static final String REJSON = "ReJSON-RL";

    private String moduleName;
    private int encVersion;
    private final List<byte[]> strings = new ArrayList<>();
    private int fields;

    ModuleWalker(RdbType type, boolean keep) {
        super(type, keep);
    }

    /** The 9-character module name encoded in a module id. */
    public static String moduleName(long id) {
        char[] name = new char[9];
        long v = id >>> 10;
        for (int j = 0; j < 9; j++) {
            name[8 - j] = CHARSET.charAt((int) (v & 63));
            v >>>= 6;
        }
        return new String(name);
    }

    @Override
    protected boolean step(RdbCursor c) throws RdbFormatException {
        if (moduleName == null) {
            long id = c.len();
            moduleName = moduleName(id);
            encVersion = (int) (id & 1023);
            return false;
        }
        long at = c.offset();
        long op = c.len();
        switch ((int) op) {
            case 0:
                if (op != 0) {
                    break;
                }
                return true;
            case 1:
            case 2:
                c.len();
                fields++;
                return false;
            case 3:
                c.skip(4);
                fields++;
                return false;
            case 4:
                c.skip(8);
                fields++;
                return false;
            case 5:
                if (keep) {
                    strings.add(c.string());
                } else {
                    c.skipString();
                }
                fields++;
                return false;
            default:
                break;
        }
        throw new RdbFormatException("a module field opcode 0..5 (got " + Long.toUnsignedString(op) + ")", at);
    }

    @Override
    public boolean decodable() {
        return moduleName == null || (REJSON.equals(moduleName) && encVersion >= 3);
    }

    public String moduleName() {
        return moduleName;
    }

    /** Whether this is a RedisJSON document stored as one JSON string (encoding version ≥ 3). */
    public boolean isJsonText() {
        return REJSON.equals(moduleName) && encVersion >= 3 && fields == 1 && (strings.size() == 1 || !keep);
    }

    @Override
    public int batchSize() {
        return 0;
    }

    /** The JSON document for RedisJSON, {@code null} for other modules. */
    @Override
    public DecodedValue takeBatch(boolean last) {
        return isJsonText() ? new DecodedValue.JsonValue(strings.get(0)) : null;
    }

    @Override
    public boolean empty() {
        return false;
    }
}
