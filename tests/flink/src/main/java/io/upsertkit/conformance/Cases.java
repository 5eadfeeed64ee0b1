package io.upsertkit.conformance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The format cases. Each reads one source topic (written by the Java producer) as
 * {@code src_<name>} and one sink topic (written by upsertkit from the changelog it read) as
 * {@code out_<name>}; the sink side uses other formats than the source, so upsertkit's encoders
 * are checked against Flink's decoders too. Together they cover json, csv and avro as key and as
 * value formats, on both sides, {@code value.fields-include} ALL and EXCEPT_KEY,
 * {@code key.fields-prefix}, {@code csv.array-element-delimiter}, and one- and two-column
 * PRIMARY KEYs. Each case has every column of the table that both its value formats carry
 * (EveryTypeTable); the json-only case ({@code json_json_wide}) has all of them.
 */
public final class Cases {
  private Cases() {}

  /** The topics' names start with this (generate --topic-prefix; the script uses a fresh broker). */
  static String topicPrefix = "flink-conformance";

  /** The key/value formats and layout of one upsert-kafka table. */
  public record Layout(String keyFormat, String valueFormat, boolean exceptKey, String prefix,
      String arrayDelimiter) {
    static Layout of(String key, String value, String include) {
      return new Layout(key, value, include.equals("EXCEPT_KEY"), "", "");
    }

    Layout withPrefix(String p) {
      return new Layout(keyFormat, valueFormat, exceptKey, p, arrayDelimiter);
    }

    /** 'value.csv.array-element-delimiter' (the value format is csv). */
    Layout withArrayDelimiter(String d) {
      return new Layout(keyFormat, valueFormat, exceptKey, prefix, d);
    }

    /** The csv value format's delimiter between ARRAY elements and ROW fields (Flink's
     * default ';' unless set). */
    String valueArrayDelimiter() {
      return arrayDelimiter.isEmpty() ? ";" : arrayDelimiter;
    }

    /** The format options of the WITH clause. */
    Map<String, String> options() {
      Map<String, String> o = new LinkedHashMap<>();
      o.put("key.format", keyFormat);
      // A csv NULL needs a literal (an empty field is an empty STRING and fails a number), as in
      // Flink's UpsertKafkaTableITCase; the key columns are NOT NULL, the literal is set anyway.
      if (keyFormat.equals("csv")) o.put("key.csv.null-literal", Generator.CSV_NULL);
      o.put("value.format", valueFormat);
      if (valueFormat.equals("csv")) o.put("value.csv.null-literal", Generator.CSV_NULL);
      if (valueFormat.equals("csv") && !arrayDelimiter.isEmpty())
        o.put("value.csv.array-element-delimiter", arrayDelimiter);
      o.put("value.fields-include", exceptKey ? "EXCEPT_KEY" : "ALL");
      if (!prefix.isEmpty()) o.put("key.fields-prefix", prefix);
      return o;
    }

    @Override
    public String toString() {
      return keyFormat + "/" + valueFormat + " " + (exceptKey ? "EXCEPT_KEY" : "ALL")
          + (prefix.isEmpty() ? "" : " prefix " + prefix)
          + (arrayDelimiter.isEmpty() ? "" : " array-element-delimiter " + arrayDelimiter);
    }
  }

  public record Case(String name, List<String> primaryKey, Layout source, Layout sink) {
    /** The columns that both value formats (source and sink) carry, in the table's order. */
    public List<Column> columns() {
      return COLUMNS_OF.computeIfAbsent(name, n -> EveryTypeTable.carriedBy(source.valueFormat(), sink.valueFormat()));
    }

    /** The columns of the table the case does not have, each with the format that refuses it
     * and Flink's reason (for the SQL script's comments). */
    public List<String> leftOut() {
      List<String> out = new java.util.ArrayList<>();
      for (Column c : EveryTypeTable.COLUMNS) {
        if (columns().contains(c)) continue;
        String format = !c.formats().contains(source.valueFormat()) ? source.valueFormat() : sink.valueFormat();
        out.add(c.name() + " (" + format + ": " + c.refusals().get(format) + ")");
      }
      return out;
    }

    public String sourceTable() {
      return "src_" + name;
    }

    public String sinkTable() {
      return "out_" + name;
    }

    public String sourceTopic() {
      return topicPrefix + "." + name + ".src";
    }

    public String sinkTopic() {
      return topicPrefix + "." + name + ".out";
    }

    /** The pipe check (PipeCompare): Flink's {@code INSERT INTO pipe_<case> SELECT * FROM
     * src_<case>}, an upsert-kafka sink of the source's own key and formats, writes here;
     * upsertkit's pipe (upsert_source into upsert_sink) of the same source writes to
     * {@link #pipeTopicUpsertkit} (table {@code pipe_upsertkit_<case>}). */
    public String pipeTable() {
      return "pipe_" + name;
    }

    public String pipeTableUpsertkit() {
      return "pipe_upsertkit_" + name;
    }

    public String pipeTopicFlink() {
      return topicPrefix + "." + name + ".pipe-flink";
    }

    public String pipeTopicUpsertkit() {
      return topicPrefix + "." + name + ".pipe-upsertkit";
    }

    /** The key columns as the key format names them (prefix stripped), in PRIMARY KEY order. */
    public List<String> keyFieldNames(Layout layout) {
      return primaryKey.stream().map(k -> k.substring(layout.prefix().length())).toList();
    }

    /** The value format's columns: all of them (ALL) or the non-key ones (EXCEPT_KEY). */
    public List<Column> valueColumns(Layout layout) {
      return columns().stream()
          .filter(c -> !layout.exceptKey() || !primaryKey.contains(c.name()))
          .toList();
    }

    /** An empty csv key message is dropped by upsertkit and fails in Flink (docs/formats.md,
     * "Differences from Flink" 13): a one-column csv key never holds the empty string. */
    public boolean emptyIdAllowed() {
      return primaryKey.size() > 1
          || !(source.keyFormat().equals("csv") || sink.keyFormat().equals("csv"));
    }
  }

  /** The case of that name; IllegalArgumentException names the cases when there is none. */
  public static Case byName(String name) {
    for (Case c : ALL) if (c.name().equals(name)) return c;
    throw new IllegalArgumentException("no case '" + name + "'; the cases: "
        + String.join(", ", ALL.stream().map(Case::name).toList()));
  }

  /** The cases whose source table the SQL script creates (all of them, or a probe's one). */
  public static List<Case> in(String script) {
    return ALL.stream().filter(c -> script.contains("CREATE TABLE `" + c.sourceTable() + "`")).toList();
  }

  private static final Map<String, List<Column>> COLUMNS_OF = new java.util.concurrent.ConcurrentHashMap<>();

  public static final List<Case> ALL = List.of(
      new Case("json_json_all", EveryTypeTable.KEY_ID,
          Layout.of("json", "json", "ALL"), Layout.of("avro", "csv", "EXCEPT_KEY")),
      new Case("csv_json_except", EveryTypeTable.KEY_SEQ_ID,
          Layout.of("csv", "json", "EXCEPT_KEY"), Layout.of("json", "avro", "ALL")),
      new Case("json_csv_all", EveryTypeTable.KEY_SEQ_ID,
          Layout.of("json", "csv", "ALL").withArrayDelimiter("|"),
          Layout.of("csv", "json", "EXCEPT_KEY").withPrefix("k_")),
      new Case("avro_avro_prefix", EveryTypeTable.KEY_SEQ_ID,
          Layout.of("avro", "avro", "EXCEPT_KEY").withPrefix("k_"),
          Layout.of("avro", "avro", "EXCEPT_KEY").withPrefix("k_")),
      new Case("csv_avro_all", EveryTypeTable.KEY_ID,
          Layout.of("csv", "avro", "ALL"), Layout.of("json", "json", "ALL")),
      new Case("avro_csv_except", EveryTypeTable.KEY_ID,
          Layout.of("avro", "csv", "EXCEPT_KEY"), Layout.of("csv", "csv", "ALL").withArrayDelimiter("|")),
      // json only, both sides: the only case with the columns neither csv nor avro carries.
      new Case("json_json_wide", EveryTypeTable.KEY_SEQ_ID,
          Layout.of("json", "json", "ALL"), Layout.of("json", "json", "EXCEPT_KEY").withPrefix("k_")));
}
