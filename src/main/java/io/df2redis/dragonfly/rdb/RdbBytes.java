package io.df2redis.dragonfly.rdb;

import java.nio.charset.StandardCharsets;

/** Fixed-width integer access and number parsing shared by the RDB decoders. */
public final class RdbBytes {
    private RdbBytes() {}

    public static int u16le(byte[] a, int p) {
        return (a[p] & 0xff) | (a[p + 1] & 0xff) << 8;
    }

    public static int u32le(byte[] a, int p) {
        return (a[p] & 0xff) | (a[p + 1] & 0xff) << 8 | (a[p + 2] & 0xff) << 16 | (a[p + 3] & 0xff) << 24;
    }

    public static long i64le(byte[] a, int p) {
        return (u32le(a, p) & 0xffffffffL) | (long) u32le(a, p + 4) << 32;
    }

    public static int u32be(byte[] a, int p) {
        return (a[p] & 0xff) << 24 | (a[p + 1] & 0xff) << 16 | (a[p + 2] & 0xff) << 8 | (a[p + 3] & 0xff);
    }

    public static long u64be(byte[] a, int p) {
        return (u32be(a, p) & 0xffffffffL) << 32 | (u32be(a, p + 4) & 0xffffffffL);
    }

    public static void putU16le(byte[] a, int p, int v) {
        a[p] = (byte) v;
        a[p + 1] = (byte) (v >>> 8);
    }

    public static void putI64le(byte[] a, int p, long v) {
        for (int i = 0; i < 8; i++) {
            a[p + i] = (byte) (v >>> (8 * i));
        }
    }

    /**
     * Parses a canonical decimal int64 as Redis's {@code string2ll} does (no sign on zero, no
     * leading zeros, no spaces); {@code null} when it is not one.
     */
    public static Long parseLong(byte[] s) {
        int n = s.length;
        if (n == 0 || n > 20) {
            return null;
        }
        int i = 0;
        boolean neg = false;
        if (s[0] == '-') {
            neg = true;
            i = 1;
            if (n == 1) {
                return null;
            }
        }
        if (s[i] == '0' && (n - i > 1 || neg)) {
            return null;
        }
        long v = 0;
        for (; i < n; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            // accumulate negatively so Long.MIN_VALUE parses
            if (v < (Long.MIN_VALUE + d) / 10) {
                return null;
            }
            v = v * 10 - d;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) {
                return null;
            }
            v = -v;
        }
        return v;
    }

    /** A score as Redis prints/parses it: {@code inf}, {@code -inf}, {@code nan} or a decimal. */
    public static double parseDouble(String s) {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan":
                return Double.NaN;
            default:
                if (s.isEmpty() || Character.isWhitespace(s.charAt(0)) || s.endsWith("d") || s.endsWith("f")
                        || s.endsWith("D") || s.endsWith("F")) {
                    throw new NumberFormatException(s);
                }
                return Double.parseDouble(s);
        }
    }

    public static double parseDouble(byte[] s) {
        return parseDouble(new String(s, StandardCharsets.US_ASCII));
    }

    /** Printable form for messages: ASCII as is, the rest as \xHH, cut at 64 bytes. */
    public static String printable(byte[] b) {
        if (b == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        int n = Math.min(b.length, 64);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        if (b.length > n) {
            sb.append("…(").append(b.length).append(" bytes)");
        }
        return sb.toString();
    }

    public static byte[] decimal(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
