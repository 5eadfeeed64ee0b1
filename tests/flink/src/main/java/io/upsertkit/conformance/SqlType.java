package io.upsertkit.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A column type as the DDL writes it ({@code DECIMAL(10, 2) NOT NULL}, {@code ARRAY<INT>},
 * {@code MAP<STRING, ARRAY<BIGINT>>}, {@code ROW<a STRING, b INT NOT NULL>}), parsed into what
 * the generator and the encoders need: the kind, precision, scale, nullability and, for the
 * nested types, the parts (ARRAY and MULTISET: the element; MAP: the key and the value; ROW: the
 * fields, with {@link #fieldNames}).
 *
 * <p>{@link #text} is the type as the DDL writes it, declared nullability included. What Flink
 * makes of it is {@link #resolved}: Flink's planner (Calcite) makes every field of a nullable ROW
 * nullable, whatever the field declares.
 */
public record SqlType(Kind kind, int precision, int scale, boolean nullable, String text,
    List<SqlType> children, List<String> fieldNames) {

  /** The SQL types the generator knows how to fill and encode. */
  public enum Kind {
    STRING, BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL, DATE, TIME,
    TIMESTAMP, TIMESTAMP_LTZ, BYTES, ARRAY, MAP, MULTISET, ROW
  }

  /** Parses "TYPE[(p[, s])] [NOT NULL]" and the nested types ARRAY&lt;T&gt;, MULTISET&lt;T&gt;,
   * MAP&lt;K, V&gt;, ROW&lt;name T, ...&gt;; throws IllegalArgumentException on anything else. */
  public static SqlType parse(String text) {
    Parser p = new Parser(text);
    SqlType t = p.type();
    p.skipBlanks();
    if (p.at < text.length()) throw p.error("unexpected text");
    return t;
  }

  /** ARRAY, MAP, MULTISET or ROW. */
  public boolean nested() {
    return kind == Kind.ARRAY || kind == Kind.MAP || kind == Kind.MULTISET || kind == Kind.ROW;
  }

  /** ARRAY's or MULTISET's element. */
  public SqlType element() {
    return children.get(0);
  }

  /** MAP's key. */
  public SqlType key() {
    return children.get(0);
  }

  /** MAP's value. */
  public SqlType value() {
    return children.get(1);
  }

  /** The type without its NOT NULL ("INT", "ARRAY<INT NOT NULL>"). */
  public String baseText() {
    return nullable ? text : text.substring(0, text.length() - " NOT NULL".length());
  }

  /** The same type, NOT NULL (a PRIMARY KEY column in a key format's row type). */
  public SqlType notNull() {
    return withNullable(false);
  }

  SqlType withNullable(boolean n) {
    if (n == nullable) return this;
    return new SqlType(kind, precision, scale, n, baseText() + (n ? "" : " NOT NULL"), children, fieldNames);
  }

  /** The type as Flink 1.20's planner resolves the DDL: every field of a nullable ROW is
   * nullable (Calcite's createTypeWithNullability copies a nullable record type with all its
   * fields nullable, nested ROWs' fields included); ARRAY/MAP/MULTISET parts keep theirs. A
   * ROW field's declared NOT NULL counts only inside a NOT NULL ROW. (FlinkRunner checks this
   * against the schema Flink resolves for each table.) */
  public SqlType resolved() {
    return RESOLVED.computeIfAbsent(text, t -> resolve(false));
  }

  private static final java.util.Map<String, SqlType> RESOLVED = new java.util.concurrent.ConcurrentHashMap<>();

  private SqlType resolve(boolean forceNullable) {
    boolean n = nullable || forceNullable;
    if (!nested()) return withNullable(n);
    List<SqlType> parts = new ArrayList<>();
    for (SqlType child : children) parts.add(child.resolve(kind == Kind.ROW && n));
    return build(kind, parts, fieldNames, n);
  }

  /** A nested type of these parts. */
  static SqlType build(Kind kind, List<SqlType> parts, List<String> names, boolean nullable) {
    String base = switch (kind) {
      case ARRAY, MULTISET -> kind + "<" + parts.get(0).text + ">";
      case MAP -> "MAP<" + parts.get(0).text + ", " + parts.get(1).text + ">";
      case ROW -> {
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) fields.add(fieldName(names.get(i)) + " " + parts.get(i).text);
        yield "ROW<" + String.join(", ", fields) + ">";
      }
      default -> throw new IllegalArgumentException(kind + " is not nested");
    };
    return new SqlType(kind, -1, 0, nullable, base + (nullable ? "" : " NOT NULL"), List.copyOf(parts),
        names == null ? List.of() : List.copyOf(names));
  }

  private static String fieldName(String name) {
    return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : "`" + name.replace("`", "``") + "`";
  }

  /** Whether this type or a part of it is of that kind. */
  public boolean contains(Kind k) {
    if (kind == k) return true;
    for (SqlType child : children) if (child.contains(k)) return true;
    return false;
  }

  @Override
  public String toString() {
    return text;
  }

  private static int defaultPrecision(Kind kind) {
    return switch (kind) {
      case DECIMAL -> 10;    // Flink's DECIMAL = DECIMAL(10, 0)
      case TIME -> 0;        // TIME = TIME(0)
      case TIMESTAMP, TIMESTAMP_LTZ -> 6;
      default -> -1;
    };
  }

  /** A recursive descent parser of the type syntax above. */
  private static final class Parser {
    final String s;
    int at;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("unsupported column type '" + s + "': " + what + " at " + at);
    }

    void skipBlanks() {
      while (at < s.length() && Character.isWhitespace(s.charAt(at))) at++;
    }

    boolean peek(char c) {
      skipBlanks();
      return at < s.length() && s.charAt(at) == c;
    }

    void expect(char c) {
      if (!peek(c)) throw error("'" + c + "' expected");
      at++;
    }

    String word() {
      skipBlanks();
      if (at < s.length() && s.charAt(at) == '`') {
        StringBuilder b = new StringBuilder();
        for (at++; ; at++) {
          if (at >= s.length()) throw error("unterminated `");
          if (s.charAt(at) == '`') {
            if (at + 1 < s.length() && s.charAt(at + 1) == '`') {
              b.append('`');
              at++;
            } else {
              at++;
              return b.toString();
            }
          } else {
            b.append(s.charAt(at));
          }
        }
      }
      int start = at;
      while (at < s.length() && (Character.isLetterOrDigit(s.charAt(at)) || s.charAt(at) == '_')) at++;
      if (start == at) throw error("a name expected");
      return s.substring(start, at);
    }

    boolean keyword(String k) {
      skipBlanks();
      int save = at;
      if (at < s.length() && Character.isLetter(s.charAt(at)) && word().equalsIgnoreCase(k)) return true;
      at = save;
      return false;
    }

    int number() {
      skipBlanks();
      int start = at;
      while (at < s.length() && Character.isDigit(s.charAt(at))) at++;
      if (start == at) throw error("a number expected");
      return Integer.parseInt(s.substring(start, at));
    }

    SqlType type() {
      String name = word().toUpperCase(Locale.ROOT);
      Kind kind;
      try {
        kind = Kind.valueOf(name);
      } catch (IllegalArgumentException e) {
        throw error("unknown type " + name);
      }
      SqlType t;
      if (kind == Kind.ARRAY || kind == Kind.MULTISET) {
        expect('<');
        SqlType element = type();
        expect('>');
        t = build(kind, List.of(element), null, true);
      } else if (kind == Kind.MAP) {
        expect('<');
        SqlType key = type();
        expect(',');
        SqlType value = type();
        expect('>');
        t = build(kind, List.of(key, value), null, true);
      } else if (kind == Kind.ROW) {
        expect('<');
        List<SqlType> fields = new ArrayList<>();
        List<String> names = new ArrayList<>();
        do {
          names.add(word());
          fields.add(type());
        } while (peek(',') && at++ >= 0);
        expect('>');
        t = build(kind, fields, names, true);
      } else {
        int precision = defaultPrecision(kind);
        int scale = 0;
        boolean explicit = false;
        if (peek('(')) {
          at++;
          precision = number();
          explicit = true;
          if (peek(',')) {
            at++;
            scale = number();
          }
          expect(')');
        }
        String base = kind.name() + (!explicit ? "" : kind == Kind.DECIMAL
            ? "(" + precision + ", " + scale + ")" : "(" + precision + ")");
        t = new SqlType(kind, precision, scale, true, base, List.of(), List.of());
      }
      int save = at;
      if (keyword("NOT")) {
        if (!keyword("NULL")) throw error("NOT NULL expected");
        return t.withNullable(false);
      }
      at = save;
      return t;
    }
  }
}
