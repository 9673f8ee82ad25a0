package io.df2redis.bench;

import io.df2redis.dragonfly.encode.FlowStreamWriter;
import io.df2redis.dragonfly.encode.ValueEncoder;
import io.df2redis.dragonfly.event.RdbValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic full-sync flows for the parser benchmarks, written by the master simulator's encoder
 * the way a v1.40 master writes them (flush blobs, tagged chunks, linked LZ4 blocks).
 */
final class ParserInputs {
    static final String TOKEN = "0123456789abcdef0123456789abcdef01234567";

    private ParserInputs() {}

    /** A flow's bytes and how many key entries it holds. */
    record Flow(byte[] bytes, int entries) {}

    /** {@code n} string keys of 16 bytes with values of 10..100 bytes of text-like data. */
    static Flow smallKeys(int n, FlowStreamWriter.Compression compression) {
        Random r = new Random(1);
        ValueEncoder enc = new ValueEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n * 80);
        FlowStreamWriter w = writer(compression, out);
        for (int i = 0; i < n; i++) {
            byte[] key = String.format("key:%012d", i).getBytes(StandardCharsets.US_ASCII);
            w.entry(0, key, enc.string(text(r, 10 + r.nextInt(91))), -1, 0, 0);
        }
        finish(w);
        return new Flow(out.toByteArray(), n);
    }

    /**
     * Big values: {@code n} lists, sets and hashes of 20 000 elements of ~100 bytes (about 2 MB
     * each, split into 64 KiB tagged chunks) and strings of 4 MB.
     */
    static Flow bigValues(int n, FlowStreamWriter.Compression compression) {
        Random r = new Random(2);
        ValueEncoder enc = new ValueEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n * 8 << 20);
        FlowStreamWriter w = writer(compression, out);
        int entries = 0;
        for (int i = 0; i < n; i++) {
            List<byte[]> elements = new ArrayList<>();
            for (int k = 0; k < 20_000; k++) {
                elements.add(text(r, 80 + r.nextInt(41)));
            }
            w.entry(0, key("list", i), enc.list(elements), -1, 0, 0);
            w.entry(0, key("set", i), enc.set(elements), -1, 0, 0);
            w.entry(0, key("hash", i), enc.hash(interleave(elements)), -1, 0, 0);
            w.entry(0, key("str", i), enc.string(text(r, 4 << 20)), -1, 0, 0);
            entries += 4;
        }
        finish(w);
        return new Flow(out.toByteArray(), entries);
    }

    private static FlowStreamWriter writer(FlowStreamWriter.Compression c, ByteArrayOutputStream out) {
        FlowStreamWriter w = new FlowStreamWriter(FlowStreamWriter.Options.defaults().withCompression(c), out::writeBytes);
        w.header(new String[][] {{"redis-ver", "6.2.11"}, {"df-ver", "df-v1.40.0"}, {"shard-id", "0"}});
        return w;
    }

    private static void finish(FlowStreamWriter w) {
        w.fullSyncEnd();
        w.stableCut(1, TOKEN);
    }

    private static byte[] key(String kind, int i) {
        return ("big:" + kind + ":" + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static List<byte[]> interleave(List<byte[]> elements) {
        List<byte[]> fv = new ArrayList<>(elements.size() * 2);
        for (int k = 0; k < elements.size(); k++) {
            fv.add(String.format("field-%06d", k).getBytes(StandardCharsets.US_ASCII));
            fv.add(elements.get(k));
        }
        return fv;
    }

    /** Text-like bytes from a small vocabulary (LZ4 shrinks it about as much as typical values). */
    static byte[] text(Random r, int n) {
        String[] words = {"user", "order", "id", "status", "active", "2026", "item", "price", "eur", "ok", "name",
            "alpha", "beta", "gamma", "delta", "session", "token", "cart", "x", "y"};
        byte[] b = new byte[n];
        int p = 0;
        while (p < n) {
            String w = words[r.nextInt(words.length)];
            for (int i = 0; i < w.length() && p < n; i++) {
                b[p++] = (byte) w.charAt(i);
            }
            if (p < n) {
                b[p++] = (byte) (r.nextInt(10) == 0 ? '0' + r.nextInt(10) : ':');
            }
        }
        return b;
    }

    /** RdbValue of a raw string (used where the encoder's string() is not wanted). */
    static RdbValue rawString(byte[] s) {
        return new ValueEncoder().string(s);
    }
}
