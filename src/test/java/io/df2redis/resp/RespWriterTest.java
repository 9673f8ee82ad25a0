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
