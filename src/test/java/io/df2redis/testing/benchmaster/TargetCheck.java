package io.df2redis.testing.benchmaster;

import io.df2redis.redis.NodeAddress;
import io.df2redis.redis.RedisConnection;
import io.df2redis.redis.RedisTarget;
import io.df2redis.redis.Slots;
import io.df2redis.resp.RespReply;
import java.io.IOException;
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
 * Several nodes are the primaries of a cluster: their {@code DBSIZE}s are added up and each sampled
 * key is read from the primary {@code CLUSTER SLOTS} names for its slot.
 */
final class TargetCheck {
    /** What was found; {@code problems} is empty when the target is right. */
    record Result(long dbsize, int sampled, long wrongValues, List<String> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private TargetCheck() {}

    /** {@code nodes}: "host:port" of a standalone server, or of every primary of a cluster. */
    static Result check(List<String> nodes, BenchData data, long writes, int samples) throws IOException {
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
        List<RedisConnection> open = new ArrayList<>();
        try {
            for (String n : nodes) {
                open.add(RedisConnection.open(NodeAddress.parse(n), RedisTarget.parse("redis://" + n)));
            }
            int[] ownerOf = nodes.size() == 1 ? null : slotOwners(open);
            long dbsize = 0;
            long own = 0;
            for (RedisConnection c : open) {
                dbsize += c.call("DBSIZE").asLong();
            }
            if (dbsize != data.keys()) {
                // The job's own keys (exactly-once watermarks, one hash per slot written by the journal).
                for (RedisConnection c : open) {
                    own += countOwnKeys(c);
                }
                if (dbsize - own != data.keys()) {
                    problems.add("DBSIZE " + dbsize + " (" + own + " of them the job's own __df2redis: keys), expected "
                            + data.keys());
                }
            }
            List<List<Long>> batches = new ArrayList<>();
            for (int i = 0; i < open.size(); i++) {
                batches.add(new ArrayList<>());
            }
            long wrong = 0;
            for (long k : keys) {
                int node = ownerOf == null ? 0 : ownerOf[Slots.slot(BenchData.key(k))];
                List<Long> batch = batches.get(node);
                batch.add(k);
                if (batch.size() == 1000) {
                    wrong += getAndCompare(open.get(node), batch, data, writes, problems);
                    batch.clear();
                }
            }
            for (int i = 0; i < open.size(); i++) {
                wrong += getAndCompare(open.get(i), batches.get(i), data, writes, problems);
            }
            return new Result(dbsize - own, keys.size(), wrong, problems);
        } finally {
            open.forEach(RedisConnection::close);
        }
    }

    /** The index in {@code nodes} of the node serving each slot, from the first node's {@code CLUSTER SLOTS} (matched by port). */
    private static int[] slotOwners(List<RedisConnection> nodes) throws IOException {
        int[] owners = new int[Slots.COUNT];
        java.util.Arrays.fill(owners, -1);
        for (RespReply range : nodes.get(0).call("CLUSTER", "SLOTS").asArray()) {
            List<RespReply> f = range.asArray();
            long port = f.get(2).asArray().get(1).asLong();
            int owner = -1;
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).address().port() == port) {
                    owner = i;
                }
            }
            if (owner < 0) {
                throw new IOException("CLUSTER SLOTS names a primary on port " + port + " that is not among the nodes given");
            }
            java.util.Arrays.fill(owners, (int) f.get(0).asLong(), (int) f.get(1).asLong() + 1, owner);
        }
        for (int s = 0; s < owners.length; s++) {
            if (owners[s] < 0) {
                throw new IOException("slot " + s + " is not served (CLUSTER SLOTS of " + nodes.get(0).address() + ")");
            }
        }
        return owners;
    }

    /** Keys named {@code __df2redis:*} (SCAN over the whole keyspace of a node). */
    private static long countOwnKeys(RedisConnection node) throws IOException {
        long n = 0;
        String cursor = "0";
        do {
            List<RespReply> page = node.call("SCAN", cursor, "MATCH", "__df2redis:*", "COUNT", "10000").asArray();
            cursor = page.get(0).asText();
            n += page.get(1).asArray().size();
        } while (!cursor.equals("0"));
        return n;
    }

    /** GETs {@code batch} pipelined; returns how many values were wrong (the first 20 described). */
    private static long getAndCompare(RedisConnection node, List<Long> batch, BenchData data, long writes, List<String> problems)
            throws IOException {
        List<byte[][]> gets = new ArrayList<>(batch.size());
        for (long k : batch) {
            gets.add(new byte[][] {GET, BenchData.key(k)});
        }
        List<RespReply> replies = node.pipeline(gets);
        long wrong = 0;
        for (int i = 0; i < batch.size(); i++) {
            long k = batch.get(i);
            RespReply r = replies.get(i);
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
