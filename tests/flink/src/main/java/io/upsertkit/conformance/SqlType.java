package io.upsertkit.conformance;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column type as the DDL writes it ({@code DECIMAL(10, 2) NOT NULL}), parsed into what the
 * generator and the encoders need: the kind, precision, scale and nullability.
 */
public record SqlType(Kind kind, int precision, int scale, boolean nullable, String text) {

  /** The SQL types the generator knows how to fill and encode. */
  public enum Kind {
    STRING, BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL, DATE, TIME,
    TIMESTAMP, TIMESTAMP_LTZ, BYTES
  }

  private static final Pattern TYPE = Pattern.compile(
      "(STRING|BOOLEAN|TINYINT|SMALLINT|INT|BIGINT|FLOAT|DOUBLE|DECIMAL|DATE|TIME|"
          + "TIMESTAMP_LTZ|TIMESTAMP|BYTES)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?"
          + "\\s*(NOT\\s+NULL)?");

  /** Parses "TYPE[(p[, s])] [NOT NULL]"; throws IllegalArgumentException on anything else. */
  public static SqlType parse(String text) {
    Matcher m = TYPE.matcher(text.trim().toUpperCase(Locale.ROOT));
    if (!m.matches()) throw new IllegalArgumentException("unsupported column type '" + text + "'");
    Kind kind = Kind.valueOf(m.group(1));
    int precision = m.group(2) != null ? Integer.parseInt(m.group(2)) : defaultPrecision(kind);
    int scale = m.group(3) != null ? Integer.parseInt(m.group(3)) : 0;
    String base = m.group(1) + (m.group(2) == null ? "" : m.group(3) == null
        ? "(" + precision + ")" : "(" + precision + ", " + scale + ")");
    boolean nullable = m.group(4) == null;
    return new SqlType(kind, precision, scale, nullable, base + (nullable ? "" : " NOT NULL"));
  }

  private static int defaultPrecision(Kind kind) {
    return switch (kind) {
      case DECIMAL -> 10;    // Flink's DECIMAL = DECIMAL(10, 0)
      case TIME -> 0;        // TIME = TIME(0)
      case TIMESTAMP, TIMESTAMP_LTZ -> 6;
      default -> -1;
    };
  }

  /** The same type, NOT NULL (a PRIMARY KEY column in a key format's row type). */
  public SqlType notNull() {
    return nullable ? parse(text + " NOT NULL") : this;
  }
}
