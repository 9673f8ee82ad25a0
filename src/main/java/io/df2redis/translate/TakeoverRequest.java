package io.df2redis.translate;

import java.nio.charset.StandardCharsets;

/**
 * The source key through which {@code --mode cutover --cutover.takeover} asks the running job for
 * {@code DFLY TAKEOVER}: written on the master, it reaches the job in the journal like any write;
 * the reader turns it into a request to the enumerator and does not copy it.
 */
public final class TakeoverRequest {
    private TakeoverRequest() {}

    public static byte[] key(String internalKeyPrefix) {
        return (internalKeyPrefix + "cutover:takeover").getBytes(StandardCharsets.UTF_8);
    }
}
