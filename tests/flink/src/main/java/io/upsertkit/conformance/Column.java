package io.upsertkit.conformance;

import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.formats.csv.CsvToRowDataConverters;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;

/**
 * One column of the table: its name, SQL type, and whether only Flink's json format can carry
 * it (then it is a column of the {@code *_wide} case only, whose formats are all json).
 */
public record Column(String name, SqlType type, boolean jsonOnly) {
  /** A column every format carries (json, csv and avro). */
  public static Column of(String name, String sqlType) {
    return new Column(name, SqlType.parse(sqlType), false);
  }

  /** A column Flink 1.20's csv or avro format cannot carry (TIME(p > 3), TIMESTAMP(p > 3) and
   * TIMESTAMP_LTZ in avro's default mapping, ...): only the json-only case has it. In the C++
   * struct it is a J(...) line, not an X(...) one. */
  public static Column jsonOnly(String name, String sqlType) {
    return new Column(name, SqlType.parse(sqlType), true);
  }

  /** The column's DDL line, name backquoted (reserved words are fine then). */
  public String ddl() {
    return "`" + name + "` " + type.text();
  }

  /** Why Flink's csv or avro format cannot carry the column's type, or null when both can:
   * asked of Flink's own converters (the csv reader's, and AvroSchemaConverter with the default
   * legacy timestamp mapping). */
  public String notEveryFormat() {
    RowType row = (RowType) LogicalTypeParser.parse("ROW<`" + name + "` " + type.text() + ">",
        Column.class.getClassLoader()).copy(false);
    try {
      AvroSchemaConverter.convertToSchema(row);
    } catch (RuntimeException e) {
      return "avro: " + e.getMessage();
    }
    try {
      new CsvToRowDataConverters(false).createRowConverter(row, true);
    } catch (RuntimeException e) {
      return "csv: " + e.getMessage();
    }
    return null;
  }
}
