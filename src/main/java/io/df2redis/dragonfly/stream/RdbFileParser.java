package io.df2redis.dragonfly.stream;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.rdb.TypeTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Parses an RDB file (Redis's, or a Dragonfly snapshot) into the same events as a flow: AUX fields,
 * {@link FlowEvent.SnapshotObject}s and {@link FlowEvent.ObjectPart}s. RDB versions 1 to 12; the
 * EOF checksum (RDB ≥ 5) is verified when it is not zero. Errors name flow -1.
 *
 * <p>The type table comes from the source: Redis's numbering by default (byte 20 = SET_LISTPACK
 * from RDB 11 on), Dragonfly's when the header carries a {@code df-ver} AUX field or when the
 * caller says so.
 */
public final class RdbFileParser {
    private final FlowStreamParser parser;

    private RdbFileParser(FlowStreamParser parser) {
        this.parser = parser;
    }

    /**
     * @param table the type table, or {@code null} to choose it from the header
     */
    public static RdbFileParser create(ParserConfig config, TypeTable table, Consumer<FlowEvent> out) {
        return new RdbFileParser(FlowStreamParser.file(config, table, out));
    }

    /** Reads a whole file in 64 KiB pieces. */
    public static void parse(Path file, ParserConfig config, TypeTable table, Consumer<FlowEvent> out)
            throws IOException {
        RdbFileParser p = create(config, table, out);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                p.feed(buf, 0, n);
            }
        }
        p.endOfInput();
    }

    public void feed(byte[] b, int off, int len) throws StreamFormatException {
        parser.feed(b, off, len);
    }

    /** Fails unless the EOF opcode (and checksum) was read. */
    public void endOfInput() throws StreamFormatException {
        parser.endOfInput();
    }

    /** The file's RDB version (from "REDIS00NN"), once the header was read. */
    public int rdbVersion() {
        return parser.rdbVersion();
    }

    /** The type table in use ({@code null} until the header's AUX fields were read, if it was chosen from them). */
    public TypeTable typeTable() {
        return parser.typeTable();
    }

    public long emptyValuesSkipped() {
        return parser.emptyValuesSkipped();
    }
}
