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
        long pause = rate <= 0 ? Long.MAX_VALUE : Math.max(1, 1000 / rate);
        for (int i = 0; ; i++) {
            if (rate > 0) {
                SimWorkload.nonIdempotentWrite(g, r, i);
            }
            Thread.sleep(pause);
        }
    }
}
