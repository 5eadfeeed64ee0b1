// The table of the Flink SQL conformance stage (docs/flink-conformance.md), as upsertkit's
// structs: one line per column, in the order of the Java list
// tests/flink/src/main/java/io/upsertkit/conformance/EveryTypeTable.java, whose DDL the program
// checks these structs against (upsertkit::ddl::check names any column that differs). Adding a
// column is one line there and one line here (and, for a ROW, its struct below, declared once).
#ifndef UPSERTKIT_TESTS_FLINK_EVERY_TYPE_TABLE_HPP
#define UPSERTKIT_TESTS_FLINK_EVERY_TYPE_TABLE_HPP

#include <upsertkit/schema.hpp>
#include <upsertkit/types.hpp>

#include <boost/hana/define_struct.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flink_conformance {

// The ROW types of the table's columns, fields in the DDL's order, named as the DDL names them.
// Flink makes every field of a nullable ROW nullable, whatever it declares (Calcite), so such a
// field is a std::optional even where the DDL says NOT NULL (ddl::check requires it).
struct row_flat {  // ROW<x STRING, y BYTES, z INT NOT NULL> (nullable: z is nullable too)
  BOOST_HANA_DEFINE_STRUCT(row_flat, (std::optional<std::string_view>, x),
                           (std::optional<upsertkit::bytes>, y), (std::optional<std::int32_t>, z));
};
struct row_flat_nn {  // ROW<s STRING NOT NULL, t TIMESTAMP(3), n DECIMAL(18, 4)> NOT NULL
  BOOST_HANA_DEFINE_STRUCT(row_flat_nn, (std::string, s), (std::optional<upsertkit::timestamp>, t),
                           (std::optional<upsertkit::decimal<18, 4>>, n));
};
struct row_item {  // ROW<id BIGINT NOT NULL, label STRING, ts TIMESTAMP(3)>, a nullable element
  BOOST_HANA_DEFINE_STRUCT(row_item, (std::optional<std::int64_t>, id),
                           (std::optional<std::string_view>, label),
                           (std::optional<upsertkit::timestamp>, ts));
};
struct row_line {  // ROW<qty INT NOT NULL, price DECIMAL(10, 2)> NOT NULL, an element
  BOOST_HANA_DEFINE_STRUCT(row_line, (std::int32_t, qty),
                           (std::optional<upsertkit::decimal<10, 2>>, price));
};
struct row_de {  // ROW<d DOUBLE, e DECIMAL(10, 2)>
  BOOST_HANA_DEFINE_STRUCT(row_de, (std::optional<double>, d),
                           (std::optional<upsertkit::decimal<10, 2>>, e));
};
struct row_abc {  // ROW<a STRING, b INT NOT NULL, c ROW<...>> (nullable: b is nullable too)
  BOOST_HANA_DEFINE_STRUCT(row_abc, (std::optional<std::string_view>, a),
                           (std::optional<std::int32_t>, b), (std::optional<row_de>, c));
};
struct row_abc_nn {  // ROW<a STRING, b INT NOT NULL, c ROW<...>> NOT NULL
  BOOST_HANA_DEFINE_STRUCT(row_abc_nn, (std::optional<std::string>, a), (std::int32_t, b),
                           (std::optional<row_de>, c));
};

}  // namespace flink_conformance

// The columns, in order, one line each, the C++ member type last (so it may hold commas). The
// letter names the formats that carry the column, as Flink's converters say (Column.letter in
// Java; the SQL script lists each column's letter): a case has the columns both its value
// formats carry, so its struct has those lines.
//   X(name, type)  json, csv and avro: a member of every struct;
//   A(name, type)  json and avro, not csv (MAP, MULTISET, nesting deeper than csv's one level
//                  of simple types): a member of every_type_avro_row and every_type_wide_row;
//   C(name, type)  json and csv, not avro (TIMESTAMP(p > 3), TIMESTAMP_LTZ): a member of
//                  every_type_csv_row and every_type_wide_row;
//   J(name, type)  json only (TIME(p > 3)): a member of every_type_wide_row only.
#define UPSERTKIT_FLINK_EVERY_TYPE_COLUMNS(X, A, C, J)                                        \
  X(k_id, std::string_view)                                                                   \
  X(k_seq, std::int32_t)                                                                      \
  X(c_string, std::optional<std::string_view>)                                                \
  X(c_string_nn, std::string_view)                                                            \
  X(c_boolean, std::optional<bool>)                                                           \
  X(c_boolean_nn, bool)                                                                       \
  X(c_tinyint, std::optional<std::int8_t>)                                                    \
  X(c_smallint, std::optional<std::int16_t>)                                                  \
  X(c_int, std::optional<std::int32_t>)                                                       \
  X(c_bigint, std::optional<std::int64_t>)                                                    \
  X(c_bigint_nn, std::int64_t)                                                                \
  X(c_float, std::optional<float>)                                                            \
  X(c_double, std::optional<double>)                                                          \
  X(c_double_nn, double)                                                                      \
  X(c_decimal_10_2, std::optional<upsertkit::decimal<10, 2>>)                                 \
  X(c_decimal_18_6, std::optional<upsertkit::decimal<18, 6>>)                                 \
  X(c_decimal_5_0, std::optional<upsertkit::decimal<5, 0>>)                                   \
  X(c_decimal_18_18, std::optional<upsertkit::decimal<18, 18>>)                               \
  X(c_decimal_nn, upsertkit::decimal<18, 4>)                                                  \
  X(c_date, std::optional<upsertkit::date>)                                                   \
  X(c_timestamp, std::optional<upsertkit::timestamp>)                                         \
  X(c_timestamp_nn, upsertkit::timestamp)                                                     \
  X(c_bytes, std::optional<upsertkit::bytes>)                                                 \
  X(c_bytes_nn, upsertkit::bytes)                                                             \
  X(c_time, std::optional<upsertkit::time_of_day<0>>)                                         \
  X(c_time_3_nn, upsertkit::time_of_day<3>)                                                   \
  X(c_timestamp_0, std::optional<upsertkit::local_timestamp<0>>)                              \
  X(c_decimal_38_10, std::optional<upsertkit::decimal<38, 10>>)                               \
  X(c_decimal_38_nn, upsertkit::decimal<38, 0>)                                               \
  J(c_time_9, std::optional<upsertkit::time_of_day<9>>)                                       \
  C(c_timestamp_6, std::optional<upsertkit::local_timestamp<6>>)                              \
  C(c_timestamp_9, std::optional<upsertkit::local_timestamp<9>>)                              \
  C(c_ltz_0, std::optional<upsertkit::timestamp_ltz<0>>)                                      \
  C(c_ltz_3, std::optional<upsertkit::timestamp_ltz<3>>)                                      \
  C(c_ltz_9, std::optional<upsertkit::timestamp_ltz<9>>)                                      \
  X(c_arr_int, std::optional<std::vector<std::optional<std::int32_t>>>)                       \
  X(c_arr_string, std::optional<std::vector<std::string_view>>)                               \
  X(c_arr_double_nn, std::vector<std::optional<double>>)                                      \
  X(c_arr_decimal, std::optional<std::vector<std::optional<upsertkit::decimal<10, 2>>>>)      \
  X(c_arr_timestamp, std::optional<std::vector<std::optional<upsertkit::timestamp>>>)         \
  X(c_arr_bytes, std::optional<std::vector<std::optional<upsertkit::bytes>>>)                 \
  X(c_arr_date, std::optional<std::vector<std::optional<upsertkit::date>>>)                   \
  X(c_row_flat, std::optional<flink_conformance::row_flat>)                                   \
  X(c_row_flat_nn, flink_conformance::row_flat_nn)                                            \
  A(c_arr_row, std::optional<std::vector<std::optional<flink_conformance::row_item>>>)        \
  A(c_arr_row_nn, std::vector<flink_conformance::row_line>)                                   \
  A(c_arr_arr, std::optional<std::vector<std::optional<std::vector<std::int32_t>>>>)          \
  A(c_map, std::optional<std::map<std::string, std::optional<std::int32_t>>>)                 \
  A(c_map_arr,                                                                                \
    std::optional<                                                                            \
        std::map<std::string_view, std::optional<std::vector<std::optional<std::int64_t>>>>>) \
  A(c_map_nn, std::map<std::string, double>)                                                  \
  A(c_multiset, std::optional<upsertkit::multiset<std::string>>)                              \
  A(c_row, std::optional<flink_conformance::row_abc>)                                         \
  A(c_row_nn, flink_conformance::row_abc_nn)

namespace flink_conformance {

#define UPSERTKIT_FLINK_MEMBER(name, ...) __VA_ARGS__ name;
#define UPSERTKIT_FLINK_SKIP(name, ...)
// X + C: the cases whose value formats are json and csv, or csv.
struct every_type_csv_row {
  UPSERTKIT_FLINK_EVERY_TYPE_COLUMNS(UPSERTKIT_FLINK_MEMBER, UPSERTKIT_FLINK_SKIP,
                                     UPSERTKIT_FLINK_MEMBER, UPSERTKIT_FLINK_SKIP)
};
// X + A: json and avro, or avro.
struct every_type_avro_row {
  UPSERTKIT_FLINK_EVERY_TYPE_COLUMNS(UPSERTKIT_FLINK_MEMBER, UPSERTKIT_FLINK_MEMBER,
                                     UPSERTKIT_FLINK_SKIP, UPSERTKIT_FLINK_SKIP)
};
// Every column: json only.
struct every_type_wide_row {
  UPSERTKIT_FLINK_EVERY_TYPE_COLUMNS(UPSERTKIT_FLINK_MEMBER, UPSERTKIT_FLINK_MEMBER,
                                     UPSERTKIT_FLINK_MEMBER, UPSERTKIT_FLINK_MEMBER)
};
#undef UPSERTKIT_FLINK_MEMBER

namespace detail {
// upsertkit::columns<...> of the columns after a leading `void` (the lists below are written
// with a comma before each column, so they need something first).
template <class First, class... Columns>
struct columns_after_first {
  using type = upsertkit::columns<Columns...>;
};

#define UPSERTKIT_FLINK_CSV_COLUMN(name, ...) , upsertkit::column<#name, &every_type_csv_row::name>
#define UPSERTKIT_FLINK_AVRO_COLUMN(name, ...) \
  , upsertkit::column<#name, &every_type_avro_row::name>
#define UPSERTKIT_FLINK_WIDE_COLUMN(name, ...) \
  , upsertkit::column<#name, &every_type_wide_row::name>
using every_type_csv_columns = columns_after_first<void UPSERTKIT_FLINK_EVERY_TYPE_COLUMNS(
    UPSERTKIT_FLINK_CSV_COLUMN, UPSERTKIT_FLINK_SKIP, UPSERTKIT_FLINK_CSV_COLUMN,
    UPSERTKIT_FLINK_SKIP)>::type;
using every_type_avro_columns = columns_after_first<void UPSERTKIT_FLINK_EVERY_TYPE_COLUMNS(
    UPSERTKIT_FLINK_AVRO_COLUMN, UPSERTKIT_FLINK_AVRO_COLUMN, UPSERTKIT_FLINK_SKIP,
    UPSERTKIT_FLINK_SKIP)>::type;
using every_type_wide_columns = columns_after_first<void UPSERTKIT_FLINK_EVERY_TYPE_COLUMNS(
    UPSERTKIT_FLINK_WIDE_COLUMN, UPSERTKIT_FLINK_WIDE_COLUMN, UPSERTKIT_FLINK_WIDE_COLUMN,
    UPSERTKIT_FLINK_WIDE_COLUMN)>::type;
#undef UPSERTKIT_FLINK_CSV_COLUMN
#undef UPSERTKIT_FLINK_AVRO_COLUMN
#undef UPSERTKIT_FLINK_WIDE_COLUMN
#undef UPSERTKIT_FLINK_SKIP
}  // namespace detail

}  // namespace flink_conformance

// upsertkit::columns rather than BOOST_HANA_ADAPT_STRUCT: that macro takes at most 39 members.
template <>
struct boost::hana::accessors_impl<flink_conformance::every_type_csv_row>
    : flink_conformance::detail::every_type_csv_columns {};
template <>
struct boost::hana::accessors_impl<flink_conformance::every_type_avro_row>
    : flink_conformance::detail::every_type_avro_columns {};
template <>
struct boost::hana::accessors_impl<flink_conformance::every_type_wide_row>
    : flink_conformance::detail::every_type_wide_columns {};

namespace flink_conformance {

// The tables: PRIMARY KEY (k_id), and (k_seq, k_id), declared against the field order, on each
// struct a case uses (conformance.cpp picks the one whose columns are the case's). The formats
// the stage uses (raw is not among them); the json-only case's table needs json alone.
using formats = upsertkit::formats<"json", "csv", "avro">;
template <class Row>
using key_id = upsertkit::table<Row, upsertkit::primary_key<"k_id">, formats>;
template <class Row>
using key_seq_id = upsertkit::table<Row, upsertkit::primary_key<"k_seq", "k_id">, formats>;
using wide_key_seq_id =
    upsertkit::table<every_type_wide_row, upsertkit::primary_key<"k_seq", "k_id">,
                     upsertkit::formats<"json">>;

}  // namespace flink_conformance

#undef UPSERTKIT_FLINK_EVERY_TYPE_COLUMNS

#endif  // UPSERTKIT_TESTS_FLINK_EVERY_TYPE_TABLE_HPP
