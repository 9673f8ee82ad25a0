package io.df2redis.testing.dfsim;

import java.util.Random;

/**
 * The master simulator as a process, for trying the job by hand (README "A first migration" was
 * recorded against it): {@code java -cp target/test-classes:… io.df2redis.testing.dfsim.DfSimMain
 * <flows> <writes per second>} prints its port, seeds the test dataset, then writes at that rate
 * until killed.
 */
public final class DfSimMain {
    private DfSimMain() {}

    public static void main(String[] args) throws Exception {
        int flows = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        DfSim sim = DfSim.generated(DfSimConfig.defaults().withFlows(flows));
        GeneratedEngine g = sim.generated();
        SimWorkload.seed(g, new Random(1));
        System.out.println("dfsim: a Dragonfly master simulator on 127.0.0.1:" + sim.port() + ", " + flows + " shards, "
                + rate + " writes/s");
        System.out.flush();
        Random r = new Random(2);
        if (rate <= 0) {
            Thread.sleep(Long.MAX_VALUE);
        }
        // Paced by the clock: as many writes as the rate allows so far (a write blocks while paused).
        long start = System.nanoTime();
        for (long i = 0; ; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 1_000_000) {
                Thread.sleep(wait / 1_000_000);
            }
            SimWorkload.nonIdempotentWrite(g, r, (int) i);
        }
    }
}
