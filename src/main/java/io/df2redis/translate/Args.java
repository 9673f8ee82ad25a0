package io.df2redis.translate;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small helpers for building command arguments as bytes. */
final class Args {
    private Args() {}

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Decimal forms of 0–1023 (flows, argument counts), shared: arguments are never modified. */
    private static final byte[][] SMALL = new byte[1024][];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** {@code n} in decimal ASCII, without a String in between (an LSN per journal unit). */
    static byte[] decimal(long n) {
        if (n >= 0 && n < SMALL.length) {
            return SMALL[(int) n];
        }
        if (n < 0) {
            return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
        }
        int len = 1;
        for (long x = n / 10; x > 0; x /= 10) {
            len++;
        }
        byte[] b = new byte[len];
        for (int i = len - 1; i >= 0; i--) {
            b[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        return b;
    }

    static byte[] b(long n) {
        return decimal(n);
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
