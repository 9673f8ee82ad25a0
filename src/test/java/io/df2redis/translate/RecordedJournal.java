package io.df2redis.translate;

import io.df2redis.testing.recordings.EscapedText;
import io.df2redis.testing.recordings.JournalLine;
import io.df2redis.testing.recordings.Recordings;
import java.util.ArrayList;
import java.util.List;

/** Journal entries of the recordings' reference decodings, as argument lists. */
final class RecordedJournal {
    private RecordedJournal() {}

    /** The complete arguments of a journal line; {@code null} when the decoding cut one. */
    static List<byte[]> args(JournalLine line) {
        List<byte[]> out = new ArrayList<>(line.args().size());
        for (EscapedText.Token t : line.args()) {
            if (t.truncated()) {
                return null;
            }
            out.add(t.bytes().toByteArray());
        }
        return out;
    }

    /** The entry at file offset {@code at} of {@code journal-<flow>.txt} in {@code recording}. */
    static List<byte[]> at(String recording, int flow, long at) {
        for (JournalLine l : Recordings.get(recording).journal(flow)) {
            if (l.offset() == at && l.kind() == JournalLine.Kind.COMMAND) {
                return args(l);
            }
        }
        throw new IllegalArgumentException("no command @" + at + " in " + recording + " journal-" + flow);
    }
}
