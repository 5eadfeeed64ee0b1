package io.upsertkit.conformance;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Text spellings of numbers that Flink's json and csv decoders read as the same value: a
 * spelling is checked with the Java parse Flink itself runs (Double.parseDouble, new BigDecimal
 * + HALF_UP, ...) before it is used, so a spelling that would mean another value never is.
 */
final class Numbers {
  private Numbers() {}

  /** The first of the candidates, tried in random order, that passes the check. */
  private static String pick(List<Supplier<String>> candidates, Predicate<String> check, Random r) {
    List<Supplier<String>> order = new ArrayList<>(candidates);
    java.util.Collections.shuffle(order, r);
    for (Supplier<String> s : order) {
      String t = s.get();
      if (t != null && check.test(t)) return t;
    }
    return null;
  }

  private static final java.util.regex.Pattern JSON_NUMBER =
      java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  static boolean isJsonNumber(String t) {
    return JSON_NUMBER.matcher(t).matches();
  }

  static boolean doubleReadsAs(String t, double v) {
    try {
      return Double.doubleToLongBits(Double.parseDouble(t.trim())) == Double.doubleToLongBits(v);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A spelling of v: a JSON number token (jsonToken) or any text Double.parseDouble reads as v
   * (NaN and infinities have no token: null then). */
  static String spellDouble(double v, boolean jsonToken, Random r) {
    List<Supplier<String>> c = new ArrayList<>();
    if (Double.isNaN(v)) {
      c.add(() -> "NaN");
    } else if (Double.isInfinite(v)) {
      String sign = v < 0 ? "-" : "";
      c.add(() -> sign + "Infinity");
      c.add(() -> (v > 0 ? "+" : "-") + "Infinity");
      c.add(() -> sign + "1e400");                       // overflows to infinity, as Java reads it
      c.add(() -> sign + "17976931348623159e292");
    } else if (v == 0) {
      String sign = 1 / v < 0 ? "-" : "";
      for (String t : new String[] {"0.0", "0", "0.000", "0e0", "0E-5", "1e-400"}) c.add(() -> sign + t);
    } else {
      String shortest = JavaDigits.shortest(v);
      c.add(() -> Double.toString(v));                   // 1.0E-5, 60.0
      c.add(() -> shortest);                             // 1E-5, 6E+1
      c.add(() -> {
        String plain = new BigDecimal(shortest).toPlainString();
        return plain.length() <= 40 ? plain : null;      // 0.00001, 60
      });
      c.add(() -> {                                      // the exact binary value: many digits
        if (Math.abs(Math.getExponent(v)) > 200) return null;
        return new BigDecimal(v).toString();
      });
      c.add(() -> new BigDecimal(v).round(new MathContext(25, RoundingMode.HALF_EVEN)).toString());
      c.add(() -> {
        BigDecimal s = new BigDecimal(shortest);
        return s.unscaledValue() + "e" + (-s.scale());   // 15e-1
      });
      c.add(() -> new BigDecimal(shortest).movePointLeft(3).toPlainString() + "e3");
    }
    return pick(c, t -> (!jsonToken || isJsonNumber(t)) && doubleReadsAs(t, v), r);
  }

  /** A spelling of f that Float.parseFloat reads as f and that a parse via double, then rounded
   * to float, also reads as f: upsertkit parses FLOAT that way (docs/formats.md, "Differences
   * from Flink" 9), so text close to a halfway point between two floats is not used. */
  static String spellFloat(float f, boolean jsonToken, Random r) {
    List<Supplier<String>> c = new ArrayList<>();
    if (Float.isNaN(f)) {
      c.add(() -> "NaN");
    } else if (Float.isInfinite(f)) {
      String sign = f < 0 ? "-" : "";
      c.add(() -> sign + "Infinity");
      c.add(() -> sign + "1e39");
    } else if (f == 0) {
      String sign = 1 / f < 0 ? "-" : "";
      for (String t : new String[] {"0.0", "0", "0.0e0"}) c.add(() -> sign + t);
    } else {
      c.add(() -> Float.toString(f));
      c.add(() -> Double.toString(f));                   // the float's exact value, a double's digits
      c.add(() -> new BigDecimal(f).toString());         // its exact decimal expansion
      c.add(() -> {
        BigDecimal s = new BigDecimal(Float.toString(f));
        return s.unscaledValue() + "e" + (-s.scale());
      });
    }
    return pick(c, t -> (!jsonToken || isJsonNumber(t)) && floatReadsAs(t, f), r);
  }

  static boolean floatReadsAs(String t, float f) {
    try {
      return Float.floatToIntBits(Float.parseFloat(t.trim())) == Float.floatToIntBits(f)
          && Float.floatToIntBits((float) Double.parseDouble(t.trim())) == Float.floatToIntBits(f);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A text Double.parseDouble(text.trim()) reads as v, as Flink reads a csv field or a JSON
   * string: a decimal spelling, or one with a type suffix (1.5d), a sign, blanks around it, or
   * hexadecimal (0x1.8p1). */
  static String doubleText(double v, Random r) {
    if (Double.isFinite(v) && r.nextInt(8) == 0) {
      String[] more = {Double.toString(v) + (r.nextBoolean() ? "d" : "F"), " " + v + "\t", "+" + v,
          Double.toHexString(v)};
      String t = more[r.nextInt(more.length)];
      if (doubleReadsAs(t, v)) return t;
    }
    return spellDouble(v, false, r);
  }

  /** As doubleText, for FLOAT (Float.parseFloat(text.trim()); see spellFloat). */
  static String floatText(float f, Random r) {
    if (Float.isFinite(f) && r.nextInt(8) == 0) {
      String[] more = {Float.toString(f) + (r.nextBoolean() ? "f" : "D"), " " + f + " ", "+" + f,
          Float.toHexString(f)};
      String t = more[r.nextInt(more.length)];
      if (floatReadsAs(t, f)) return t;
    }
    return spellFloat(f, false, r);
  }

  /** A spelling of a DECIMAL(p, s) value (v at scale s) that new BigDecimal + setScale(s,
   * HALF_UP) reads as v: plain, fewer and more fraction digits, exponents, digits rounded away. */
  static String spellDecimal(BigDecimal v, int precision, int scale, boolean jsonToken, Random r) {
    List<Supplier<String>> c = new ArrayList<>();
    c.add(v::toPlainString);
    c.add(v::toString);                                              // 1E-18 for DECIMAL(18, 18)
    c.add(() -> v.stripTrailingZeros().toPlainString());             // fewer fraction digits
    c.add(() -> v.stripTrailingZeros().toString());                  // 1E+2
    c.add(() -> v.toPlainString() + (scale == 0 ? ".000" : "000"));  // more (zero) digits
    c.add(() -> v.unscaledValue() + "E-" + scale);                   // exponent
    c.add(() -> v.unscaledValue() + "e" + (-scale));
    c.add(() -> v.signum() >= 0 ? "+" + v.toPlainString() : null);
    BigDecimal ulp = BigDecimal.ONE.movePointLeft(scale);
    BigDecimal half = ulp.divide(BigDecimal.valueOf(2));
    // Digits past the scale that HALF_UP rounds back to v: just below half an ulp away from
    // zero, and exactly half an ulp toward zero (a tie rounds away from zero, to v).
    c.add(() -> (v.signum() < 0 ? "-" : "")
        + v.abs().add(half).subtract(ulp.movePointLeft(3 + r.nextInt(3))).toPlainString());
    c.add(() -> v.signum() == 0 ? null : (v.signum() < 0 ? "-" : "") + v.abs().subtract(half).toPlainString());
    String t = pick(c, text -> {
      if (jsonToken && !isJsonNumber(text)) return false;
      try {
        BigDecimal read = new BigDecimal(text).setScale(scale, RoundingMode.HALF_UP);
        return read.precision() <= precision && read.compareTo(v) == 0;
      } catch (NumberFormatException | ArithmeticException e) {
        return false;
      }
    }, r);
    if (t == null) throw new IllegalStateException("no spelling of DECIMAL " + v);
    return t;
  }

  /** A text DECIMAL(p, s) reads as NULL: it overflows the precision (some only after rounding). */
  static String decimalOverflow(int precision, int scale, Random r) {
    BigDecimal max = new BigDecimal(BigInteger.TEN.pow(precision).subtract(BigInteger.ONE), scale);
    BigDecimal half = BigDecimal.ONE.movePointLeft(scale).divide(BigDecimal.valueOf(2));
    String[] texts = {max.add(half).toPlainString(), "-" + max.add(half).toPlainString(),
        BigDecimal.ONE.movePointRight(precision - scale).toPlainString(), "1E+" + (precision - scale + 3)};
    return texts[r.nextInt(texts.length)];
  }
}
