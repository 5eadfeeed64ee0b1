// Tables and sample rows shared by tests/avro_test.cpp and the interoperability driver
// (tests/avro_interop/interop_driver.cpp). interop.py holds the same rows in Python.
#ifndef UPSERTKIT_TESTS_AVRO_TABLES_HPP
#define UPSERTKIT_TESTS_AVRO_TABLES_HPP

#include <upsertkit/schema.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace avro_tables {

// Every column type, NOT NULL.
struct AllTypes {
  std::int64_t id;
  bool flag;
  std::int8_t tiny;
  std::int16_t small;
  std::int32_t integer;
  std::int64_t big;
  float real;
  double dbl;
  upsertkit::decimal<10, 2> amount;
  upsertkit::decimal<18, 4> wide;
  upsertkit::date day;
  upsertkit::timestamp ts;
  std::string owned;
  std::string_view name;
  upsertkit::bytes data;

  friend bool operator==(const AllTypes&, const AllTypes&) = default;
};

// Every column type, nullable (but the key).
struct Nullables {
  std::int64_t id;
  std::optional<bool> flag;
  std::optional<std::int8_t> tiny;
  std::optional<std::int16_t> small;
  std::optional<std::int32_t> integer;
  std::optional<std::int64_t> big;
  std::optional<float> real;
  std::optional<double> dbl;
  std::optional<upsertkit::decimal<10, 2>> amount;
  std::optional<upsertkit::decimal<18, 4>> wide;
  std::optional<upsertkit::date> day;
  std::optional<upsertkit::timestamp> ts;
  std::optional<std::string> owned;
  std::optional<std::string_view> name;
  std::optional<upsertkit::bytes> data;

  friend bool operator==(const Nullables&, const Nullables&) = default;
};

// The reference's test vector: value (order_id NOT NULL, amount DOUBLE, status STRING).
struct Payment {
  std::string_view order_id;
  std::optional<double> amount;
  std::optional<std::string_view> status;

  friend bool operator==(const Payment&, const Payment&) = default;
};

}  // namespace avro_tables

BOOST_HANA_ADAPT_STRUCT(avro_tables::AllTypes, id, flag, tiny, small, integer, big, real, dbl,
                        amount, wide, day, ts, owned, name, data);
BOOST_HANA_ADAPT_STRUCT(avro_tables::Nullables, id, flag, tiny, small, integer, big, real, dbl,
                        amount, wide, day, ts, owned, name, data);
BOOST_HANA_ADAPT_STRUCT(avro_tables::Payment, order_id, amount, status);

namespace avro_tables {

using all_types = upsertkit::table<AllTypes, upsertkit::primary_key<"id">>;
using nullables = upsertkit::table<Nullables, upsertkit::primary_key<"id">>;
using payments = upsertkit::table<Payment, upsertkit::primary_key<"order_id">>;

// 2020-03-08 13:12:11.123 and 2023-03-25 as the types hold them.
inline constexpr std::int64_t ts_2020_03_08_13_12_11_123 = 1583673131123;
inline constexpr std::int32_t day_2023_03_25 = 19441;

// Extremes of every type, then the other extremes, then small values. Floats are exact in
// binary so Python compares them without rounding questions.
inline const std::array<AllTypes, 3> all_types_rows = {{
    {1,
     true,
     -128,
     32767,
     std::numeric_limits<std::int32_t>::min(),
     std::numeric_limits<std::int64_t>::max(),
     1.5F,
     60.0,
     {6000},
     {-123456789012345678},
     {day_2023_03_25},
     {ts_2020_03_08_13_12_11_123},
     "Bob",
     "\xc3\xbcn\xc3\xaf"
     "code \xe2\x9c\x93",
     upsertkit::bytes("\x00\xff\x01", 3)},
    {-1,
     false,
     127,
     -32768,
     std::numeric_limits<std::int32_t>::max(),
     std::numeric_limits<std::int64_t>::min(),
     -0.25F,
     1.0e7,
     {-1},
     {999999999999999999},
     {-1},
     {-1},
     "",
     "x",
     upsertkit::bytes()},
    {0,
     false,
     0,
     0,
     0,
     0,
     0.0F,
     -0.5,
     {0},
     {128},
     {0},
     {0},
     "a \"quoted\" \\ text",
     "",
     upsertkit::bytes("\x80\x7f\x00\x00", 4)},
}};

inline const std::array<Nullables, 2> nullables_rows = {{
    {7, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
     std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
     std::nullopt, std::nullopt},
    {8, true, -1, 300, 70000, 1LL << 40, 3.25F, 0.1, upsertkit::decimal<10, 2>{-12345},
     upsertkit::decimal<18, 4>{-128}, upsertkit::date{-719162},
     upsertkit::timestamp{-62135596800000}, "owned", "view", upsertkit::bytes("\xff", 1)},
}};

}  // namespace avro_tables

#endif  // UPSERTKIT_TESTS_AVRO_TABLES_HPP
