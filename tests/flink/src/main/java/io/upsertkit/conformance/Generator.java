package io.upsertkit.conformance;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code generate}: creates the topics, writes every case's seeded random upsert records into
 * its source topic with Kafka's Java producer, and writes the SQL script both sides run
 * ({@code conformance.sql}) and a readable dump of each topic ({@code records/<case>.tsv}).
 */
public final class Generator {
  /** The csv null literal of every csv format in the script. */
  public static final String CSV_NULL = "<NULL>";

  private Generator() {}

  /** One Kafka record: null key or value allowed. */
  record Record(byte[] key, byte[] value, String note) {}

  public static void main(Map<String, String> args) throws Exception {
    String brokers = require(args, "brokers");
    Path out = Path.of(require(args, "out"));
    long seed = Long.parseLong(args.getOrDefault("seed", "1"));
    int records = Integer.parseInt(args.getOrDefault("records", "2500"));
    Cases.topicPrefix = args.getOrDefault("topic-prefix", Cases.topicPrefix);
    Files.createDirectories(out.resolve("records"));
    EveryTypeTable.check();

    // A probe: one case, with the records of a file (the format of records/<case>.tsv).
    List<Cases.Case> cases = Cases.ALL;
    List<Record> probe = null;
    if (args.containsKey("probe-case")) {
      cases = List.of(Cases.byName(args.get("probe-case")));
      probe = readProbe(Path.of(require(args, "probe-records")), cases.get(0));
    }
    List<NewTopic> topics = new ArrayList<>();
    for (Cases.Case c : cases) {
      topics.add(new NewTopic(c.sourceTopic(), 1, (short) 1));
      topics.add(new NewTopic(c.sinkTopic(), 1, (short) 1));
      topics.add(new NewTopic(c.pipeTopicFlink(), 1, (short) 1));
      topics.add(new NewTopic(c.pipeTopicUpsertkit(), 1, (short) 1));
    }
    Properties adminConfig = new Properties();
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    try (Admin admin = Admin.create(adminConfig)) {
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    }

    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    int total = 0;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Cases.Case c : cases) {
        List<Record> list = probe != null ? probe
            : new CaseGenerator(c, new Random(seed * 1_000_003L + Cases.ALL.indexOf(c))).generate(records);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long[] offsets = new long[list.size()];
        for (int n = 0; n < list.size(); n++) {
          final int index = n;
          producer.send(new ProducerRecord<>(c.sourceTopic(), 0, list.get(n).key(), list.get(n).value()),
              (metadata, e) -> {
                if (e != null) failure.compareAndSet(null, e);
                else offsets[index] = metadata.offset();
              });
        }
        producer.flush();
        if (failure.get() != null) throw new IllegalStateException("producing to " + c.sourceTopic() + " failed", failure.get());
        writeDump(out.resolve("records").resolve(c.name() + ".tsv"), c, list, offsets);
        total += list.size();
      }
    }
    Files.writeString(out.resolve("conformance.sql"), Sql.script(brokers, seed, cases), StandardCharsets.UTF_8);
    System.err.println("generate: " + total + " records in " + cases.size() + " topics (seed " + seed
        + "), the SQL in " + out.resolve("conformance.sql"));
  }

  static String require(Map<String, String> args, String name) {
    String v = args.get(name);
    if (v == null) throw new IllegalArgumentException("missing --" + name);
    return v;
  }

  private static void writeDump(Path file, Cases.Case c, List<Record> list, long[] offsets) throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
      w.println("# " + c.sourceTopic() + " (" + c.source() + "), one record per line: offset, key, value, what it is."
          + " Text is shown with Java escapes, avro bytes in hex, NULL for a null key or value.");
      for (int n = 0; n < list.size(); n++) {
        Record rec = list.get(n);
        w.println(offsets[n] + "\t" + render(rec.key(), c.source().keyFormat()) + "\t"
            + render(rec.value(), c.source().valueFormat()) + "\t" + rec.note());
      }
    }
  }

  /** A probe's records: lines of records/<case>.tsv (offset, key, value[, note]); the offset is
   * ignored, # lines are comments. */
  static List<Record> readProbe(Path file, Cases.Case c) throws IOException {
    List<Record> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] f = line.split("\t", -1);
      if (f.length < 3) throw new IllegalArgumentException(file + ": not offset<TAB>key<TAB>value: " + line);
      out.add(new Record(unrender(f[1]), unrender(f[2]), f.length > 3 ? f[3] : "probe"));
    }
    return out;
  }

  /** The inverse of render: NULL, hex:..., or text with \\n \\r \\t \\\\ \\uXXXX escapes. */
  static byte[] unrender(String field) {
    if (field.equals("NULL")) return null;
    if (field.startsWith("hex:")) {
      String hex = field.substring(4);
      byte[] b = new byte[hex.length() / 2];
      for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
      return b;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char ch = field.charAt(i);
      if (ch != '\\' || i + 1 >= field.length()) {
        b.append(ch);
        continue;
      }
      char next = field.charAt(++i);
      switch (next) {
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          b.append((char) Integer.parseInt(field.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> b.append(next);
      }
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String render(byte[] bytes, String format) {
    if (bytes == null) return "NULL";
    if (format.equals("avro")) {
      StringBuilder b = new StringBuilder();
      for (byte x : bytes) b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
      return "hex:" + b;
    }
    return Compare.escape(new String(bytes, StandardCharsets.UTF_8));
  }

  /** The records of one case: a random walk over a pool of keys. */
  static final class CaseGenerator {
    private final Cases.Case c;
    private final Random r;
    private final JsonSpeller json;
    private final CsvSpeller csv;
    private final AvroEncoder keyAvro;
    private final AvroEncoder valueAvro;
    private final List<Column> keyColumns = new ArrayList<>();
    private final List<Column> columns;
    private final Map<List<Object>, List<Object>> live = new LinkedHashMap<>();
    private final Set<List<Object>> seen = new HashSet<>();
    private final List<List<Object>> pool = new ArrayList<>();
    private final Values.Rules rules;

    CaseGenerator(Cases.Case c, Random r) {
      this.c = c;
      this.r = r;
      columns = c.columns();
      json = new JsonSpeller(r);
      List<String> csvDelimiters = new ArrayList<>();
      for (Cases.Layout l : List.of(c.source(), c.sink()))
        if (l.valueFormat().equals("csv") && !csvDelimiters.contains(l.valueArrayDelimiter()))
          csvDelimiters.add(l.valueArrayDelimiter());
      rules = new Values.Rules(
          c.source().valueFormat().equals("avro") && c.sink().valueFormat().equals("avro"),
          !c.sink().valueFormat().equals("json"), csvDelimiters);
      csv = new CsvSpeller(r, c.source().valueArrayDelimiter());
      for (String k : c.primaryKey()) keyColumns.add(EveryTypeTable.column(k));
      Cases.Layout s = c.source();
      keyAvro = s.keyFormat().equals("avro") ? new AvroEncoder(c.keyFieldNames(s), keyColumns) : null;
      List<Column> valueColumns = c.valueColumns(s);
      valueAvro = s.valueFormat().equals("avro")
          ? new AvroEncoder(valueColumns.stream().map(Column::name).toList(), valueColumns) : null;
      // The keys: ~150, from ids that need care in every format.
      List<String> ids = new ArrayList<>();
      while (ids.size() < (c.primaryKey().size() == 1 ? 150 : 40)) {
        String id = Values.randomString(r);
        if (id.equals(CSV_NULL) || (id.isEmpty() && !c.emptyIdAllowed()) || ids.contains(id)) continue;
        ids.add(id);
      }
      for (String id : ids) {
        if (c.primaryKey().size() == 1) {
          pool.add(List.of(id));
        } else {
          for (int seq : new int[] {-1, 0, 1, 2})
            if (r.nextInt(3) > 0) pool.add(List.of(seq, id));
          if (r.nextInt(10) == 0) pool.add(List.of(r.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE, id));
        }
      }
    }

    List<Record> generate(int count) {
      List<Record> out = new ArrayList<>();
      boolean jsonValue = c.source().valueFormat().equals("json");
      boolean jsonKey = c.source().keyFormat().equals("json");
      while (out.size() < count) {
        int dice = r.nextInt(100);
        List<Object> key = pool.get(r.nextInt(pool.size()));
        List<Object> current = live.get(key);
        if (dice < 2) {
          out.add(new Record(null, value(randomRow(key)), "null key: dropped"));
        } else if (dice < 4 && jsonValue) {
          // Not the value `null`: Flink 1.20.3 fails the job ("Failed to deserialize JSON
          // 'null'"), so there is no changelog to compare (upsertkit fails the record too).
          out.add(new Record(key(key), new byte[0], "empty JSON value: no row, dropped"));
        } else if (dice < 5 && jsonKey) {
          out.add(new Record(new byte[0], value(randomRow(key)), "empty JSON key: no row, dropped"));
        } else if (dice < 8 && !c.source().exceptKey()) {
          // Under ALL the value's copy of the key columns wins (docs/schema.md, "Key columns
          // under ALL"): the row belongs to the value's key, whatever the key message says.
          List<Object> other = pool.get(r.nextInt(pool.size()));
          List<Object> row = live.containsKey(other) && r.nextBoolean() ? tweak(live.get(other)) : randomRow(other);
          live.put(other, row);
          seen.add(other);
          out.add(new Record(key(key), value(row), "value's key columns differ from the key's"));
        } else if (current == null) {
          if (dice < 16) out.add(tombstone(key, seen.contains(key) ? "tombstone of a deleted key" : "tombstone of a key never seen"));
          else out.add(upsert(key, randomRow(key), seen.contains(key) ? "insert after a delete" : "new key"));
        } else if (dice < 30) {
          out.add(upsert(key, tweak(current), "update of 1-3 columns"));
        } else if (dice < 42) {
          out.add(upsert(key, current, "the same row again (other bytes)"));
        } else if (dice < 48) {
          out.add(upsert(key, special(current), "0.0, -0.0 or NaN in a floating-point column"));
        } else if (dice < 62) {
          out.add(tombstone(key, "tombstone of a live key"));
        } else {
          out.add(upsert(key, randomRow(key), "new values"));
        }
      }
      return out;
    }

    private Record upsert(List<Object> key, List<Object> row, String note) {
      live.put(key, row);
      seen.add(key);
      return new Record(key(key), value(row), note);
    }

    private Record tombstone(List<Object> key, String note) {
      live.remove(key);
      seen.add(key);
      return new Record(key(key), null, note);
    }

    // NULL only in nullable columns (and nullable parts of nested ones, as Flink resolves the
    // type: SqlType.resolved): NULL for a NOT NULL column fails the record in upsertkit, a
    // documented difference (docs/formats.md, "Differences from Flink" 5).
    private List<Object> randomRow(List<Object> key) {
      List<Object> row = new ArrayList<>();
      for (Column col : columns) {
        int k = c.primaryKey().indexOf(col.name());
        if (k >= 0) row.add(key.get(k));
        else row.add(nullAllowed(col) && r.nextInt(5) == 0 ? null : Values.random(col.type().resolved(), r, rules));
      }
      return row;
    }

    /** A nullable column, but no NULL ARRAY where a value format is csv: Flink's csv has no
     * spelling of it (Jackson reads the null literal in an ARRAY column as the array [NULL], and
     * Flink writes a NULL ARRAY as the null literal), Values.csvCarries; and no NULL ROW where
     * the sink's value format is csv: Flink writes one as the null literal, which its reader
     * takes for a ROW of one NULL field and fails ("Row length mismatch"), so Flink cannot read
     * a NULL ROW that a csv writer wrote as Flink does (it reads an empty field as one, which
     * the csv source spells). */
    private boolean nullAllowed(Column col) {
      SqlType.Kind kind = col.type().kind();
      return col.type().nullable() && !(rules.csv() && kind == SqlType.Kind.ARRAY)
          && !(c.sink().valueFormat().equals("csv") && kind == SqlType.Kind.ROW);
    }

    private List<Object> tweak(List<Object> row) {
      List<Object> copy = new ArrayList<>(row);
      for (int n = 1 + r.nextInt(3); n > 0; n--) {
        int i = r.nextInt(copy.size());
        Column col = columns.get(i);
        if (c.primaryKey().contains(col.name())) continue;
        // A nested value: changed deep inside (an element, an entry, a field) one time in two.
        Object inside = r.nextBoolean() ? Values.tweakInside(col.type().resolved(), copy.get(i), r, rules) : null;
        if (inside != null) copy.set(i, inside);
        else copy.set(i, nullAllowed(col) && r.nextInt(4) == 0 ? null : Values.random(col.type().resolved(), r, rules));
      }
      return copy;
    }

    /** 0.0 <-> -0.0 and NaN in one floating-point column, the rest unchanged. */
    private List<Object> special(List<Object> row) {
      List<Object> copy = new ArrayList<>(row);
      List<Integer> floating = new ArrayList<>();
      for (int i = 0; i < copy.size(); i++) {
        SqlType.Kind kind = columns.get(i).type().kind();
        if (kind == SqlType.Kind.DOUBLE || kind == SqlType.Kind.FLOAT) floating.add(i);
      }
      if (floating.isEmpty()) return copy;
      int i = floating.get(r.nextInt(floating.size()));
      boolean isFloat = columns.get(i).type().kind() == SqlType.Kind.FLOAT;
      Object v = copy.get(i);
      Object next;
      if (v != null && ((Number) v).doubleValue() == 0 && r.nextInt(3) > 0)
        next = zero(isFloat, 1 / ((Number) v).doubleValue() > 0);   // flip the sign of zero
      else if (r.nextInt(3) == 0 && isFloat)
        next = Float.valueOf(Float.NaN);   // (no ?: here: it would widen the Float to a Double)
      else if (r.nextInt(2) == 0 && !isFloat)
        next = Double.valueOf(Double.NaN);
      else
        next = zero(isFloat, r.nextBoolean());
      copy.set(i, next);
      return copy;
    }

    private static Object zero(boolean isFloat, boolean negative) {
      if (isFloat) return negative ? Float.valueOf(-0.0f) : Float.valueOf(0.0f);
      return negative ? Double.valueOf(-0.0) : Double.valueOf(0.0);
    }

    private byte[] key(List<Object> key) {
      Cases.Layout s = c.source();
      return switch (s.keyFormat()) {
        case "json" -> json.object(c.keyFieldNames(s), keyColumns, key).getBytes(StandardCharsets.UTF_8);
        case "csv" -> csv.record(keyColumns, key).getBytes(StandardCharsets.UTF_8);
        case "avro" -> keyAvro.encode(key);
        default -> throw new IllegalStateException(s.keyFormat());
      };
    }

    private byte[] value(List<Object> row) {
      Cases.Layout s = c.source();
      List<Column> valueColumns = c.valueColumns(s);
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++)
        if (!s.exceptKey() || !c.primaryKey().contains(columns.get(i).name())) values.add(row.get(i));
      return switch (s.valueFormat()) {
        case "json" -> {
          List<String> names = new ArrayList<>(valueColumns.stream().map(Column::name).toList());
          String text = json.object(names, valueColumns, values);
          // Key columns in an EXCEPT_KEY value are unknown fields (ignored).
          if (s.exceptKey() && r.nextInt(10) == 0)
            text = text.replaceFirst("\\{", "{\"k_id\":\"not the key\",\"k_seq\":\"x\",");
          yield text.getBytes(StandardCharsets.UTF_8);
        }
        case "csv" -> csv.record(valueColumns, values).getBytes(StandardCharsets.UTF_8);
        case "avro" -> valueAvro.encode(values);
        default -> throw new IllegalStateException(s.valueFormat());
      };
    }
  }
}
