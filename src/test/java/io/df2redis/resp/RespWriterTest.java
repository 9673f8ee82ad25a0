package io.df2redis.resp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RespWriterTest {

    @Test
    void lengthsOfEveryWidthAreEncodedAsDecimal() throws Exception {
        for (int n : new int[] {0, 1, 9, 10, 99, 100, 12345, 1 << 20}) {
            byte[] arg = new byte[n];
            byte[] wire = new RespWriter(16).command(new byte[][] {arg}).toByteArray();
            String head = "*1\r\n$" + n + "\r\n";
            assertThat(new String(wire, 0, head.length(), StandardCharsets.US_ASCII)).isEqualTo(head);
            assertThat(wire).hasSize(head.length() + n + 2);
        }
    }

    @Test
    void okRepliesAreReadWithTheRightOffsetsWhateverTheBuffering() throws Exception {
        byte[] wire = "+OK\r\n+OKAY\r\n+OK\r\n:5\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int bufferSize : new int[] {1, 3, 256}) {
            // A stream that hands out one byte at a time splits "+OK\r\n" across reads.
            java.io.InputStream trickle = new java.io.FilterInputStream(new ByteArrayInputStream(wire)) {
                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    return super.read(b, off, Math.min(len, 1));
                }
            };
            RespReader r = new RespReader(bufferSize == 256 ? new ByteArrayInputStream(wire) : trickle, bufferSize, 1024);
            assertThat(r.read()).isEqualTo(new RespReply.SimpleString("OK"));
            assertThat(r.read()).isEqualTo(new RespReply.SimpleString("OKAY"));
            assertThat(r.read().asText()).isEqualTo("OK");
            assertThat(r.read().asLong()).isEqualTo(5);
            assertThat(r.consumed()).isEqualTo(wire.length);
        }
    }

    @Test
    void bulkHeaderAndRawMakeTheSameBytesAsBulk() throws Exception {
        byte[] payload = "hello world".getBytes(StandardCharsets.US_ASCII);
        byte[] whole = new RespWriter().arrayHeader(1).bulk(payload).toByteArray();
        byte[] split = new RespWriter()
                .arrayHeader(1)
                .bulkHeader(payload.length)
                .raw(payload, 0, payload.length)
                .raw(new byte[] {'\r', '\n'}, 0, 2)
                .toByteArray();
        assertThat(split).isEqualTo(whole);
        RespReply r = new RespReader(new ByteArrayInputStream(split)).read();
        assertThat(r.asArray().get(0).asText()).isEqualTo("hello world");
    }
}
