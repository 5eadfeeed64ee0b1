package io.upsertkit.conformance;

import java.util.List;

/**
 * THE table of the conformance stage: every column type upsertkit supports, nullable and NOT
 * NULL. The DDL of every case is generated from this list, and the generator fills each column
 * from its type alone, so adding a column is one line here and one line in
 * tests/flink/every_type_table.hpp (the C++ struct, in the same order; the C++ program checks the
 * two against each other with upsertkit::ddl::check and names any mismatch).
 *
 * <p>A type that Flink's csv or avro format cannot carry (TIME(6), TIMESTAMP(6) in avro, ...) is
 * declared with {@link Column#jsonOnly}: it is then a column of the json-only case
 * ({@code *_wide}) alone, and a J(...) line in the C++ header. The generator refuses to start
 * when a column declared with {@link Column#of} is one of those, and says which format refuses it.
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
      Column.jsonOnly("c_time_9", "TIME(9)"),
      Column.jsonOnly("c_timestamp_6", "TIMESTAMP(6)"),
      Column.jsonOnly("c_timestamp_9", "TIMESTAMP(9)"),
      Column.jsonOnly("c_ltz_0", "TIMESTAMP_LTZ(0)"),
      Column.jsonOnly("c_ltz_3", "TIMESTAMP_LTZ(3)"),
      Column.jsonOnly("c_ltz_9", "TIMESTAMP_LTZ(9)"));

  /** PRIMARY KEY (k_id). */
  public static final List<String> KEY_ID = List.of("k_id");
  /** PRIMARY KEY (k_seq, k_id): declaration order differs from field order on purpose. */
  public static final List<String> KEY_SEQ_ID = List.of("k_seq", "k_id");

  public static Column column(String name) {
    for (Column c : COLUMNS)
      if (c.name().equals(name)) return c;
    throw new IllegalArgumentException("no column " + name);
  }

  /** The columns every format carries: the table of every case but the json-only one. */
  public static List<Column> everyFormat() {
    return COLUMNS.stream().filter(c -> !c.jsonOnly()).toList();
  }

  /** Throws when a column declared for every format is one that csv or avro cannot carry. */
  public static void check() {
    for (Column c : COLUMNS) {
      String why = c.jsonOnly() ? null : c.notEveryFormat();
      if (why != null)
        throw new IllegalStateException("column " + c.name() + " (" + c.type().text()
            + ") is declared with Column.of, for every format, but Flink's " + why
            + "; declare it with Column.jsonOnly (and J(...) in tests/flink/every_type_table.hpp)");
    }
  }
}
