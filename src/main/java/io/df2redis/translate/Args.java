package io.df2redis.translate;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small helpers for building command arguments as bytes. */
final class Args {
    private Args() {}

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] b(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static boolean is(byte[] arg, String upper) {
        if (arg.length != upper.length()) {
            return false;
        }
        for (int i = 0; i < arg.length; i++) {
            int c = arg[i];
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            if (c != upper.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A decimal integer argument, or an {@link IllegalArgumentException} naming it. */
    static long parseLong(byte[] arg, String what) {
        try {
            return Long.parseLong(new String(arg, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + s(arg) + "' is not an integer");
        }
    }

    /** A score as Redis parses it back exactly. */
    static byte[] score(double d) {
        if (d == Double.POSITIVE_INFINITY) {
            return b("inf");
        }
        if (d == Double.NEGATIVE_INFINITY) {
            return b("-inf");
        }
        if (d == 0) {
            return b(1 / d < 0 ? "-0" : "0");
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return b(Long.toString((long) d));
        }
        return b(Double.toString(d));
    }

    static byte[][] array(List<byte[]> l) {
        return l.toArray(new byte[0][]);
    }
}
