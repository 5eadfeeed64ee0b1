package io.upsertkit.conformance;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random logical values of a SQL type, with the extremes of each type mixed in. The Java class
 * of a value: String, Boolean, Byte, Short, Integer, Long, Float, Double, BigDecimal (at the
 * column's scale), LocalDate, LocalTime, LocalDateTime, Instant, byte[]; ARRAY a List, MAP and
 * MULTISET a Map (insertion-ordered), ROW a List of its fields; null is SQL NULL.
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

  /**
   * What a case lets a value be. NaN is Java's canonical NaN unless payloadNaNs: a NaN with
   * other payload bits is a different row to Flink and to upsertkit (both compare rows by their
   * bytes), but json and csv spell every NaN as NaN, so only an avro source read back from an
   * avro sink can keep the payload (Generator). TIME has whole seconds unless subSecondTimes:
   * Flink's json format writes and reads TIME as whole seconds (RowDataToJsonConverters,
   * JsonParserToRowDataConverters.convertToTime), so a json sink cannot give a fraction back.
   * csvDelimiters: the array-element delimiters of the case's csv value formats (none when no
   * value format is csv); then ARRAY and ROW values are ones Flink's csv reads back as
   * themselves (see {@link #csvCarries}).
   */
  record Rules(boolean payloadNaNs, boolean subSecondTimes, List<String> csvDelimiters) {
    boolean csv() {
      return !csvDelimiters.isEmpty();
    }
  }

  /** A random non-null value of the type (as Flink resolves it: SqlType.resolved), the parts of
   * a nested one NULL where the part is nullable. ARRAY is a List, MAP an insertion-ordered
   * Map (MULTISET: of each element to its count, an Integer), ROW a List of its fields. */
  public static Object random(SqlType t, Random r, Rules rules) {
    if (t.nested()) {
      while (true) {
        Object v = switch (t.kind()) {
          case ARRAY -> randomArray(t, r, rules);
          case MAP, MULTISET -> randomMap(t, r, rules);
          case ROW -> {
            List<Object> fields = new ArrayList<>();
            for (SqlType f : t.children()) fields.add(randomOrNull(f, r, rules, 5));
            yield fields;
          }
          default -> throw new IllegalStateException(t.text());
        };
        if (!rules.csv() || csvCarries(t, v, rules)) return v;
      }
    }
    Object v = random(t, r);
    if (!rules.payloadNaNs() && v instanceof Double d && d.isNaN()) return Double.NaN;
    if (!rules.payloadNaNs() && v instanceof Float f && f.isNaN()) return Float.NaN;
    if (!rules.subSecondTimes() && v instanceof LocalTime time) return time.withNano(0);
    return v;
  }

  /** A part of a nested value (an element, a MAP value, a ROW field): NULL one time in `oneIn`
   * where the type is nullable, else a random value; in csv cases, one that csv carries. */
  static Object randomOrNull(SqlType t, Random r, Rules rules, int oneIn) {
    if (t.nullable() && r.nextInt(oneIn) == 0) return null;
    while (true) {
      Object v = random(t, r, rules);
      if (!rules.csv() || csvCarries(t, v, rules)) return v;
    }
  }

  private static List<Object> randomArray(SqlType t, Random r, Rules rules) {
    int size = switch (r.nextInt(20)) {
      case 0, 1, 2 -> 0;                       // empty
      case 3, 4 -> 1;
      case 5 -> 6 + r.nextInt(10);
      case 6 -> r.nextInt(3) == 0 ? 40 : 2;    // longer
      default -> 2 + r.nextInt(4);
    };
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < size; i++) out.add(randomOrNull(t.element(), r, rules, 6));
    return out;
  }

  /** MAP: distinct keys (NOT NULL: upsertkit's keys are, and JSON and Avro keys are strings),
   * values NULL where nullable. MULTISET: distinct elements and counts, 1 to 3 mostly, and the
   * INT extremes. */
  private static Map<Object, Object> randomMap(SqlType t, Random r, Rules rules) {
    int size = switch (r.nextInt(10)) {
      case 0, 1 -> 0;
      case 2 -> 1;
      case 3 -> 6 + r.nextInt(12);
      default -> 2 + r.nextInt(3);
    };
    boolean multiset = t.kind() == SqlType.Kind.MULTISET;
    SqlType keyType = multiset ? t.element() : t.key();
    Map<Object, Object> out = new LinkedHashMap<>();
    for (int tries = 0; out.size() < size && tries < 100; tries++) {
      Object key = random(keyType.notNull(), r, rules);
      if (out.containsKey(key)) continue;
      out.put(key, multiset ? (Object) (r.nextInt(8) > 0 ? 1 + r.nextInt(3)
          : (int) pick(r, Integer.MAX_VALUE, 1000, 0, -1, Integer.MIN_VALUE))
          : randomOrNull(t.value(), r, rules, 5));
    }
    return out;
  }

  /** Whether Flink's csv format reads the value back as itself (CsvToRowDataConverters over
   * Jackson's CsvParser, which splits an ARRAY or ROW column at the array-element delimiter and
   * reads the null literal as a NULL part): no STRING part holds a delimiter of the case or is
   * the null literal, and an ARRAY of one element is not one whose text is blank (Jackson reads
   * a field that trims to nothing as an empty array: [""] and [empty BYTES] read as []). A NULL
   * ARRAY has no csv spelling at all (the null literal reads as [NULL]): the generator gives
   * ARRAY columns no NULL in csv cases (Generator). */
  static boolean csvCarries(SqlType t, Object v, Rules rules) {
    if (v == null) return true;
    switch (t.kind()) {
      case STRING -> {
        String s = (String) v;
        if (s.equals(Generator.CSV_NULL)) return false;
        for (String d : rules.csvDelimiters()) if (s.contains(d)) return false;
        return true;
      }
      case ARRAY -> {
        List<?> list = (List<?>) v;
        if (list.size() == 1 && list.get(0) != null && blankInCsv(t.element(), list.get(0))) return false;
        for (Object e : list) if (!csvCarries(t.element(), e, rules)) return false;
        return true;
      }
      case ROW -> {
        List<?> fields = (List<?>) v;
        for (int i = 0; i < fields.size(); i++) if (!csvCarries(t.children().get(i), fields.get(i), rules)) return false;
        return true;
      }
      default -> {
        return true;
      }
    }
  }

  /** A value whose every csv text is blank (Java's trim() leaves nothing). */
  private static boolean blankInCsv(SqlType t, Object v) {
    return (t.kind() == SqlType.Kind.STRING && ((String) v).trim().isEmpty())
        || (t.kind() == SqlType.Kind.BYTES && ((byte[]) v).length == 0);
  }

  /** A change deep inside a nested value (a copy; the value is not changed): an element, entry or
   * field replaced, added or removed, at any depth. Null when the value cannot be changed so. */
  static Object tweakInside(SqlType t, Object v, Random r, Rules rules) {
    if (v == null || !t.nested()) return null;
    for (int attempt = 0; attempt < 10; attempt++) {
      Object changed = switch (t.kind()) {
        case ARRAY -> {
          List<Object> list = new ArrayList<>((List<?>) v);
          int what = r.nextInt(4);
          if (list.isEmpty() || what == 0) list.add(r.nextInt(list.size() + 1), randomOrNull(t.element(), r, rules, 6));
          else if (what == 1) list.remove(r.nextInt(list.size()));
          else {
            int i = r.nextInt(list.size());
            Object inner = tweakInside(t.element(), list.get(i), r, rules);
            list.set(i, inner != null && r.nextBoolean() ? inner : randomOrNull(t.element(), r, rules, 6));
          }
          yield list;
        }
        case MAP, MULTISET -> {
          Map<Object, Object> map = new LinkedHashMap<>((Map<?, ?>) v);
          Map<Object, Object> fresh = randomMap(t, r, rules);
          List<Object> keys = new ArrayList<>(map.keySet());
          if (keys.isEmpty() || r.nextInt(3) == 0) map.putAll(fresh);                 // new entries
          else if (r.nextBoolean()) map.remove(keys.get(r.nextInt(keys.size())));
          else {
            Object key = keys.get(r.nextInt(keys.size()));
            Object inner = t.kind() == SqlType.Kind.MAP ? tweakInside(t.value(), map.get(key), r, rules) : null;
            map.put(key, inner != null ? inner : t.kind() == SqlType.Kind.MAP
                ? randomOrNull(t.value(), r, rules, 5) : (Object) (1 + r.nextInt(5)));
          }
          yield map;
        }
        case ROW -> {
          List<Object> fields = new ArrayList<>((List<?>) v);
          int i = r.nextInt(fields.size());
          SqlType f = t.children().get(i);
          Object inner = tweakInside(f, fields.get(i), r, rules);
          fields.set(i, inner != null ? inner : randomOrNull(f, r, rules, 4));
          yield fields;
        }
        default -> null;
      };
      if (changed != null && (!rules.csv() || csvCarries(t, changed, rules))) return changed;
    }
    return null;
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
      case ARRAY, MAP, MULTISET, ROW -> throw new IllegalStateException("nested " + t.text());
    };
  }

  private static long pick(Random r, long... choices) {
    return choices[r.nextInt(choices.length)];
  }

  /**
   * A MAP's or MULTISET's entries (String keys) in an order that is a function of the content:
   * it varies from MAP to MAP, but one content is always written in one order. Flink's
   * identical-row check compares the bytes of the HashMap its readers fill, whose layout follows
   * the insertion order where two keys share a bucket; the same MAP re-sent in another order
   * can be a -U/+U in Flink and nothing in upsertkit (docs/formats.md, "Differences from
   * Flink" 17). Used by the json and avro writers.
   */
  static List<Map.Entry<?, ?>> entriesInContentOrder(Map<?, ?> map) {
    List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
    entries.sort((a, b) -> ((String) a.getKey()).compareTo((String) b.getKey()));
    int content = map.hashCode();
    if ((content & 1) == 0) Collections.shuffle(entries, new Random(content));
    return entries;
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
