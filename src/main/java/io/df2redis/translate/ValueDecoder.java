package io.df2redis.translate;

import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.RdbValue;

/**
 * Decodes a whole value's stream bytes into elements, for values written with native commands.
 * The job passes the rdb package's value decoder; tests may pass their own.
 */
@FunctionalInterface
public interface ValueDecoder {
    DecodedValue decode(RdbValue value);
}
