package io.upsertkit.conformance;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Whether this JDK's Double.toString / Float.toString print the digits that JDK 19+ prints.
 *
 * <p>Flink prints DOUBLE and FLOAT with the running JDK's toString; JDK 17 (which runs Flink here)
 * sometimes prints more digits than needed (JDK-4511638, fixed in JDK 19: 1.0E23 prints as
 * 9.999999999999999E22, 2 x Double.MIN_VALUE as 1.0E-323 instead of 9.9E-324). upsertkit always
 * prints the JDK 19+ digits: a documented, deliberate difference (docs/formats.md, "Differences
 * from Flink" 7; docs/decisions.md, "DOUBLE text"). The generator uses no value whose digits differ.
 *
 * <p>JDK 19+'s rule (Double.toString's javadoc): among the decimals that round to v, take the
 * shortest length m (1 or 2 when m = 1) and, of those, the one closest to v (even digit on a tie).
 */
public final class JavaDigits {
  private JavaDigits() {}

  private static final java.util.Map<Long, String> SHORTEST = new java.util.HashMap<>();

  public static boolean doublePrintsShortest(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) return true;
    return new BigDecimal(Double.toString(Math.abs(v))).compareTo(new BigDecimal(jdk19(Math.abs(v)))) == 0;
  }

  public static boolean floatPrintsShortest(float v) {
    if (Float.isNaN(v) || Float.isInfinite(v) || v == 0) return true;
    BigDecimal exact = new BigDecimal(Math.abs(v));
    BigDecimal expected = null;
    for (int n = 1; n <= 9 && expected == null; n++) {
      BigDecimal c = exact.round(new MathContext(n, RoundingMode.HALF_EVEN));
      if (c.floatValue() == Math.abs(v))
        expected = n == 1 ? exact.round(new MathContext(2, RoundingMode.HALF_EVEN)) : c;
    }
    return expected != null
        && new BigDecimal(Float.toString(Math.abs(v))).compareTo(expected) == 0;
  }

  /** The shortest decimal that reads as v (closest of those; even digit on a tie), e.g. 1E+23. */
  public static String shortest(double v) {
    return SHORTEST.computeIfAbsent(Double.doubleToLongBits(v), bits -> digits(v, false));
  }

  /** JDK 19+'s digits of v > 0: shortest, but chosen among 1 and 2 digits when 1 is enough. */
  private static String jdk19(double v) {
    String s = shortest(v);
    return new BigDecimal(s).precision() == 1 ? digits(v, true) : s;
  }

  // The set of lengths n whose closest n-digit decimal reads as v is upward closed: binary search.
  private static String digits(double v, boolean atLeastTwo) {
    BigDecimal exact = new BigDecimal(v);
    if (atLeastTwo) return exact.round(new MathContext(2, RoundingMode.HALF_EVEN)).toString();
    int low = 1, high = 17;
    while (low < high) {
      int mid = (low + high) / 2;
      if (exact.round(new MathContext(mid, RoundingMode.HALF_EVEN)).doubleValue() == v) high = mid;
      else low = mid + 1;
    }
    return exact.round(new MathContext(low, RoundingMode.HALF_EVEN)).toString();
  }
}
