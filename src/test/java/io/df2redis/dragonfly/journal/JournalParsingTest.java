package io.df2redis.dragonfly.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.dragonfly.encode.JournalEncoder;
import io.df2redis.dragonfly.encode.RdbWriter;
import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.stream.FlowStreamParser;
import io.df2redis.dragonfly.stream.ParserConfig;
import io.df2redis.dragonfly.stream.StreamFormatException;
import io.df2redis.testing.recordings.Bytes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The journal as a partial-sync flow: LSN counting (§7.3), global commands, legacy opcodes, LSN
 * records checked against the count (a mismatch resynchronizes), and refused garbage.
 */
@Timeout(30)
class JournalParsingTest {

    @Test
    void countsLsnsAndRecognisesGlobalCommands() throws Exception {
        RdbWriter w = new RdbWriter();
        JournalEncoder.select(w, 3);
        JournalEncoder.command(w, 0, 1, JournalEncoder.args("SET", "k", "v"));   // lsn 100
        JournalEncoder.lsn(w, 100);
        JournalEncoder.select(w, 3);
        JournalEncoder.command(w, 77, 1, JournalEncoder.args("flushdb"));        // 101, global, lower case
        JournalEncoder.select(w, 0);
        JournalEncoder.command(w, 78, 1, JournalEncoder.args("DFLYCLUSTER", "FLUSHSLOTS", "1", "5"));  // 102
        JournalEncoder.expired(w, 0, 1, JournalEncoder.args("DEL", "gone"));    // 103, legacy EXPIRED
        w.u8(11).length(9).length(1).length(2).length(4).length(3).ascii("SET").length(1).ascii("x"); // 104 MULTI_COMMAND "SET x"
        w.u8(12).length(9).length(1);                                            // 105 EXEC
        JournalEncoder.ping(w);                                                  // 106
        w.u8(0);                                                                 // NOOP: nothing
        byte[] journal = w.toByteArray();

        List<FlowEvent> events = new ArrayList<>();
        FlowStreamParser p = FlowStreamParser.partial(4, 100, ParserConfig.defaults(), events::add);
        for (byte b : journal) {
            p.feed(new byte[] {b}, 0, 1);
        }
        p.endOfInput();
        assertThat(p.nextLsn()).isEqualTo(107);
        assertThat(events).hasSize(7);
        FlowEvent.JournalCommand set = (FlowEvent.JournalCommand) events.get(0);
        assertThat(set.db()).isEqualTo(3);
        assertThat(set.lsn()).isEqualTo(100);
        assertThat(set.txid()).isZero();
        FlowEvent.GlobalCommand flushdb = (FlowEvent.GlobalCommand) events.get(1);
        assertThat(flushdb.db()).isEqualTo(3);
        assertThat(flushdb.txid()).isEqualTo(77);
        assertThat(flushdb.lsn()).isEqualTo(101);
        assertThat(events.get(2)).isInstanceOf(FlowEvent.GlobalCommand.class);
        assertThat(((FlowEvent.GlobalCommand) events.get(2)).db()).isZero();
        FlowEvent.JournalCommand expired = (FlowEvent.JournalCommand) events.get(3);
        assertThat(expired.opcode()).isEqualTo(FlowEvent.JournalOpcode.EXPIRED);
        assertThat(expired.lsn()).isEqualTo(103);
        FlowEvent.JournalCommand multi = (FlowEvent.JournalCommand) events.get(4);
        assertThat(multi.opcode()).isEqualTo(FlowEvent.JournalOpcode.MULTI_COMMAND);
        assertThat(multi.txid()).isEqualTo(9);
        assertThat(multi.args().stream().map(Bytes::of).toList()).containsExactly(Bytes.utf8("SET"), Bytes.utf8("x"));
        assertThat(events.get(5)).isEqualTo(new FlowEvent.Exec(9, 105));
        assertThat(events.get(6)).isEqualTo(new FlowEvent.Ping(106));
    }

    @Test
    void anLsnRecordThatDisagreesResynchronizesTheCounter() throws Exception {
        RdbWriter w = new RdbWriter();
        JournalEncoder.select(w, 0);
        JournalEncoder.command(w, 0, 1, JournalEncoder.args("INCR", "c"));   // counted as 10
        JournalEncoder.lsn(w, 50);                                            // the master says 50
        JournalEncoder.select(w, 0);
        JournalEncoder.command(w, 0, 1, JournalEncoder.args("INCR", "c"));   // so this is 51
        List<FlowEvent> events = new ArrayList<>();
        FlowStreamParser p = FlowStreamParser.partial(0, 10, ParserConfig.defaults(), events::add);
        p.feed(w.toByteArray(), 0, w.size());
        assertThat(((FlowEvent.JournalCommand) events.get(1)).lsn()).isEqualTo(51);
        assertThat(p.nextLsn()).isEqualTo(52);
    }

    @Test
    void garbageAndTruncationAreTypedErrors() throws Exception {
        FlowStreamParser unknown = FlowStreamParser.partial(2, 1, ParserConfig.defaults(), e -> {});
        assertThatThrownBy(() -> unknown.feed(new byte[] {7}, 0, 1))
                .isInstanceOf(StreamFormatException.class)
                .hasMessageContaining("journal opcode")
                .satisfies(e -> assertThat(((StreamFormatException) e).flowId()).isEqualTo(2));

        // total_len says 3 but the arguments add up to 4
        byte[] badTotal = {10, 0, 1, 2, 3, 3, 'S', 'E', 'T', 1, 'k'};
        FlowStreamParser p = FlowStreamParser.partial(2, 1, ParserConfig.defaults(), e -> {});
        assertThatThrownBy(() -> p.feed(badTotal, 0, badTotal.length)).hasMessageContaining("totalling 3 bytes");

        // an entry that claims 1 GiB of arguments is refused before anything is allocated
        byte[] huge = {10, 0, 1, 2, (byte) 0x80, 0x40, 0, 0, 0};
        FlowStreamParser q = FlowStreamParser.partial(2, 1, ParserConfig.defaults(), e -> {});
        assertThatThrownBy(() -> q.feed(huge, 0, huge.length)).hasMessageContaining("journal entry of ≤");

        RdbWriter w = new RdbWriter();
        JournalEncoder.select(w, 0);
        JournalEncoder.command(w, 0, 1, JournalEncoder.args("SET", "k", "v"));
        FlowStreamParser r = FlowStreamParser.partial(2, 1, ParserConfig.defaults(), e -> {});
        r.feed(w.toByteArray(), 0, w.size() - 1);
        assertThatThrownBy(r::endOfInput).hasMessageContaining("truncated");
    }
}
