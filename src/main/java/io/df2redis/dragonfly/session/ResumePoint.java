package io.df2redis.dragonfly.session;

import java.util.Arrays;

/**
 * Where a finished session left each flow: the master id and, per flow, the LSN of the next journal
 * entry not yet applied. A new session may ask for PARTIAL sync from here if the master is the
 * same process, has the same flow count, and still holds those LSNs.
 */
public record ResumePoint(String masterId, long[] nextLsn) {
    public ResumePoint {
        if (masterId == null || nextLsn == null || nextLsn.length == 0) {
            throw new IllegalArgumentException("resume point needs a master id and at least one flow");
        }
        nextLsn = nextLsn.clone();
    }

    public int numFlows() {
        return nextLsn.length;
    }

    public long nextLsn(int flow) {
        return nextLsn[flow];
    }

    @Override
    public long[] nextLsn() {
        return nextLsn.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResumePoint r && r.masterId.equals(masterId) && Arrays.equals(r.nextLsn, nextLsn);
    }

    @Override
    public int hashCode() {
        return masterId.hashCode() * 31 + Arrays.hashCode(nextLsn);
    }

    @Override
    public String toString() {
        return "ResumePoint[" + masterId + " " + Arrays.toString(nextLsn) + "]";
    }
}
