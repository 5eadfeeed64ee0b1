package io.upsertkit.conformance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one normalization of the comparison: the entries of every MAP and MULTISET value of a
 * printed row, sorted. Flink's print connector prints a row through Row.toString, and a MAP or
 * MULTISET value is a java.util.HashMap there (DataStructureConverters' MapMapConverter): its
 * entries come in the HashMap's bucket order (String.hashCode), and in the order the entries
 * were put where two keys share a bucket, which follows the order of the map's binary form and
 * so of the message (json, avro) the row was read from. Which order upsertkit prints is its own
 * choice, and no order is the value. So both sides' rows are parsed, column by column, by the
 * column's type, and each MAP's or MULTISET's entries are put in the order of their printed key
 * text (String.compareTo). Nothing else changes: every other character of the row is kept as
 * printed, so any other difference still shows.
 *
 * <p>Printed text is not quoted, so a STRING may hold ", ", "=", "]" or "}" and the parse is by
 * backtracking: a STRING ends wherever what follows parses as the rest of the row. Where a text
 * parses in more than one way the first parse (the shortest STRINGs) is taken on both sides
 * alike. A row that does not parse by the column types (or not within STEPS tries) is left as
 * it is: it then compares as printed, and Compare says how many rows that was.
 */
final class Printed {
  private final String s;
  private final List<SqlType> types;
  /** (column index, position) pairs that are known not to parse as the rest of the row. */
  private final Set<Long> failed = new HashSet<>();
  private String result;
  /** Values tried so far: backtracking over STRINGs that hold separators can take exponential
   * time on a row that does not parse; past STEPS tries the row is left as printed. */
  private int steps;
  private static final int STEPS = 200_000;

  /** Rows left as printed because they did not parse (Compare reports the count). */
  static int unparsed;

  private static final class TooLong extends RuntimeException {
    TooLong() {
      super(null, null, false, false);
    }
  }

  private Printed(String s, List<SqlType> types) {
    this.s = s;
    this.types = types;
  }

  /** Whether a column of these types holds a MAP or MULTISET (else there is nothing to sort). */
  static boolean hasMaps(List<SqlType> types) {
    for (SqlType t : types)
      if (t.contains(SqlType.Kind.MAP) || t.contains(SqlType.Kind.MULTISET)) return true;
    return false;
  }

  /** The row `line` ("id> +I[v1, v2, ...]") with its MAP and MULTISET entries sorted; the line
   * unchanged when it does not parse by the types. */
  static String normalize(String line, String id, List<SqlType> types) {
    String prefix = id + "> ";
    if (!line.startsWith(prefix)) return line;
    Printed p = new Printed(line, types);
    int at = prefix.length();
    if (types.isEmpty() || !p.kind(at)) return line;
    at += 3;
    try {
      if (p.fields(0, at, new ArrayList<>())) return prefix + line.substring(prefix.length(), at) + p.result;
    } catch (TooLong e) {
      // left as printed
    }
    unparsed++;
    return line;
  }

  /** A row kind and '[' at `at`. */
  private boolean kind(int at) {
    for (String k : new String[] {"+I[", "-U[", "+U[", "-D["})
      if (s.startsWith(k, at)) return true;
    return false;
  }

  /** Continuation: the rest after a value that ends at `end` and is printed as `text`. */
  private interface Rest {
    boolean parse(int end, String text);
  }

  /** The top-level columns from column i at `at`; on success `result` is the rest of the
   * normalized row (the fields, ']'). */
  private boolean fields(int i, int at, List<String> parts) {
    long memo = ((long) i << 32) | at;
    if (failed.contains(memo)) return false;
    boolean ok = value(types.get(i), at, (end, text) -> {
      List<String> next = new ArrayList<>(parts);
      next.add(text);
      if (i + 1 == types.size()) {
        if (end + 1 != s.length() || s.charAt(end) != ']') return false;
        result = String.join(", ", next) + "]";
        return true;
      }
      return s.startsWith(", ", end) && fields(i + 1, end + 2, next);
    });
    if (!ok) failed.add(memo);
    return ok;
  }

  /** A value of type t at `at`, then the rest. */
  private boolean value(SqlType t, int at, Rest rest) {
    if (++steps > STEPS) throw new TooLong();
    if (s.startsWith("null", at) && rest.parse(at + 4, "null")) return true;
    switch (t.kind()) {
      case STRING -> {
        // Any text: it ends where the rest parses, the shortest first.
        for (int end = at; end <= s.length(); end++) {
          if (end == s.length() || s.startsWith(", ", end) || "]}=".indexOf(s.charAt(end)) >= 0) {
            if (rest.parse(end, s.substring(at, end))) return true;
          }
        }
        return false;
      }
      case BYTES -> {
        // Arrays.toString of the bytes: [1, -2, 3].
        if (at >= s.length() || s.charAt(at) != '[') return false;
        int end = s.indexOf(']', at);
        return end >= 0 && rest.parse(end + 1, s.substring(at, end + 1));
      }
      case ARRAY -> {
        if (at >= s.length() || s.charAt(at) != '[') return false;
        if (s.startsWith("]", at + 1) && rest.parse(at + 2, "[]")) return true;
        return elements(t.element(), at + 1, new ArrayList<>(), rest);
      }
      case MAP, MULTISET -> {
        if (at >= s.length() || s.charAt(at) != '{') return false;
        if (s.startsWith("}", at + 1) && rest.parse(at + 2, "{}")) return true;
        SqlType valueType = t.kind() == SqlType.Kind.MAP ? t.value() : SqlType.parse("INT");
        SqlType keyType = t.kind() == SqlType.Kind.MAP ? t.key() : t.element();
        return entries(keyType, valueType, at + 1, new ArrayList<>(), rest);
      }
      case ROW -> {
        if (!kind(at)) return false;
        return rowFields(t, 0, at + 3, s.substring(at, at + 3), rest);
      }
      default -> {
        // A number, a boolean, a date or time: up to the next separator.
        int end = at;
        while (end < s.length() && !s.startsWith(", ", end) && "]}=".indexOf(s.charAt(end)) < 0) end++;
        return end > at && rest.parse(end, s.substring(at, end));
      }
    }
  }

  private boolean elements(SqlType element, int at, List<String> done, Rest rest) {
    return value(element, at, (end, text) -> {
      List<String> next = new ArrayList<>(done);
      next.add(text);
      if (s.startsWith("]", end) && rest.parse(end + 1, "[" + String.join(", ", next) + "]")) return true;
      return s.startsWith(", ", end) && elements(element, end + 2, next, rest);
    });
  }

  private boolean entries(SqlType keyType, SqlType valueType, int at, List<String> done, Rest rest) {
    return value(keyType, at, (keyEnd, key) -> {
      if (!s.startsWith("=", keyEnd)) return false;
      return value(valueType, keyEnd + 1, (end, text) -> {
        List<String> next = new ArrayList<>(done);
        next.add(key + "=" + text);
        if (s.startsWith("}", end)) {
          List<String> sorted = new ArrayList<>(next);
          sorted.sort(null);
          if (rest.parse(end + 1, "{" + String.join(", ", sorted) + "}")) return true;
        }
        return s.startsWith(", ", end) && entries(keyType, valueType, end + 2, next, rest);
      });
    });
  }

  private boolean rowFields(SqlType row, int i, int at, String done, Rest rest) {
    return value(row.children().get(i), at, (end, text) -> {
      String next = done + (i == 0 ? "" : ", ") + text;
      if (i + 1 == row.children().size()) return s.startsWith("]", end) && rest.parse(end + 1, next + "]");
      return s.startsWith(", ", end) && rowFields(row, i + 1, end + 2, next, rest);
    });
  }
}
