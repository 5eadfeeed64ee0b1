package io.upsertkit.conformance;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.apache.flink.formats.common.TimeFormats;

/**
 * Writes rows as CSV records (one line, no line break at the end, ',' between fields), each
 * value in one of the spellings Flink's csv format reads as that value (CsvToRowDataConverters:
 * numbers trimmed, DECIMAL not, DATE through java.sql.Date.valueOf, TIMESTAMP through
 * TimeFormats.SQL_TIMESTAMP_FORMAT), quoted when it must be and sometimes when it need not be.
 * NULL is the null literal {@link Generator#CSV_NULL}, quoted or not.
 */
final class CsvSpeller {
  private final Random r;
  private final String delimiter;

  /** delimiter: the format's 'csv.array-element-delimiter' (between ARRAY elements and ROW
   * fields). */
  CsvSpeller(Random r, String delimiter) {
    this.r = r;
    this.delimiter = delimiter;
  }

  String record(List<Column> columns, List<Object> values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) b.append(',');
      b.append(field(columns.get(i).type().resolved(), values.get(i)));
    }
    return b.toString();
  }

  private String pick(List<String> choices) {
    return choices.get(r.nextInt(choices.size()));
  }

  private static String quote(String text) {
    return "\"" + text.replace("\"", "\"\"") + "\"";
  }

  private static boolean mustQuote(String text) {
    return text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
        || text.indexOf('\r') >= 0;
  }

  String field(SqlType t, Object v) {
    String text = text(t, v);
    if (mustQuote(text) || r.nextInt(7) == 0) return quote(text);
    return text;
  }

  private String text(SqlType t, Object v) {
    if (t.kind() == SqlType.Kind.ARRAY || t.kind() == SqlType.Kind.ROW) return nested(t, v);
    if (v == null) {
      if (t.kind() == SqlType.Kind.DECIMAL && r.nextInt(4) == 0)
        return Numbers.decimalOverflow(t.precision(), t.scale(), r);   // overflow is NULL
      return Generator.CSV_NULL;
    }
    switch (t.kind()) {
      case STRING -> {
        return (String) v;
      }
      case BOOLEAN -> {
        boolean b = (Boolean) v;
        List<String> yes = List.of("true", "TRUE", "True", " true ");
        List<String> no = List.of("false", "FALSE", "no", "0", "", " false");
        return r.nextInt(3) == 0 ? pick(b ? yes : no) : Boolean.toString(b);
      }
      case TINYINT, SMALLINT, INT, BIGINT -> {
        long n = ((Number) v).longValue();
        List<String> s = new ArrayList<>(List.of(Long.toString(n), " " + n, n + " ", " " + n + "\t"));
        if (n >= 0) s.add("+" + n);
        s.add((n < 0 ? "-00" + Long.toString(n).substring(1) : "00" + n));
        return r.nextInt(3) == 0 ? pick(s) : Long.toString(n);
      }
      case FLOAT -> {
        return Numbers.floatText((Float) v, r);
      }
      case DOUBLE -> {
        return Numbers.doubleText((Double) v, r);
      }
      case DECIMAL -> {
        return Numbers.spellDecimal((BigDecimal) v, t.precision(), t.scale(), false, r);
      }
      case DATE -> {
        return pick(dateSpellings((LocalDate) v));
      }
      case TIME -> {
        return JsonSpeller.timeText((LocalTime) v, t.precision());
      }
      case TIMESTAMP -> {
        String text = JsonSpeller.timestampText((LocalDateTime) v, t.precision(), r);
        if (r.nextInt(8) == 0) text = " " + text + " ";     // trimmed before parsing
        if (!LocalDateTime.parse(text.trim(), TimeFormats.SQL_TIMESTAMP_FORMAT).equals(v))
          throw new IllegalStateException("csv TIMESTAMP spelling " + text + " is not " + v);
        return text;
      }
      case TIMESTAMP_LTZ -> {
        LocalDateTime local = LocalDateTime.ofInstant((Instant) v, ZoneOffset.UTC);
        return JsonSpeller.timestampText(local, t.precision(), r) + "Z";
      }
      case BYTES -> {
        String b64 = Base64.getEncoder().encodeToString((byte[]) v);
        return r.nextInt(8) == 0 && !b64.isEmpty() ? " " + b64 + " " : b64;   // TextNode trims
      }
    }
    throw new IllegalStateException("type " + t);
  }

  /** An ARRAY or ROW column: Jackson's CsvParser reads it as an array of texts split at the
   * delimiter (CsvSchema.ColumnType.ARRAY, as CsvRowSchemaConverter declares both), each text the
   * null literal (a NULL part) or read as a top-level field is (CsvToRowDataConverters); a field
   * that trims to nothing is an empty array, which a ROW reads as NULL. The values are ones
   * csv carries (Values.csvCarries); a NULL ARRAY is not one. */
  private String nested(SqlType t, Object v) {
    if (v == null) {
      if (t.kind() == SqlType.Kind.ARRAY) throw new IllegalStateException("a NULL ARRAY has no csv spelling");
      return r.nextInt(4) == 0 ? " " : "";
    }
    List<?> parts = (List<?>) v;
    if (parts.isEmpty()) return r.nextInt(4) == 0 ? pick(List.of(" ", "  ", "\t")) : "";
    while (true) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < parts.size(); i++) {
        if (i > 0) b.append(delimiter);
        SqlType part = t.kind() == SqlType.Kind.ARRAY ? t.element() : t.children().get(i);
        b.append(text(part, parts.get(i)));
      }
      // One element whose text is blank would read as an empty array (Jackson trims to check).
      if (!b.toString().trim().isEmpty()) return b.toString();
    }
  }

  /** Texts java.sql.Date.valueOf(text).toLocalDate() reads as d: the ISO form, one-digit month
   * and day, a day past the previous month's end (rolled over), the year 0000 (1 BC in the
   * Julian calendar, read back as year 1), and the ten days the Gregorian reform skipped
   * (1582-10-05..14 read as ten days later). Each is checked with Date.valueOf itself. */
  private List<String> dateSpellings(LocalDate d) {
    List<String> s = new ArrayList<>();
    s.add(d.toString());
    s.add(d.getYear() + "-" + d.getMonthValue() + "-" + d.getDayOfMonth());
    if (d.getYear() >= 1000) s.add(String.format("%04d-%d-%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth()));
    if (d.getDayOfMonth() <= 3) {
      LocalDate previous = d.minusDays(d.getDayOfMonth());
      int day = previous.lengthOfMonth() + d.getDayOfMonth();
      if (day <= 31) s.add(String.format("%04d-%02d-%02d", previous.getYear(), previous.getMonthValue(), day));
    }
    if (d.getYear() == 1) s.add(String.format("0000-%02d-%02d", d.getMonthValue(), d.getDayOfMonth()));
    if (d.getYear() == 1582 && d.getMonthValue() == 10 && d.getDayOfMonth() >= 15 && d.getDayOfMonth() <= 24)
      s.add(String.format("1582-10-%02d", d.getDayOfMonth() - 10));
    List<String> kept = new ArrayList<>();
    for (String t : s) {
      try {
        if (java.sql.Date.valueOf(t).toLocalDate().equals(d)) kept.add(t);
      } catch (RuntimeException e) {
        // not a spelling of d
      }
    }
    if (kept.isEmpty()) throw new IllegalStateException("no csv spelling of DATE " + d);
    // The ISO form most of the time.
    return r.nextInt(3) == 0 ? kept : List.of(kept.get(0));
  }
}
