package io.df2redis.dragonfly.rdb;

import io.df2redis.dragonfly.event.DecodedValue;

/** A value that is one rdbstr: strings (type 0) and Dragonfly JSON text (types 30 and legacy 20). */
final class StringWalker extends ValueWalker {
    private byte[] value;
    private boolean taken;

    StringWalker(RdbType type, boolean keep) {
        super(type, keep);
    }

    @Override
    protected boolean step(RdbCursor c) throws RdbFormatException {
        if (keep) {
            value = c.string();
        } else {
            c.skipString();
        }
        return true;
    }

    @Override
    public int batchSize() {
        return value != null && !taken ? 1 : 0;
    }

    @Override
    public DecodedValue takeBatch(boolean last) {
        taken = true;
        return type.kind() == RdbType.Kind.JSON ? new DecodedValue.JsonValue(value) : new DecodedValue.StringValue(value);
    }

    @Override
    public boolean empty() {
        return false;
    }
}
