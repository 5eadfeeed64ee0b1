package io.upsertkit.conformance;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes rows as JSON objects the way many different producers would: every value in one of
 * the spellings Flink's json format reads as that value (numbers as tokens or in strings, with
 * more or fewer digits, exponents, strings with optional escapes), fields in any order, nullable
 * NULLs written or left out, unknown fields and whitespace added; the same inside nested ROW
 * objects, and MAP entries in any order (one order per MAP content: difference 17).
 *
 * <p>Not generated, because they are documented differences (docs/formats.md, "Differences
 * from Flink"): duplicate field names (2), nested JSON into a STRING column (3), invalid atoms in
 * unknown fields (4), NULL or a missing field for a NOT NULL column (5), a value lacking a key
 * column under ALL (6), FLOAT text near a halfway point (9), TIME/TIMESTAMP digits past the precision
 * (10), anything after the object (1).
 */
final class JsonSpeller {
  private final Random r;

  JsonSpeller(Random r) {
    this.r = r;
  }

  /** An object of the given columns (names as the format calls them) and values. */
  String object(List<String> names, List<Column> columns, List<Object> values) {
    return object(names, columns.stream().map(c -> c.type().resolved()).toList(), values, 3);
  }

  /** An object of fields (a row, or a ROW value) of these names, types and values, the fields
   * in random order one time in `shuffleOneIn`, nullable NULLs written or left out, and now and
   * then an unknown field. */
  private String object(List<String> names, List<SqlType> types, List<Object> values, int shuffleOneIn) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) order.add(i);
    if (r.nextInt(shuffleOneIn) == 0) Collections.shuffle(order, r);
    List<String> fields = new ArrayList<>();
    for (int i : order) {
      Object v = values.get(i);
      SqlType t = types.get(i);
      if (v == null && t.nullable() && r.nextInt(4) == 0) continue;  // missing -> NULL
      String name = r.nextInt(20) == 0 ? string(names.get(i)) : plainString(names.get(i));
      fields.add(name + ws() + ":" + ws() + value(t, v));
    }
    if (r.nextInt(6) == 0) {
      String[] unknown = {"\"x_unknown\":\"text\"", "\"x_nested\":{\"a\":[1,2.5e3,{\"b\":null}],\"c\":true}",
          "\"x_number\":-12.5e-3", "\"C_STRING\":\"case differs\"", "\"x_array\":[]", "\"\":0",
          "\"x_null\":null", "\"A\":\"case differs\""};
      fields.add(r.nextInt(fields.size() + 1), unknown[r.nextInt(unknown.length)]);
    }
    return ws() + "{" + ws() + String.join(ws() + "," + ws(), fields) + ws() + "}" + ws();
  }

  /** A JSON array, a MAP's or MULTISET's object (entries in Values.entriesInContentOrder) or a
   * ROW's object (Flink's JsonParserToRowDataConverters reads each). */
  private String nested(SqlType t, Object v) {
    switch (t.kind()) {
      case ARRAY -> {
        List<String> elements = new ArrayList<>();
        for (Object e : (List<?>) v) elements.add(value(t.element(), e));
        return "[" + ws() + String.join(ws() + "," + ws(), elements) + ws() + "]";
      }
      case MAP, MULTISET -> {
        List<Map.Entry<?, ?>> entries = Values.entriesInContentOrder((Map<?, ?>) v);
        SqlType valueType = t.kind() == SqlType.Kind.MAP ? t.value() : SqlType.parse("INT NOT NULL");
        List<String> fields = new ArrayList<>();
        for (Map.Entry<?, ?> e : entries)
          fields.add(string((String) e.getKey()) + ws() + ":" + ws() + value(valueType, e.getValue()));
        return "{" + ws() + String.join(ws() + "," + ws(), fields) + ws() + "}";
      }
      case ROW -> {
        @SuppressWarnings("unchecked")
        List<Object> fields = (List<Object>) v;
        return object(t.fieldNames(), t.children(), fields, 2);
      }
      default -> throw new IllegalStateException(t.text());
    }
  }

  private String ws() {
    if (r.nextInt(12) != 0) return "";
    String[] spaces = {" ", "\n", "\t", "  ", "\r\n"};
    return spaces[r.nextInt(spaces.length)];
  }

  /** A JSON string with only the escapes JSON requires. */
  private String plainString(String s) {
    return string(s, false);
  }

  /** A JSON string, sometimes with optional escapes: \/ for /, \\uXXXX for any character. */
  String string(String s) {
    return string(s, r.nextInt(6) == 0);
  }

  private String string(String s, boolean escapeMore) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '"') b.append("\\\"");
      else if (cp == '\\') b.append("\\\\");
      else if (cp < 0x20) {
        switch (cp) {
          case '\n' -> b.append(escapeMore ? "\\u000a" : "\\n");
          case '\t' -> b.append("\\t");
          case '\r' -> b.append("\\r");
          case '\b' -> b.append("\\b");
          case '\f' -> b.append("\\f");
          default -> b.append(String.format(r.nextBoolean() ? "\\u%04x" : "\\u%04X", cp));
        }
      } else if (cp == '/' && escapeMore) b.append("\\/");
      else if (escapeMore && (cp > 0x7e || r.nextInt(8) == 0)) {
        for (char ch : Character.toChars(cp)) b.append(String.format("\\u%04x", (int) ch));
      } else b.appendCodePoint(cp);
    }
    return b.append('"').toString();
  }

  private String pick(List<String> choices) {
    return choices.get(r.nextInt(choices.size()));
  }

  /** A string holding text that Flink trims (Java's String.trim) before parsing it. */
  private String quoted(String text, boolean trimmed) {
    if (trimmed && r.nextInt(3) == 0) text = " " + text + (r.nextBoolean() ? " " : "\t");
    return string(text);
  }

  String value(SqlType t, Object v) {
    if (v == null) {
      if (t.kind() == SqlType.Kind.DECIMAL && r.nextInt(4) == 0)
        return Numbers.decimalOverflow(t.precision(), t.scale(), r);  // overflow is NULL
      return "null";
    }
    if (t.nested()) return nested(t, v);
    switch (t.kind()) {
      case STRING -> {
        String s = (String) v;
        // A number or boolean token into a STRING column is its text as written.
        if ((Numbers.isJsonNumber(s) || s.equals("true") || s.equals("false")) && r.nextInt(3) == 0)
          return s;
        return string(s);
      }
      case BOOLEAN -> {
        boolean b = (Boolean) v;
        List<String> yes = List.of("true", "\"true\"", "\"TRUE\"", "\" True \"");
        List<String> no = List.of("false", "\"false\"", "\"FALSE\"", "\"no\"", "\"1\"", "\"\"", "0", "1");
        return r.nextInt(3) == 0 ? pick(b ? yes : no) : (b ? "true" : "false");
      }
      case TINYINT, SMALLINT -> {
        long n = ((Number) v).longValue();
        List<String> s = new ArrayList<>(List.of(Long.toString(n), quoted(Long.toString(n), true)));
        if (n >= 0) s.add(string("+" + n));
        if (n == 0) s.add("-0");
        s.add(string((n < 0 ? "-00" + Long.toString(n).substring(1) : "00" + n)));
        return r.nextInt(3) == 0 ? pick(s) : Long.toString(n);
      }
      case INT, BIGINT -> {
        return r.nextInt(3) == 0 ? pick(integerSpellings(((Number) v).longValue(), t.kind()))
            : v.toString();
      }
      case FLOAT -> {
        float f = (Float) v;
        String token = r.nextInt(5) == 0 ? null : Numbers.spellFloat(f, true, r);
        return token != null ? token : string(Numbers.floatText(f, r));
      }
      case DOUBLE -> {
        double d = (Double) v;
        String token = r.nextInt(5) == 0 ? null : Numbers.spellDouble(d, true, r);
        return token != null ? token : string(Numbers.doubleText(d, r));
      }
      case DECIMAL -> {
        BigDecimal d = (BigDecimal) v;
        return r.nextInt(4) == 0 ? quoted(Numbers.spellDecimal(d, t.precision(), t.scale(), false, r), true)
            : Numbers.spellDecimal(d, t.precision(), t.scale(), true, r);
      }
      case DATE -> {
        return string(v.toString());   // LocalDate.toString: yyyy-MM-dd for years 1..9999
      }
      case TIME -> {
        return string(timeText((LocalTime) v, t.precision()));
      }
      case TIMESTAMP -> {
        return string(timestampText((LocalDateTime) v, t.precision(), r));
      }
      case TIMESTAMP_LTZ -> {
        LocalDateTime local = LocalDateTime.ofInstant((Instant) v, ZoneOffset.UTC);
        return string(timestampText(local, t.precision(), r) + "Z");
      }
      case BYTES -> {
        String b64 = Base64.getEncoder().encodeToString((byte[]) v);
        return r.nextInt(4) == 0 ? "\"" + b64.replace("/", "\\/") + "\"" : "\"" + b64 + "\"";
      }
    }
    throw new IllegalStateException("type " + t);
  }

  /** Integer spellings that Flink reads as n: tokens, strings, and float tokens, which
   * Jackson's getIntValue()/getLongValue() read through a double, truncated toward zero after a
   * range check against (double) MAX_VALUE (so 9223372036854775807.5 is Long.MAX_VALUE, and
   * 9007199254740993.0 is 9007199254740992). Each float token is checked against that rule. */
  private List<String> integerSpellings(long n, SqlType.Kind kind) {
    List<String> s = new ArrayList<>(List.of(Long.toString(n), quoted(Long.toString(n), true)));
    if (n >= 0) s.add(string("+" + n));
    String digits = new String[] {"0", "5", "9", "999", "1"}[r.nextInt(5)];
    for (String t : new String[] {
        (n < 0 ? "-" : "") + Long.toString(n).replace("-", "") + "." + digits,   // toward zero
        n != 0 && n % 100 == 0 ? (n / 100) + (r.nextBoolean() ? "e2" : "E+2") : null,
        n + ".0e0",
        n < Long.MAX_VALUE ? (n + 1) + ".0" : null,                               // via a double
        n > Long.MIN_VALUE ? (n - 1) + ".0" : null}) {
      if (t != null && readsAsInteger(t, n, kind)) s.add(t);
    }
    return s;
  }

  /** Jackson's float token to int or long: a double, range-checked, then cast. */
  static boolean readsAsInteger(String token, long n, SqlType.Kind kind) {
    double d = Double.parseDouble(token);
    if (kind == SqlType.Kind.INT) {
      return !(d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) && (int) d == n;
    }
    return kind == SqlType.Kind.BIGINT && !(d < Long.MIN_VALUE || d > Long.MAX_VALUE) && (long) d == n;
  }

  static String timeText(LocalTime t, int precision) {
    String base = String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
    if (precision <= 0) return base;
    String nanos = String.format("%09d", t.getNano()).substring(0, Math.min(9, precision));
    return base + "." + nanos;
  }

  /** yyyy-MM-dd HH:mm:ss[.f...]: the fraction with its trailing zeros or without them, padded
   * with zeros up to nine digits (no digit past the column's precision is non-zero). */
  static String timestampText(LocalDateTime ts, int precision, Random r) {
    String day = pad(ts.getYear(), 4) + "-" + pad(ts.getMonthValue(), 2) + "-" + pad(ts.getDayOfMonth(), 2);
    // Flink parses TIMESTAMP text with ResolverStyle.SMART (TimeFormats.SQL_TIMESTAMP_FORMAT):
    // a day past the month's end is the month's last day, 24:00:00 is the next day's midnight.
    if (r.nextInt(20) == 0) {
      String smart = smartDay(ts.toLocalDate(), r);
      if (smart != null) day = smart;
      LocalDate before = ts.toLocalDate().minusDays(1);
      if (ts.toLocalTime().equals(LocalTime.MIDNIGHT) && before.getYear() >= 1)
        return before + " 24:00:00";
    }
    String base = day + " " + pad(ts.getHour(), 2) + ":" + pad(ts.getMinute(), 2) + ":" + pad(ts.getSecond(), 2);
    String nine = pad(ts.getNano(), 9);
    int end = nine.length();
    while (end > 0 && nine.charAt(end - 1) == '0') end--;
    String significant = nine.substring(0, end);
    if (significant.isEmpty()) {
      return switch (r.nextInt(4)) {
        case 0 -> base + ".0";
        case 1 -> base + ".000";
        default -> base;
      };
    }
    int digits = significant.length() + r.nextInt(10 - significant.length());
    if (r.nextBoolean()) digits = Math.max(significant.length(), Math.min(9, Math.max(precision, 1)));
    return base + "." + nine.substring(0, digits);
  }

  /** n (>= 0) in at least `width` digits, zeros in front. */
  static String pad(int n, int width) {
    String digits = Integer.toString(n);
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
  }

  /** The day before a date, spelled as Flink's json and csv TIMESTAMP parser (ResolverStyle.SMART)
   * reads it: a day of month past the month's end is its last day. Null when none applies. */
  static String smartDay(LocalDate d, Random r) {
    int last = d.lengthOfMonth();
    if (d.getDayOfMonth() != last || last == 31) return null;
    int day = last + 1 + r.nextInt(31 - last);
    return String.format("%04d-%02d-%02d", d.getYear(), d.getMonthValue(), day);
  }
}
