package io.df2redis.translate;

import io.df2redis.redis.RedisCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds commands of the form {@code NAME key <fixed…> <element…>} and emits one whenever it
 * reaches the configured element count or byte size, so a value of any size streams out in
 * bounded commands.
 */
final class CommandBatch {
    private final int db;
    private final int slot;
    private final byte[] key;
    private final List<byte[]> head;
    private final int maxElements;
    private final int maxBytes;
    private final int argsPerElement;
    private final Consumer<RedisCommand> out;
    private List<byte[]> args;
    private int elements;
    private long bytes;

    CommandBatch(int db, int slot, byte[] key, List<byte[]> head, int argsPerElement, int maxElements,
            int maxBytes, Consumer<RedisCommand> out) {
        this.db = db;
        this.slot = slot;
        this.key = key;
        this.head = head;
        this.argsPerElement = argsPerElement;
        this.maxElements = maxElements;
        this.maxBytes = maxBytes;
        this.out = out;
    }

    /** Adds one element ({@code argsPerElement} arguments). */
    void add(byte[]... element) {
        if (args == null) {
            args = new ArrayList<>(head.size() + Math.min(maxElements, 64) * argsPerElement);
            args.addAll(head);
        }
        for (byte[] a : element) {
            args.add(a);
            bytes += a.length + 8;
        }
        elements++;
        if (elements >= maxElements || bytes >= maxBytes) {
            flush();
        }
    }

    void flush() {
        if (args != null && elements > 0) {
            out.accept(new RedisCommand(db, slot, key, Args.array(args)));
        }
        args = null;
        elements = 0;
        bytes = 0;
    }
}
