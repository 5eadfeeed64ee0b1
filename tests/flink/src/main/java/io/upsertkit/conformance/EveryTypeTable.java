package io.upsertkit.conformance;

import java.util.List;

/**
 * THE table of the conformance stage: every column type upsertkit supports, nullable and NOT
 * NULL, the nested ones (ARRAY, MAP, MULTISET, ROW) nested in each other. The DDL of every case
 * is generated from this list, and the generator fills each column from its type alone, so
 * adding a column is one line here and one line in tests/flink/every_type_table.hpp (the C++
 * member, in the same order; a ROW's struct is declared there once; the C++ program checks the
 * two against each other with upsertkit::ddl::check and names any mismatch).
 *
 * <p>Flink's formats do not all carry every type: csv has no MAP or MULTISET and nests only
 * simple types one level deep (CsvRowSchemaConverter), nor TIME(p > 3); avro (with its default,
 * legacy timestamp mapping) has no TIME(p > 3), TIMESTAMP(p > 3) or TIMESTAMP_LTZ. Which formats
 * carry a column is asked of Flink's own converters ({@link Column#of}); a case has every column
 * that both its value formats carry. The column's line in every_type_table.hpp has the letter
 * that names those formats ({@link Column#letter}): X every format, A json and avro, C json and
 * csv, J json only; the SQL script lists each column's formats and letter at its top.
 *
 * <p>The key columns come first: {@code k_id} is the one-column PRIMARY KEY, {@code (k_seq, k_id)}
 * the two-column one (declared in that order, against the field order). With
 * {@code 'key.fields-prefix' = 'k_'} the key format names them {@code id} and {@code seq}.
 */
public final class EveryTypeTable {
  private EveryTypeTable() {}

  public static final List<Column> COLUMNS = List.of(
      Column.of("k_id", "STRING NOT NULL"),
      Column.of("k_seq", "INT NOT NULL"),
      Column.of("c_string", "STRING"),
      Column.of("c_string_nn", "STRING NOT NULL"),
      Column.of("c_boolean", "BOOLEAN"),
      Column.of("c_boolean_nn", "BOOLEAN NOT NULL"),
      Column.of("c_tinyint", "TINYINT"),
      Column.of("c_smallint", "SMALLINT"),
      Column.of("c_int", "INT"),
      Column.of("c_bigint", "BIGINT"),
      Column.of("c_bigint_nn", "BIGINT NOT NULL"),
      Column.of("c_float", "FLOAT"),
      Column.of("c_double", "DOUBLE"),
      Column.of("c_double_nn", "DOUBLE NOT NULL"),
      Column.of("c_decimal_10_2", "DECIMAL(10, 2)"),
      Column.of("c_decimal_18_6", "DECIMAL(18, 6)"),
      Column.of("c_decimal_5_0", "DECIMAL(5, 0)"),
      Column.of("c_decimal_18_18", "DECIMAL(18, 18)"),
      Column.of("c_decimal_nn", "DECIMAL(18, 4) NOT NULL"),
      Column.of("c_date", "DATE"),
      Column.of("c_timestamp", "TIMESTAMP(3)"),
      Column.of("c_timestamp_nn", "TIMESTAMP(3) NOT NULL"),
      Column.of("c_bytes", "BYTES"),
      Column.of("c_bytes_nn", "BYTES NOT NULL"),
      Column.of("c_time", "TIME"),
      Column.of("c_time_3_nn", "TIME(3) NOT NULL"),
      Column.of("c_timestamp_0", "TIMESTAMP(0)"),
      Column.of("c_decimal_38_10", "DECIMAL(38, 10)"),
      Column.of("c_decimal_38_nn", "DECIMAL(38, 0) NOT NULL"),
      Column.of("c_time_9", "TIME(9)"),
      Column.of("c_timestamp_6", "TIMESTAMP(6)"),
      Column.of("c_timestamp_9", "TIMESTAMP(9)"),
      Column.of("c_ltz_0", "TIMESTAMP_LTZ(0)"),
      Column.of("c_ltz_3", "TIMESTAMP_LTZ(3)"),
      Column.of("c_ltz_9", "TIMESTAMP_LTZ(9)"),
      // The nested types. csv carries ARRAYs and ROWs of simple types only.
      Column.of("c_arr_int", "ARRAY<INT>"),
      Column.of("c_arr_string", "ARRAY<STRING NOT NULL>"),
      Column.of("c_arr_double_nn", "ARRAY<DOUBLE> NOT NULL"),
      Column.of("c_arr_decimal", "ARRAY<DECIMAL(10, 2)>"),
      Column.of("c_arr_timestamp", "ARRAY<TIMESTAMP(3)>"),
      Column.of("c_arr_bytes", "ARRAY<BYTES>"),
      Column.of("c_arr_date", "ARRAY<DATE>"),
      Column.of("c_row_flat", "ROW<x STRING, y BYTES, z INT NOT NULL>"),
      Column.of("c_row_flat_nn", "ROW<s STRING NOT NULL, t TIMESTAMP(3), n DECIMAL(18, 4)> NOT NULL"),
      Column.of("c_arr_row", "ARRAY<ROW<id BIGINT NOT NULL, label STRING, ts TIMESTAMP(3)>>"),
      Column.of("c_arr_row_nn", "ARRAY<ROW<qty INT NOT NULL, price DECIMAL(10, 2)> NOT NULL> NOT NULL"),
      Column.of("c_arr_arr", "ARRAY<ARRAY<INT NOT NULL>>"),
      Column.of("c_map", "MAP<STRING, INT>"),
      Column.of("c_map_arr", "MAP<STRING, ARRAY<BIGINT>>"),
      Column.of("c_map_nn", "MAP<STRING, DOUBLE NOT NULL> NOT NULL"),
      Column.of("c_multiset", "MULTISET<STRING>"),
      Column.of("c_row", "ROW<a STRING, b INT NOT NULL, c ROW<d DOUBLE, e DECIMAL(10, 2)>>"),
      Column.of("c_row_nn", "ROW<a STRING, b INT NOT NULL, c ROW<d DOUBLE, e DECIMAL(10, 2)>> NOT NULL"));

  /** PRIMARY KEY (k_id). */
  public static final List<String> KEY_ID = List.of("k_id");
  /** PRIMARY KEY (k_seq, k_id): declaration order differs from field order on purpose. */
  public static final List<String> KEY_SEQ_ID = List.of("k_seq", "k_id");

  public static Column column(String name) {
    for (Column c : COLUMNS)
      if (c.name().equals(name)) return c;
    throw new IllegalArgumentException("no column " + name);
  }

  /** The columns both formats carry (a case's value formats: source and sink). */
  public static List<Column> carriedBy(String format, String other) {
    return COLUMNS.stream().filter(c -> c.formats().contains(format) && c.formats().contains(other)).toList();
  }

  /** Throws when a key column is not carried by every format, or a column by no letter's
   * formats. */
  public static void check() {
    for (Column c : COLUMNS) {
      c.letter();
      if ((KEY_ID.contains(c.name()) || KEY_SEQ_ID.contains(c.name())) && !c.everyFormat())
        throw new IllegalStateException("key column " + c.name() + " (" + c.type() + ") is not carried by "
            + c.refusals());
    }
  }
}
