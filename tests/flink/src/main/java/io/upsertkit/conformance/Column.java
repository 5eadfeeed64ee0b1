package io.upsertkit.conformance;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.flink.formats.avro.AvroToRowDataConverters;
import org.apache.flink.formats.avro.RowDataToAvroConverters;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.formats.common.TimestampFormat;
import org.apache.flink.formats.csv.CsvRowSchemaConverter;
import org.apache.flink.formats.csv.CsvToRowDataConverters;
import org.apache.flink.formats.csv.RowDataToCsvConverters;
import org.apache.flink.formats.json.JsonFormatOptions;
import org.apache.flink.formats.json.JsonParserToRowDataConverters;
import org.apache.flink.formats.json.JsonToRowDataConverters;
import org.apache.flink.formats.json.RowDataToJsonConverters;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;

/**
 * One column of the table: its name, its SQL type, and the formats (json, csv, avro) that can
 * carry it, as Flink 1.20's own converters say: a format carries a column when its schema
 * converter, its reader and its writer all take the column's type (as Flink resolves it, {@link
 * SqlType#resolved}); {@link #refusals} keeps each other format's reason. A case has every
 * column that its value formats (source and sink) both carry (Cases).
 */
public record Column(String name, SqlType type, Set<String> formats, Map<String, String> refusals) {

  /** The formats of the stage. */
  public static final List<String> FORMATS = List.of("json", "csv", "avro");

  /** A column; the formats that carry it are asked of Flink. */
  public static Column of(String name, String sqlType) {
    SqlType type = SqlType.parse(sqlType);
    Map<String, String> refusals = new LinkedHashMap<>();
    Set<String> formats = new TreeSet<>();
    for (String format : FORMATS) {
      String why = refusal(name, type, format);
      if (why == null) formats.add(format);
      else refusals.put(format, why);
    }
    return new Column(name, type, Collections.unmodifiableSet(formats), Collections.unmodifiableMap(refusals));
  }

  /** Whether every format carries the column. */
  public boolean everyFormat() {
    return formats.size() == FORMATS.size();
  }

  /** The letter of the column's line in tests/flink/every_type_table.hpp: X (json, csv and
   * avro), A (json and avro, not csv), C (json and csv, not avro), J (json only). */
  public String letter() {
    if (everyFormat()) return "X";
    if (formats.equals(Set.of("json", "avro"))) return "A";
    if (formats.equals(Set.of("json", "csv"))) return "C";
    if (formats.equals(Set.of("json"))) return "J";
    throw new IllegalStateException("column " + name + " (" + type + ") is carried by " + formats
        + " only; every_type_table.hpp has no letter for that");
  }

  /** The column's DDL line, name backquoted (reserved words are fine then). */
  public String ddl() {
    return "`" + name + "` " + type.text();
  }

  /** RowDataToCsvConverters.createRowConverter(row), through reflection: its result type is
   * package-private. */
  private static void csvWriter(RowType row) {
    try {
      RowDataToCsvConverters.class.getMethod("createRowConverter", RowType.class).invoke(null, row);
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException cause) throw cause;
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Why Flink's format cannot carry the type, or null when it can. */
  private static String refusal(String name, SqlType type, String format) {
    RowType row = (RowType) LogicalTypeParser.parse("ROW<`" + name + "` " + type.resolved().text() + ">",
        Column.class.getClassLoader()).copy(false);
    List<Consumer<RowType>> steps = switch (format) {
      case "json" -> List.of(
          r -> new JsonParserToRowDataConverters(false, false, TimestampFormat.SQL).createRowConverter(r),
          r -> new JsonToRowDataConverters(false, false, TimestampFormat.SQL).createConverter(r),
          r -> new RowDataToJsonConverters(TimestampFormat.SQL, JsonFormatOptions.MapNullKeyMode.FAIL, "null", false)
              .createConverter(r));
      case "csv" -> List.of(
          CsvRowSchemaConverter::convert,
          r -> new CsvToRowDataConverters(false).createRowConverter(r, true),
          Column::csvWriter);
      case "avro" -> List.of(
          AvroSchemaConverter::convertToSchema,
          AvroToRowDataConverters::createRowConverter,
          RowDataToAvroConverters::createConverter);
      default -> throw new IllegalArgumentException(format);
    };
    for (Consumer<RowType> step : steps) {
      try {
        step.accept(row);
      } catch (RuntimeException e) {
        return e.getMessage();
      }
    }
    return null;
  }
}
