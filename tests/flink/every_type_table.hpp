// The table of the Flink SQL conformance stage (docs/flink-conformance.md), as upsertkit's
// structs: one line per column, in the order of the Java list
// tests/flink/src/main/java/io/upsertkit/conformance/EveryTypeTable.java, whose DDL the program
// checks these structs against (upsertkit::ddl::check names any column that differs). Adding a
// column is one line there and one line here.
#ifndef UPSERTKIT_TESTS_FLINK_EVERY_TYPE_TABLE_HPP
#define UPSERTKIT_TESTS_FLINK_EVERY_TYPE_TABLE_HPP

#include <upsertkit/schema.hpp>
#include <upsertkit/types.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

// The columns, in order, one line each, the C++ member type last (so it may hold commas):
//   X(name, type)  a column of every case (Column.of in EveryTypeTable.java);
//   J(name, type)  a column only Flink's json format carries (Column.jsonOnly: TIME(6),
//                  TIMESTAMP(6) in avro, ...): a member of every_type_wide_row only, the table of
//                  the json-only case (json_json_wide).
#define UPSERTKIT_FLINK_EVERY_TYPE_COLUMNS(X, J)                 \
  X(k_id, std::string_view)                                      \
  X(k_seq, std::int32_t)                                         \
  X(c_string, std::optional<std::string_view>)                   \
  X(c_string_nn, std::string_view)                               \
  X(c_boolean, std::optional<bool>)                              \
  X(c_boolean_nn, bool)                                          \
  X(c_tinyint, std::optional<std::int8_t>)                       \
  X(c_smallint, std::optional<std::int16_t>)                     \
  X(c_int, std::optional<std::int32_t>)                          \
  X(c_bigint, std::optional<std::int64_t>)                       \
  X(c_bigint_nn, std::int64_t)                                   \
  X(c_float, std::optional<float>)                               \
  X(c_double, std::optional<double>)                             \
  X(c_double_nn, double)                                         \
  X(c_decimal_10_2, std::optional<upsertkit::decimal<10, 2>>)    \
  X(c_decimal_18_6, std::optional<upsertkit::decimal<18, 6>>)    \
  X(c_decimal_5_0, std::optional<upsertkit::decimal<5, 0>>)      \
  X(c_decimal_18_18, std::optional<upsertkit::decimal<18, 18>>)  \
  X(c_decimal_nn, upsertkit::decimal<18, 4>)                     \
  X(c_date, std::optional<upsertkit::date>)                      \
  X(c_timestamp, std::optional<upsertkit::timestamp>)            \
  X(c_timestamp_nn, upsertkit::timestamp)                        \
  X(c_bytes, std::optional<upsertkit::bytes>)                    \
  X(c_bytes_nn, upsertkit::bytes)                                \
  X(c_time, std::optional<upsertkit::time_of_day<0>>)            \
  X(c_time_3_nn, upsertkit::time_of_day<3>)                      \
  X(c_timestamp_0, std::optional<upsertkit::local_timestamp<0>>) \
  X(c_decimal_38_10, std::optional<upsertkit::decimal<38, 10>>)  \
  X(c_decimal_38_nn, upsertkit::decimal<38, 0>)                  \
  J(c_time_9, std::optional<upsertkit::time_of_day<9>>)          \
  J(c_timestamp_6, std::optional<upsertkit::local_timestamp<6>>) \
  J(c_timestamp_9, std::optional<upsertkit::local_timestamp<9>>) \
  J(c_ltz_0, std::optional<upsertkit::timestamp_ltz<0>>)         \
  J(c_ltz_3, std::optional<upsertkit::timestamp_ltz<3>>)         \
  J(c_ltz_9, std::optional<upsertkit::timestamp_ltz<9>>)

namespace flink_conformance {

#define UPSERTKIT_FLINK_MEMBER(name, ...) __VA_ARGS__ name;
#define UPSERTKIT_FLINK_SKIP(name, ...)
struct every_type_row {
  UPSERTKIT_FLINK_EVERY_TYPE_COLUMNS(UPSERTKIT_FLINK_MEMBER, UPSERTKIT_FLINK_SKIP)
};
struct every_type_wide_row {
  UPSERTKIT_FLINK_EVERY_TYPE_COLUMNS(UPSERTKIT_FLINK_MEMBER, UPSERTKIT_FLINK_MEMBER)
};
#undef UPSERTKIT_FLINK_MEMBER

namespace detail {
// upsertkit::columns<...> of the columns after a leading `void` (the lists below are written
// with a comma before each column, so they need something first).
template <class First, class... Columns>
struct columns_after_first {
  using type = upsertkit::columns<Columns...>;
};

#define UPSERTKIT_FLINK_COLUMN(name, ...) , upsertkit::column<#name, &every_type_row::name>
#define UPSERTKIT_FLINK_WIDE_COLUMN(name, ...) \
  , upsertkit::column<#name, &every_type_wide_row::name>
using every_type_columns = columns_after_first<void UPSERTKIT_FLINK_EVERY_TYPE_COLUMNS(
    UPSERTKIT_FLINK_COLUMN, UPSERTKIT_FLINK_SKIP)>::type;
using every_type_wide_columns = columns_after_first<void UPSERTKIT_FLINK_EVERY_TYPE_COLUMNS(
    UPSERTKIT_FLINK_WIDE_COLUMN, UPSERTKIT_FLINK_WIDE_COLUMN)>::type;
#undef UPSERTKIT_FLINK_COLUMN
#undef UPSERTKIT_FLINK_WIDE_COLUMN
#undef UPSERTKIT_FLINK_SKIP
}  // namespace detail

}  // namespace flink_conformance

// upsertkit::columns rather than BOOST_HANA_ADAPT_STRUCT: that macro takes at most 39 members,
// and more types are coming.
template <>
struct boost::hana::accessors_impl<flink_conformance::every_type_row>
    : flink_conformance::detail::every_type_columns {};
template <>
struct boost::hana::accessors_impl<flink_conformance::every_type_wide_row>
    : flink_conformance::detail::every_type_wide_columns {};

namespace flink_conformance {

// The tables: PRIMARY KEY (k_id), and (k_seq, k_id), declared against the field order; the
// json-only case's on the wide struct. The formats the stage uses (raw is not among them).
using formats = upsertkit::formats<"json", "csv", "avro">;
using key_id = upsertkit::table<every_type_row, upsertkit::primary_key<"k_id">, formats>;
using key_seq_id =
    upsertkit::table<every_type_row, upsertkit::primary_key<"k_seq", "k_id">, formats>;
using wide_key_seq_id =
    upsertkit::table<every_type_wide_row, upsertkit::primary_key<"k_seq", "k_id">, formats>;

}  // namespace flink_conformance

#undef UPSERTKIT_FLINK_EVERY_TYPE_COLUMNS

#endif  // UPSERTKIT_TESTS_FLINK_EVERY_TYPE_TABLE_HPP
