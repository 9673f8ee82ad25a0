package io.df2redis.dragonfly.stream;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.testing.recordings.Bytes;
import java.util.List;

/** A canonical text of an event, comparing byte arrays by content (test helper). */
final class EventText {
    private EventText() {}

    static String of(FlowEvent e) {
        if (e instanceof FlowEvent.SnapshotObject o) {
            return "OBJ db=" + o.db() + " key=" + Bytes.of(o.key()) + " exp=" + o.expireAtMs() + " mask=" + o.dfMask()
                    + " mc=" + o.mcFlags() + " " + o.value().type() + " " + bytes(o.value().encoded());
        }
        if (e instanceof FlowEvent.ObjectPart p) {
            return "PART db=" + p.db() + " key=" + Bytes.of(p.key()) + " " + p.type() + " #" + p.index() + " last="
                    + p.last() + " exp=" + p.expireAtMs() + " " + DecodedText.of(p.elements());
        }
        if (e instanceof FlowEvent.JournalCommand c) {
            return "CMD db=" + c.db() + " txid=" + c.txid() + " lsn=" + c.lsn() + " " + c.opcode() + " " + args(c.args());
        }
        if (e instanceof FlowEvent.GlobalCommand g) {
            return "GLOBAL db=" + g.db() + " txid=" + g.txid() + " lsn=" + g.lsn() + " " + args(g.args());
        }
        if (e instanceof FlowEvent.AuxField a) {
            return "AUX " + a.name() + "=" + Bytes.of(a.value());
        }
        return e.toString();
    }

    static List<String> of(List<FlowEvent> events) {
        return events.stream().map(EventText::of).toList();
    }

    private static String args(List<byte[]> args) {
        return args.stream().map(EventText::bytes).toList().toString();
    }

    /** Short arrays as text, long ones as length + CRC-64 (keeps comparisons of big flows cheap). */
    static String bytes(byte[] b) {
        if (b.length <= 64) {
            return Bytes.of(b).toString();
        }
        return "(" + b.length + " bytes, crc " + Long.toHexString(io.df2redis.dragonfly.rdb.Crc64.of(b)) + ")";
    }
}
