package io.upsertkit.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code compare}: Flink's printed changelogs against upsertkit's, line for line (each topic has
 * one partition, so each changelog's order is total).
 *
 * <p>(A) {@code src_<case>}: Flink read the Java producer's topic, and so did upsertkit.
 * (B) {@code out_<case>}: Flink read the topic upsertkit's sink wrote from its changelog; read
 * back, it must be that changelog again.
 *
 * <p>Rows are compared as printed, but for the order of MAP and MULTISET entries (Printed): the
 * first differing rows are shown as printed.
 *
 * <p>A printed row may hold line breaks (a STRING with '\n'): a physical line that does not start
 * with a print identifier and a row kind continues the row before it. Rows are shown with \n, \r,
 * \t, \\ and other control characters escaped.
 */
final class Compare {
  private Compare() {}

  private static final String[] KINDS = {"+I[", "-U[", "+U[", "-D["};

  /** failures: the print tables (their identifiers) whose Flink job failed, with the causes. */
  static int run(Path sql, Path flinkFile, Path upsertkitDir, Path recordsDir, Map<String, String> failures)
      throws IOException {
    return run(sql, flinkFile, upsertkitDir, recordsDir, failures, 0, 0);
  }

  /** The same, with the pipe checks' counts (PipeCompare) in the summary line. */
  static int run(Path sql, Path flinkFile, Path upsertkitDir, Path recordsDir, Map<String, String> failures,
      int passedBefore, int failedBefore) throws IOException {
    List<Cases.Case> cases = Cases.in(Files.readString(sql, StandardCharsets.UTF_8));
    List<String> ids = new ArrayList<>();
    for (Cases.Case c : cases) {
      ids.add(c.sourceTable());
      ids.add(c.sinkTable());
    }
    Map<String, List<String>> flink = parse(Files.readAllBytes(flinkFile), ids);
    int passed = passedBefore, failed = failedBefore;
    List<String> stray = flink.getOrDefault("", List.of());
    if (!stray.isEmpty()) {
      failed++;
      System.out.println("FAILED: " + stray.size() + " line(s) of Flink's output belong to no print table, the first: "
          + escape(stray.get(0)));
    }
    for (Cases.Case c : cases) {
      String id = c.sourceTable();
      Path printed = upsertkitDir.resolve(id + ".txt");
      if (!Files.exists(printed)) {
        failed += 2;
        System.out.println("FAILED " + id + ": upsertkit's changelog " + printed + " is missing");
        continue;
      }
      List<String> ours = parse(Files.readAllBytes(printed), List.of(id)).getOrDefault(id, List.of());
      List<Long> offsets = readOffsets(upsertkitDir.resolve(id + ".offsets"));
      Map<Long, String> dump = readDump(recordsDir.resolve(c.name() + ".tsv"));
      Path error = upsertkitDir.resolve(id + ".error");
      if (Files.exists(error)) {
        // upsertkit stopped on this case (a record it could not decode): both checks fail.
        List<String> lines = Files.readAllLines(error, StandardCharsets.UTF_8);
        failed += 2;
        System.out.println("FAILED A " + id + " (" + c.source() + ") and B " + c.sinkTable() + " (" + c.sink()
            + "): upsertkit stopped after " + ours.size() + " rows: " + (lines.isEmpty() ? "?" : lines.get(0)));
        if (lines.size() > 1) {
          long offset = Long.parseLong(lines.get(1).strip());
          System.out.println("  the record (offset, key, value, what it is):");
          System.out.println("    " + dump.getOrDefault(offset, "(not in the dump: offset " + offset + ")"));
        }
        continue;
      }
      List<String> flinkSource = flink.getOrDefault(id, List.of());
      List<String> flinkSink = new ArrayList<>();
      for (String row : flink.getOrDefault(c.sinkTable(), List.of()))
        flinkSink.add(id + row.substring(c.sinkTable().length()));   // out_x> ... -> src_x> ...
      List<SqlType> types = c.columns().stream().map(col -> col.type().resolved()).toList();
      Normalizer n = Printed.hasMaps(types) ? row -> Printed.normalize(row, id, types) : row -> row;
      String a = "A " + id + " (" + c.source() + "): Flink read the Java producer's topic";
      String b = "B " + c.sinkTable() + " (" + c.sink() + "): Flink read upsertkit's sink topic";
      if (failures.containsKey(id)) {
        failed++;
        System.out.println("FAILED " + a + ": Flink's job failed after " + flinkSource.size() + " rows:\n    "
            + failures.get(id));
      } else if (check(a, flinkSource, ours, offsets, dump, n)) passed++;
      else failed++;
      if (failures.containsKey(c.sinkTable())) {
        failed++;
        System.out.println("FAILED " + b + ": Flink's job failed after " + flinkSink.size() + " rows:\n    "
            + failures.get(c.sinkTable()));
      } else if (check(b, flinkSink, ours, offsets, dump, n)) passed++;
      else failed++;
    }
    if (Printed.unparsed > 0)
      System.out.println("note: " + Printed.unparsed + " printed rows did not parse by their column types: compared as printed,"
          + " MAP entries unsorted (Printed)");
    System.out.println("flink-conformance: " + passed + " passed, " + failed + " failed");
    return failed == 0 ? 0 : 1;
  }

  /** The comparison's one normalization (Printed): MAP and MULTISET entries in one order. */
  private interface Normalizer {
    String apply(String row);
  }

  private static boolean check(String what, List<String> flink, List<String> ours, List<Long> offsets,
      Map<Long, String> dump, Normalizer normalizer) {
    int n = Math.min(flink.size(), ours.size());
    int first = -1;
    int reordered = 0;   // rows equal only once their MAP and MULTISET entries are sorted
    for (int i = 0; i < n && first < 0; i++) {
      if (flink.get(i).equals(ours.get(i))) continue;
      if (normalizer.apply(flink.get(i)).equals(normalizer.apply(ours.get(i)))) reordered++;
      else first = i;
    }
    if (first < 0 && flink.size() == ours.size()) {
      if (flink.isEmpty()) {
        System.out.println("FAILED " + what + ": both changelogs are empty");
        return false;
      }
      System.out.println("ok     " + what + ": " + flink.size() + " rows equal (" + kinds(ours) + ")"
          + (reordered == 0 ? "" : "; " + reordered + " of them once MAP entries are sorted"));
      return true;
    }
    if (first < 0) first = n;
    System.out.println("FAILED " + what + ": Flink printed " + flink.size() + " rows, upsertkit " + ours.size()
        + "; the first difference is row " + (first + 1) + ":");
    for (int i = Math.max(0, first - 3); i < first; i++) System.out.println("    both      " + escape(ours.get(i)));
    for (int i = first; i < Math.min(first + 4, flink.size()); i++)
      System.out.println("  - flink     " + escape(flink.get(i)));
    for (int i = first; i < Math.min(first + 4, ours.size()); i++)
      System.out.println("  + upsertkit " + escape(ours.get(i))
          + (i < offsets.size() ? "   (record at offset " + offsets.get(i) + ")" : ""));
    int at = Math.min(first, ours.size() - 1);
    if (at >= 0 && at < offsets.size()) {
      long offset = offsets.get(at);
      System.out.println("  the record behind upsertkit's row " + (at + 1) + " (offset, key, value, what it is):");
      System.out.println("    " + dump.getOrDefault(offset, "(not in the dump: offset " + offset + ")"));
    }
    return false;
  }

  private static String kinds(List<String> rows) {
    Map<String, Integer> count = new LinkedHashMap<>();
    for (String k : KINDS) count.put(k.substring(0, 2), 0);
    for (String row : rows) {
      int at = row.indexOf("> ");
      count.merge(row.substring(at + 2, at + 4), 1, Integer::sum);
    }
    StringBuilder b = new StringBuilder();
    count.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
    return b.toString();
  }

  /** The rows of each print identifier, in order; "" collects lines of no identifier. */
  static Map<String, List<String>> parse(byte[] bytes, List<String> ids) {
    Map<String, List<String>> rows = new HashMap<>();
    String text = new String(bytes, StandardCharsets.UTF_8);
    List<String> last = null;
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) end = text.length();
      String line = text.substring(start, end);
      start = end + 1;
      String id = rowStart(line, ids);
      if (id != null) {
        last = rows.computeIfAbsent(id, k -> new ArrayList<>());
        last.add(line);
      } else if (last != null) {
        last.set(last.size() - 1, last.get(last.size() - 1) + "\n" + line);
      } else {
        rows.computeIfAbsent("", k -> new ArrayList<>()).add(line);
      }
    }
    return rows;
  }

  private static String rowStart(String line, List<String> ids) {
    for (String id : ids)
      if (line.startsWith(id + "> "))
        for (String kind : KINDS)
          if (line.startsWith(kind, id.length() + 2)) return id;
    return null;
  }

  private static List<Long> readOffsets(Path file) throws IOException {
    List<Long> out = new ArrayList<>();
    if (!Files.exists(file)) return out;
    for (String line : Files.readAllLines(file)) if (!line.isBlank()) out.add(Long.parseLong(line.strip()));
    return out;
  }

  private static Map<Long, String> readDump(Path file) throws IOException {
    Map<Long, String> out = new HashMap<>();
    if (!Files.exists(file)) return out;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("#")) continue;
      int tab = line.indexOf('\t');
      if (tab > 0) out.put(Long.parseLong(line.substring(0, tab)), line);
    }
    return out;
  }

  /** One line of text: newline, return, tab and backslash escaped with a backslash, other
   *  control characters as a backslash-u escape (Generator.unrender reads the dumps back). */
  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\\' -> b.append("\\\\");
        default -> {
          if (ch < 0x20 || ch == 0x7f || ch == 0x2028 || ch == 0x2029) b.append(String.format("\\u%04x", (int) ch));
          else b.append(ch);
        }
      }
    }
    return b.toString();
  }
}
