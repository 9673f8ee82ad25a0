package io.df2redis.testing.benchmaster;

import io.df2redis.resp.RespReader;
import io.df2redis.resp.RespReply;
import io.df2redis.resp.RespWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Cheap correctness check of a target after a run: {@code DBSIZE} equals the dataset's key count,
 * and sampled keys hold exactly the value the generator gives for their generation after {@code
 * writes} stable writes (the first and last keys, the keys of the last writes, and random ones).
 */
final class TargetCheck {
    /** What was found; {@code problems} is empty when the target is right. */
    record Result(long dbsize, int sampled, long wrongValues, List<String> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private TargetCheck() {}

    static Result check(String host, int port, BenchData data, long writes, int samples) throws IOException {
        TreeSet<Long> keys = new TreeSet<>();
        keys.add(0L);
        keys.add(data.keys() - 1);
        for (long j = Math.max(0, writes - 100); j < writes; j++) {
            keys.add(data.keyOfWrite(j));
        }
        Random r = new Random(data.seed() * 31 + writes);
        while (keys.size() < Math.min(data.keys(), samples)) {
            keys.add(Math.floorMod(r.nextLong(), data.keys()));
        }
        List<String> problems = new ArrayList<>();
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(60_000);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
            RespReader in = new RespReader(s.getInputStream());
            out.write(RespWriter.encode("DBSIZE"));
            out.flush();
            long dbsize = in.read().asLong();
            if (dbsize != data.keys()) {
                // The job's own keys (exactly-once watermarks, one hash per slot written by the journal).
                long own = countOwnKeys(out, in);
                dbsize -= own;
                if (dbsize != data.keys()) {
                    problems.add("DBSIZE " + (dbsize + own) + " (" + own + " of them the job's own __df2redis: keys), expected "
                            + data.keys());
                }
            }
            List<Long> batch = new ArrayList<>();
            long wrong = 0;
            for (long k : keys) {
                batch.add(k);
                if (batch.size() == 1000) {
                    wrong += getAndCompare(out, in, batch, data, writes, problems);
                    batch.clear();
                }
            }
            wrong += getAndCompare(out, in, batch, data, writes, problems);
            return new Result(dbsize, keys.size(), wrong, problems);
        }
    }

    /** Keys named {@code __df2redis:*} (SCAN over the whole keyspace). */
    private static long countOwnKeys(OutputStream out, RespReader in) throws IOException {
        long n = 0;
        String cursor = "0";
        do {
            out.write(RespWriter.encode("SCAN", cursor, "MATCH", "__df2redis:*", "COUNT", "10000"));
            out.flush();
            List<io.df2redis.resp.RespReply> page = in.read().asArray();
            cursor = page.get(0).asText();
            n += page.get(1).asArray().size();
        } while (!cursor.equals("0"));
        return n;
    }

    /** GETs {@code batch} pipelined; returns how many values were wrong (the first 20 described). */
    private static long getAndCompare(OutputStream out, RespReader in, List<Long> batch, BenchData data, long writes,
            List<String> problems) throws IOException {
        for (long k : batch) {
            out.write(RespWriter.encode(List.of(GET, BenchData.key(k))));
        }
        out.flush();
        long wrong = 0;
        for (long k : batch) {
            RespReply r = in.read();
            long gen = data.generationAfter(k, writes);
            byte[] expected = data.value(k, gen);
            if (!(r instanceof RespReply.Bulk b) || !Arrays.equals(b.bytes(), expected)) {
                wrong++;
                if (problems.size() < 20) {
                    problems.add("key " + new String(BenchData.key(k), StandardCharsets.US_ASCII) + " (generation " + gen
                            + "): got " + r.describe() + ", expected " + new String(expected, StandardCharsets.US_ASCII));
                }
            }
        }
        return wrong;
    }

    private static final byte[] GET = {'G', 'E', 'T'};
}
