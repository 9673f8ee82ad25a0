package io.df2redis.translate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Test oracle for Dragonfly's {@code FormatDouble}: double-conversion's {@code ToShortest} (the
 * shortest digit string that reads back as the same double, the closest one among equals), laid
 * out with decimal notation for decimal exponents in [-6, 21) and {@code d.ddde+XX} otherwise,
 * {@code -0} printed as {@code 0}. Computed with exact decimal arithmetic, independently of the Lua
 * script it checks.
 */
final class DragonflyDoubles {
    private DragonflyDoubles() {}

    static String format(double x) {
        if (x == 0) {
            return "0";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        BigDecimal exact = new BigDecimal(x);
        BigDecimal best = null;
        for (int p = 1; p <= 17 && best == null; p++) {
            BigDecimal down = exact.round(new MathContext(p, RoundingMode.DOWN));
            BigDecimal up = exact.round(new MathContext(p, RoundingMode.UP));
            boolean dOk = Double.parseDouble(down.toString()) == x;
            boolean uOk = Double.parseDouble(up.toString()) == x;
            if (dOk && uOk) {
                int c = exact.subtract(down).abs().compareTo(up.subtract(exact).abs());
                best = c < 0 ? down : c > 0 ? up : exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            } else if (dOk) {
                best = down;
            } else if (uOk) {
                best = up;
            }
        }
        BigDecimal s = best.stripTrailingZeros();
        String digits = s.unscaledValue().abs().toString();
        int n = digits.length();
        int exponent = n - 1 - s.scale(); // decimal exponent of the first digit
        String sign = x < 0 ? "-" : "";
        if (exponent >= -6 && exponent < 21) {
            int point = exponent + 1;
            if (point <= 0) {
                return sign + "0." + "0".repeat(-point) + digits;
            }
            if (point >= n) {
                return sign + digits + "0".repeat(point - n);
            }
            return sign + digits.substring(0, point) + "." + digits.substring(point);
        }
        String m = n > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
        return sign + m + "e" + (exponent >= 0 ? "+" : "") + exponent;
    }
}
