package io.df2redis.dragonfly.journal;

/** Journal opcodes ({@code journal/types.h: enum class Op}), written as packed uints. */
public enum JournalOp {
    NOOP(0, false),
    SELECT(6, false),
    EXPIRED(9, true),
    COMMAND(10, true),
    MULTI_COMMAND(11, true),
    EXEC(12, true),
    PING(13, true),
    FIN(14, false),
    LSN(15, false);

    private final int code;
    private final boolean consumesLsn;

    JournalOp(int code, boolean consumesLsn) {
        this.code = code;
        this.consumesLsn = consumesLsn;
    }

    public int code() {
        return code;
    }

    /** Whether the record takes an LSN (protocol doc §7.3): COMMAND, EXPIRED, MULTI_COMMAND, EXEC, PING. */
    public boolean consumesLsn() {
        return consumesLsn;
    }

    /** The opcode for a wire value, or {@code null}. */
    public static JournalOp of(long code) {
        for (JournalOp op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        return null;
    }
}
