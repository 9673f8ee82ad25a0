package io.df2redis.translate;

import io.df2redis.redis.RedisCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Binary form of what a {@link SlotApplier} holds, versioned, for the sink's checkpoint state.
 * Layout (big-endian): version, barrier?, parked slots with their items, items behind the barrier.
 * Version 2 adds to each flush (the barrier and those behind it) its LSN per flow, so that a restore
 * can tell whether the failed attempt carried it out; version 1 states read with none.
 */
final class ApplierState {
    static final int VERSION = 2;
    private static final int CMD = 1;
    private static final int MOVE_SOURCE = 2;
    private static final int MOVE_DEST = 3;
    private static final int WAIT = 4;
    private static final int FLUSH = 5;

    private ApplierState() {}

    record Decoded(TreeMap<Integer, ArrayDeque<SlotApplier.Item>> parked, TargetFlush barrier, Map<Integer, Long> barrierAt,
            List<SlotApplier.Item> afterBarrier) {}

    static byte[] encode(Map<Integer, ArrayDeque<SlotApplier.Item>> parked, TargetFlush barrier, Map<Integer, Long> barrierAt,
            ArrayDeque<SlotApplier.Item> afterBarrier) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            out.writeBoolean(barrier != null);
            if (barrier != null) {
                writeFlush(out, barrier);
                writeAt(out, barrierAt);
            }
            out.writeInt(parked.size());
            for (Map.Entry<Integer, ArrayDeque<SlotApplier.Item>> e : parked.entrySet()) {
                out.writeInt(e.getKey());
                out.writeInt(e.getValue().size());
                for (SlotApplier.Item it : e.getValue()) {
                    writeItem(out, it);
                }
            }
            out.writeInt(afterBarrier.size());
            for (SlotApplier.Item it : afterBarrier) {
                writeItem(out, it);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Decoded decode(byte[] state, long nowMs) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            int version = in.readInt();
            if (version < 1 || version > VERSION) {
                throw new IllegalStateException("slot applier state version " + version + ", this build reads 1 to " + VERSION);
            }
            TargetFlush barrier = null;
            Map<Integer, Long> barrierAt = null;
            if (in.readBoolean()) {
                barrier = readFlush(in);
                barrierAt = version >= 2 ? readAt(in) : null;
            }
            TreeMap<Integer, ArrayDeque<SlotApplier.Item>> parked = new TreeMap<>();
            int slots = in.readInt();
            for (int s = 0; s < slots; s++) {
                int slot = in.readInt();
                int n = in.readInt();
                ArrayDeque<SlotApplier.Item> q = new ArrayDeque<>(n);
                for (int i = 0; i < n; i++) {
                    q.add(readItem(in, nowMs, version));
                }
                parked.put(slot, q);
            }
            int n = in.readInt();
            List<SlotApplier.Item> after = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                after.add(readItem(in, nowMs, version));
            }
            return new Decoded(parked, barrier, barrierAt, after);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt slot applier state: " + e, e);
        }
    }

    private static void writeItem(DataOutputStream out, SlotApplier.Item it) throws IOException {
        if (it instanceof SlotApplier.Item.Cmd c) {
            out.writeByte(CMD);
            RedisCommand r = c.command();
            out.writeInt(r.db());
            out.writeInt(r.slot());
            writeBytes(out, r.key());
            out.writeInt(r.args().length);
            for (byte[] a : r.args()) {
                writeBytes(out, a);
            }
        } else if (it instanceof SlotApplier.Item.Move m) {
            out.writeByte(m.sourceHalf() ? MOVE_SOURCE : MOVE_DEST);
            out.writeInt(m.slot());
            writeMove(out, m.move());
        } else if (it instanceof SlotApplier.Item.Wait w) {
            out.writeByte(WAIT);
            out.writeInt(w.slot());
            writeMove(out, w.move());
        } else if (it instanceof SlotApplier.Item.Flush f) {
            out.writeByte(FLUSH);
            writeFlush(out, f.flush());
            writeAt(out, f.at());
        }
    }

    private static SlotApplier.Item readItem(DataInputStream in, long nowMs, int version) throws IOException {
        int kind = in.readByte();
        switch (kind) {
            case CMD: {
                int db = in.readInt();
                int slot = in.readInt();
                byte[] key = readBytes(in);
                byte[][] args = new byte[in.readInt()][];
                for (int i = 0; i < args.length; i++) {
                    args[i] = readBytes(in);
                }
                return new SlotApplier.Item.Cmd(new RedisCommand(db, slot, key, args));
            }
            case MOVE_SOURCE:
            case MOVE_DEST: {
                int slot = in.readInt();
                return new SlotApplier.Item.Move(slot, readMove(in), kind == MOVE_SOURCE);
            }
            case WAIT: {
                int slot = in.readInt();
                return new SlotApplier.Item.Wait(slot, readMove(in), nowMs);
            }
            case FLUSH:
                return new SlotApplier.Item.Flush(readFlush(in), version >= 2 ? readAt(in) : null);
            default:
                throw new IOException("unknown item kind " + kind);
        }
    }

    private static void writeMove(DataOutputStream out, CrossSlotMove m) throws IOException {
        out.writeUTF(m.opId());
        out.writeInt(m.sourceDb());
        out.writeInt(m.args().size());
        for (byte[] a : m.args()) {
            writeBytes(out, a);
        }
    }

    private static CrossSlotMove readMove(DataInputStream in) throws IOException {
        String opId = in.readUTF();
        int db = in.readInt();
        int n = in.readInt();
        List<byte[]> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            args.add(readBytes(in));
        }
        return new CrossSlotMove(opId, db, args);
    }

    private static void writeFlush(DataOutputStream out, TargetFlush f) throws IOException {
        out.writeBoolean(f.all());
        out.writeInt(f.dbs().size());
        for (int db : f.dbs()) {
            out.writeInt(db);
        }
        out.writeInt(f.slotRanges().size());
        for (int[] r : f.slotRanges()) {
            out.writeInt(r[0]);
            out.writeInt(r[1]);
        }
        out.writeBoolean(f.async());
    }

    private static TargetFlush readFlush(DataInputStream in) throws IOException {
        boolean all = in.readBoolean();
        int n = in.readInt();
        Set<Integer> dbs = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            dbs.add(in.readInt());
        }
        int r = in.readInt();
        List<int[]> ranges = new ArrayList<>(r);
        for (int i = 0; i < r; i++) {
            ranges.add(new int[] {in.readInt(), in.readInt()});
        }
        return new TargetFlush(all, dbs, ranges, in.readBoolean());
    }

    /** A flush's LSN per flow, or none (-1): at-least-once, or a flush restored from a version 1 state. */
    private static void writeAt(DataOutputStream out, Map<Integer, Long> at) throws IOException {
        out.writeInt(at == null ? -1 : at.size());
        if (at != null) {
            for (Map.Entry<Integer, Long> e : new TreeMap<>(at).entrySet()) {
                out.writeInt(e.getKey());
                out.writeLong(e.getValue());
            }
        }
    }

    private static Map<Integer, Long> readAt(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        Map<Integer, Long> at = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            at.put(in.readInt(), in.readLong());
        }
        return at;
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
