package io.upsertkit.conformance;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Random;

/**
 * Random logical values of a SQL type, with the extremes of each type mixed in. The Java class
 * of a value: String, Boolean, Byte, Short, Integer, Long, Float, Double, BigDecimal (at the
 * column's scale), LocalDate, LocalTime, LocalDateTime, Instant, byte[]; null is SQL NULL.
 */
public final class Values {
  private Values() {}

  /** Strings that need escapes or quotes, unicode, and text that looks like other types. */
  static final String[] SPECIAL_STRINGS = {
    "", " ", "a", "Bob", "quote\"inside", "\"", "back\\slash", "\\", "comma,inside",
    "new\nline", "\n", "tab\tchar", "cr\rchar", "semi;colon", "null", "NULL", "true",
    "60.00", "-1.5e3", "0", "007", "  padded  ", "#hash", "slash/and</script>", "\u00fcn\u00efc\u00f6d\u00e9",
    "\u65e5\u672c\u8a9e\u30c6\u30ad\u30b9\u30c8", "emoji \ud83d\ude00 \ud83c\udf89", "combining e\u0301",
    "nul\u0000byte", "ctl\u0001\u001f", "del\u007f", "line\u2028separator", "{\"json\":1}",
    "[1,2]", "'single'", "a-string-longer-than-twenty-four-characters", "x".repeat(300),
  };

  // A random string: ASCII letters mostly, some of everything that needs care.
  private static final String ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.:/,;\"'\\#+*()[]{}";

  static String randomString(Random r) {
    if (r.nextInt(4) == 0) return SPECIAL_STRINGS[r.nextInt(SPECIAL_STRINGS.length)];
    int length = r.nextInt(24);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int pick = r.nextInt(40);
      if (pick == 0) b.append((char) (0x00e0 + r.nextInt(0x20)));           // Latin-1
      else if (pick == 1) b.append((char) (0x4e00 + r.nextInt(0x5000)));     // CJK
      else if (pick == 2) b.appendCodePoint(0x1f600 + r.nextInt(0x40));      // emoji (surrogates)
      else if (pick == 3) b.append((char) (1 + r.nextInt(0x1f)));            // control characters
      else b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  static final long[] SPECIAL_LONGS = {
    0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1,
    Integer.MIN_VALUE, Integer.MAX_VALUE, (1L << 53) - 1, 1L << 53, (1L << 53) + 1, -(1L << 53) - 1,
    999_999_999_999_999_999L, 1_000_000_000_000_000_000L,
  };

  static final double[] SPECIAL_DOUBLES = {
    0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.30000000000000004, 1.0 / 3, 60.0, 100.0, 1e7, 9999999.999999998,
    1e-3, 9.999999999999998e-4, 1e-4, 12345678.9, Double.MIN_VALUE, -Double.MIN_VALUE,
    Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, Math.nextDown(Double.MIN_NORMAL),
    Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e22, 1e21, 1e300, 1e-300,
    123456789012345678.0, 9007199254740993.0, Math.PI, Math.E, 2.5e-5, 5e-324 * 3,
  };

  static final float[] SPECIAL_FLOATS = {
    0f, -0f, 1f, -1f, 0.1f, 1.1f, 60f, 1e7f, 9999999f, 1e-3f, 1e-4f, 1e10f, 3.4028235e38f,
    -3.4028235e38f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.NaN, Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY, 16777217f, 0.33333334f, 2.5e-5f,
  };

  /** A random non-null value of the type. NaN is Java's canonical NaN unless payloadNaNs: a
   * NaN with other payload bits is a different row to Flink and to upsertkit (both compare
   * rows by their bytes), but json and csv spell every NaN as NaN, so only an avro source read
   * back from an avro sink can keep the payload (Generator). TIME has whole seconds unless
   * subSecondTimes: Flink's json format writes and reads TIME as whole seconds
   * (RowDataToJsonConverters, JsonParserToRowDataConverters.convertToTime), so a json sink
   * cannot give a fraction back. */
  public static Object random(SqlType t, Random r, boolean payloadNaNs, boolean subSecondTimes) {
    Object v = random(t, r);
    if (!payloadNaNs && v instanceof Double d && d.isNaN()) return Double.NaN;
    if (!payloadNaNs && v instanceof Float f && f.isNaN()) return Float.NaN;
    if (!subSecondTimes && v instanceof LocalTime time) return time.withNano(0);
    return v;
  }

  private static Object random(SqlType t, Random r) {
    return switch (t.kind()) {
      case STRING -> randomString(r);
      case BOOLEAN -> r.nextBoolean();
      case TINYINT -> (byte) (r.nextInt(5) == 0 ? pick(r, -128, 127, 0, -1) : r.nextInt(256) - 128);
      case SMALLINT -> (short) (r.nextInt(5) == 0 ? pick(r, -32768, 32767, 0, -1, 255, 256)
          : r.nextInt(65536) - 32768);
      case INT -> r.nextInt(5) == 0 ? (int) pick(r, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 1,
          Integer.MIN_VALUE + 1, 1 << 24)
          : r.nextBoolean() ? r.nextInt(2001) - 1000 : r.nextInt();
      case BIGINT -> r.nextInt(5) == 0 ? SPECIAL_LONGS[r.nextInt(SPECIAL_LONGS.length)]
          : r.nextBoolean() ? (long) (r.nextInt(200001) - 100000) : r.nextLong();
      case FLOAT -> randomFloat(r);
      case DOUBLE -> randomDouble(r);
      case DECIMAL -> randomDecimal(t.precision(), t.scale(), r);
      case DATE -> randomDate(r);
      case TIME -> randomTime(t.precision(), r);
      case TIMESTAMP -> randomTimestamp(t.precision(), r);
      case TIMESTAMP_LTZ -> randomTimestamp(t.precision(), r).toInstant(ZoneOffset.UTC);
      case BYTES -> randomBytes(r);
    };
  }

  private static long pick(Random r, long... choices) {
    return choices[r.nextInt(choices.length)];
  }

  static double randomDouble(Random r) {
    while (true) {
      double d = switch (r.nextInt(6)) {
        case 0 -> SPECIAL_DOUBLES[r.nextInt(SPECIAL_DOUBLES.length)];
        case 1 -> Double.longBitsToDouble(r.nextLong());                  // any double: many digits
        case 2 -> (r.nextInt(2000001) - 1000000) / 100.0;                 // money-like
        case 3 -> r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);    // around the plain range
        case 4 -> (double) (r.nextInt(20001) - 10000);                    // integral
        default -> r.nextDouble();
      };
      // JDK 17's Double.toString differs from JDK 19+ for this value: a documented difference
      // (docs/formats.md, "Differences from Flink" 7), so the value is not used (JavaDigits).
      if (JavaDigits.doublePrintsShortest(d)) return d;
    }
  }

  static float randomFloat(Random r) {
    while (true) {
      float f = switch (r.nextInt(5)) {
        case 0 -> SPECIAL_FLOATS[r.nextInt(SPECIAL_FLOATS.length)];
        case 1 -> Float.intBitsToFloat(r.nextInt());
        case 2 -> (r.nextInt(200001) - 100000) / 100.0f;
        case 3 -> (float) (r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10));
        default -> r.nextFloat();
      };
      // As for DOUBLE: JDK 17's Float.toString is not JDK 19+'s for about 10% of all floats
      // (docs/formats.md, "Differences from Flink" 7).
      if (JavaDigits.floatPrintsShortest(f)) return f;
    }
  }

  static BigDecimal randomDecimal(int precision, int scale, Random r) {
    BigInteger max = BigInteger.TEN.pow(precision).subtract(BigInteger.ONE);
    BigInteger unscaled = switch (r.nextInt(6)) {
      case 0 -> r.nextBoolean() ? max : max.negate();                          // the extremes
      case 1 -> BigInteger.valueOf(r.nextInt(3) - 1);                          // -1, 0, 1 ulp
      case 2 -> BigInteger.valueOf(r.nextInt(20001) - 10000);                  // small
      case 3 -> BigInteger.TEN.pow(r.nextInt(precision + 1) )
          .min(max).multiply(BigInteger.valueOf(r.nextBoolean() ? 1 : -1));  // powers of ten
      default -> new BigInteger(precision * 4, r).mod(max.add(BigInteger.ONE))
          .multiply(BigInteger.valueOf(r.nextBoolean() ? 1 : -1));           // any digits
    };
    return new BigDecimal(unscaled, scale);
  }

  /** 0001-01-01 .. 9999-12-31, without 1582-10-05..14: Flink's csv reads dates through
   * java.sql.Date (the Julian calendar before 1582-10-15), so its own csv does not give those
   * back (Flink writes 1582-10-10 and reads 1582-10-20); the csv speller still spells later
   * dates that way (CsvSpeller), so reading them is covered. */
  static LocalDate randomDate(Random r) {
    final long first = LocalDate.of(1, 1, 1).toEpochDay();
    final long last = LocalDate.of(9999, 12, 31).toEpochDay();
    while (true) {
      LocalDate d = switch (r.nextInt(6)) {
        case 5 -> LocalDate.of(1900 + r.nextInt(200), 1 + r.nextInt(12), 1).plusMonths(1).minusDays(1);  // a month's end
        case 0 -> switch (r.nextInt(10)) {
          case 0 -> LocalDate.of(1, 1, 1);
          case 1 -> LocalDate.of(9999, 12, 31);
          case 2 -> LocalDate.of(1970, 1, 1);
          case 3 -> LocalDate.of(1969, 12, 31);
          case 4 -> LocalDate.of(2000, 2, 29);
          case 5 -> LocalDate.of(1582, 10, 4);
          case 6 -> LocalDate.of(1582, 10, 15 + r.nextInt(10));
          case 7 -> LocalDate.of(1900, 2, 28);
          case 8 -> LocalDate.of(2024, 2, 29);
          default -> LocalDate.of(1, 12, 31);
        };
        case 1, 2 -> LocalDate.ofEpochDay(first + (long) (r.nextDouble() * (last - first)));
        default -> LocalDate.of(1950 + r.nextInt(100), 1, 1).plusDays(r.nextInt(366));
      };
      if (!(d.getYear() == 1582 && d.getMonthValue() == 10 && d.getDayOfMonth() >= 5
            && d.getDayOfMonth() <= 14))
        return d;
    }
  }

  static LocalTime randomTime(int precision, Random r) {
    long nanos = (long) (r.nextDouble() * 86_400_000_000_000L);
    long unit = (long) Math.pow(10, 9 - Math.min(9, Math.max(0, precision)));
    return LocalTime.ofNanoOfDay(nanos - nanos % unit);
  }

  static LocalDateTime randomTimestamp(int precision, Random r) {
    LocalDate day = randomDate(r);
    // TIMESTAMP(8) and (9) hold years 0000..4892 and 1677-09-21..2262-04-11 in upsertkit (an
    // int64 count of 10 ns / 1 ns), Flink 0000-9999: a documented difference (docs/formats.md,
    // "Differences from Flink" 10).
    while ((precision == 8 && day.getYear() > 4891)
        || (precision >= 9 && (day.getYear() < 1678 || day.getYear() > 2261)))
      day = LocalDate.of(precision == 8 ? 1 + r.nextInt(4891) : 1678 + r.nextInt(584), 1, 1)
          .plusDays(r.nextInt(365));
    LocalTime time = switch (r.nextInt(6)) {
      case 0 -> LocalTime.MIDNIGHT;
      case 1 -> LocalTime.of(r.nextInt(24), r.nextInt(60));                      // no seconds
      case 2 -> LocalTime.of(23, 59, 59, 999_999_999);
      default -> LocalTime.ofNanoOfDay((long) (r.nextDouble() * 86_400_000_000_000L));
    };
    long unit = (long) Math.pow(10, 9 - Math.min(9, Math.max(0, precision)));
    long nanos = time.toNanoOfDay();
    return LocalDateTime.of(day, LocalTime.ofNanoOfDay(nanos - nanos % unit));
  }

  static byte[] randomBytes(Random r) {
    byte[] b = new byte[r.nextInt(5) == 0 ? 0 : r.nextInt(24)];
    r.nextBytes(b);
    return b;
  }

}
