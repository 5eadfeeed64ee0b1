// TIME(p), TIMESTAMP(p), TIMESTAMP_LTZ(p) for p = 0..9 and DECIMAL(p, s) up to p = 38 (issue 17):
// the C++ types, their text, and each format in both directions, against what Flink 1.20's
// formats read and write (flink-json JsonParserToRowDataConverters / RowDataToJsonConverters,
// flink-csv CsvToRowDataConverters / RowDataToCsvConverters, flink-avro AvroSchemaConverter,
// java.time's toString for the print sink).
#include <gtest/gtest.h>
#include <upsertkit/formats/avro.hpp>
#include <upsertkit/formats/csv.hpp>
#include <upsertkit/formats/json.hpp>
#include <upsertkit/formats/raw.hpp>
#include <upsertkit/materializer.hpp>
#include <upsertkit/print.hpp>
#include <upsertkit/row_codec.hpp>
#include <upsertkit/schema.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace column_types_test {

using upsertkit::day_time;
using upsertkit::decimal;
using upsertkit::local_timestamp;
using upsertkit::time_of_day;
using upsertkit::timestamp_ltz;
namespace text = upsertkit::text;

constexpr std::int64_t nanos_per_second = 1'000'000'000;

struct Temporal {
  std::int64_t id = 0;
  std::optional<local_timestamp<0>> ts0;
  std::optional<local_timestamp<6>> ts6;
  std::optional<local_timestamp<9>> ts9;
  std::optional<timestamp_ltz<3>> ltz3;
  std::optional<timestamp_ltz<9>> ltz9;
  std::optional<time_of_day<0>> t0;
  std::optional<time_of_day<3>> t3;
  std::optional<decimal<38, 10>> d38;
  std::optional<decimal<20, 0>> d20;
};

}  // namespace column_types_test

BOOST_HANA_ADAPT_STRUCT(column_types_test::Temporal, id, ts0, ts6, ts9, ltz3, ltz9, t0, t3, d38,
                        d20);

namespace column_types_test {

using temporal = upsertkit::table<Temporal, upsertkit::primary_key<"id">>;

// The member types, their SQL types and precisions.
static_assert(upsertkit::column_traits<local_timestamp<6>>::type == upsertkit::sql_type::timestamp);
static_assert(upsertkit::column_traits<local_timestamp<6>>::precision == 6);
static_assert(
    std::is_same_v<local_timestamp<6>, std::chrono::local_time<std::chrono::microseconds>>);
static_assert(std::is_same_v<timestamp_ltz<3>, std::chrono::sys_time<std::chrono::milliseconds>>);
static_assert(upsertkit::column_traits<std::chrono::local_time<std::chrono::seconds>>::precision ==
              0);
static_assert(upsertkit::column_traits<timestamp_ltz<9>>::type ==
              upsertkit::sql_type::timestamp_ltz);
static_assert(upsertkit::column_traits<std::optional<time_of_day<7>>>::type ==
              upsertkit::sql_type::time);
static_assert(upsertkit::column_traits<upsertkit::timestamp>::precision == 3);
static_assert(upsertkit::column_traits<decimal<38, 2>>::precision == 38);
static_assert(std::is_same_v<decimal<18, 2>::unscaled_type, std::int64_t>);
static_assert(std::is_same_v<decimal<19, 2>::unscaled_type, upsertkit::int128>);
// Only int64 counts of 10^-p seconds: other reps and periods are not column types.
static_assert(!upsertkit::column_type<std::chrono::local_time<std::chrono::duration<int>>>);
static_assert(!upsertkit::column_type<
              std::chrono::local_time<std::chrono::duration<std::int64_t, std::ratio<1, 60>>>>);
static_assert(!upsertkit::column_type<std::chrono::file_clock::time_point>);
static_assert(!upsertkit::column_type<std::chrono::minutes>);

// ---------------------------------------------------------------------------------------------
// day_time: split and join

TEST(DayTime, SqlTypeTextHasThePrecision) {
  EXPECT_EQ(upsertkit::detail::sql_type_text<std::optional<timestamp_ltz<3>>>(),
            "TIMESTAMP_LTZ(3)");
  EXPECT_EQ(upsertkit::detail::sql_type_text<time_of_day<0>>(), "TIME(0)");
  EXPECT_EQ((upsertkit::detail::sql_type_text<decimal<38, 9>>()), "DECIMAL(38, 9)");
}

TEST(DayTime, SplitsBeforeTheEpochOntoTheDayBefore) {
  const auto ts = local_timestamp<3>(std::chrono::milliseconds(-1));
  EXPECT_EQ(upsertkit::split_day_time(ts), (day_time{-1, 86'399'999'000'000}));
  EXPECT_EQ(upsertkit::join_day_time<local_timestamp<3>>({-1, 86'399'999'000'000}), ts);
}

TEST(DayTime, JoinTruncatesToThePrecision) {
  const day_time value{1, 123'456'789};
  EXPECT_EQ(upsertkit::join_day_time<local_timestamp<0>>(value)->time_since_epoch().count(),
            86'400);
  EXPECT_EQ(upsertkit::join_day_time<local_timestamp<4>>(value)->time_since_epoch().count(),
            864'001'234);
  EXPECT_EQ(upsertkit::join_day_time<time_of_day<2>>({0, 123'456'789})->since_midnight.count(), 12);
}

TEST(DayTime, NanosecondsHoldOnly1677To2262) {
  // 2262-04-11 is day 106'750 and fits; 2262-04-12 does not (int64 nanoseconds).
  EXPECT_TRUE(upsertkit::join_day_time<local_timestamp<9>>({106'750, 0}).has_value());
  EXPECT_FALSE(upsertkit::join_day_time<local_timestamp<9>>({106'752, 0}).has_value());
  EXPECT_FALSE(upsertkit::join_day_time<timestamp_ltz<9>>({-106'752, 0}).has_value());
  // TIMESTAMP(7) holds 9999-12-31 23:59:59.9999999.
  const std::int64_t last_day = upsertkit::days_from_civil(9999, 12, 31);
  EXPECT_TRUE(upsertkit::join_day_time<local_timestamp<7>>({last_day, 86'399'999'999'900}));
}

// ---------------------------------------------------------------------------------------------
// Text (text.hpp)

std::string date_time(day_time value, text::timestamp_style style, bool zone = false) {
  std::string out;
  text::append_date_time(out, value, style, zone);
  return out;
}

std::string time_text(std::int64_t nanos, text::time_style style) {
  std::string out;
  text::append_time(out, nanos, style);
  return out;
}

TEST(TemporalText, SqlTextStripsTrailingZerosOfUpToNineDigits) {
  const std::int64_t day = upsertkit::days_from_civil(2020, 3, 8);
  const std::int64_t at = (13 * 3600 + 12 * 60 + 11) * nanos_per_second;
  EXPECT_EQ(date_time({day, at}, text::timestamp_style::sql), "2020-03-08 13:12:11");
  EXPECT_EQ(date_time({day, at + 120'000'000}, text::timestamp_style::sql),
            "2020-03-08 13:12:11.12");
  EXPECT_EQ(date_time({day, at + 123'456'789}, text::timestamp_style::iso_8601),
            "2020-03-08T13:12:11.123456789");
  EXPECT_EQ(date_time({day, at + 1'000}, text::timestamp_style::sql, true),
            "2020-03-08 13:12:11.000001Z");
}

TEST(TemporalText, JavaToStringWritesGroupsOfThreeDigits) {
  const std::int64_t day = upsertkit::days_from_civil(2020, 3, 8);
  const std::int64_t noon = 12 * 3600 * nanos_per_second;
  // LocalDateTime.toString: seconds left out when they and the fraction are zero.
  EXPECT_EQ(date_time({day, noon}, text::timestamp_style::local_date_time), "2020-03-08T12:00");
  EXPECT_EQ(date_time({day, noon + 100'000'000}, text::timestamp_style::local_date_time),
            "2020-03-08T12:00:00.100");
  EXPECT_EQ(date_time({day, noon + 100'000}, text::timestamp_style::local_date_time),
            "2020-03-08T12:00:00.000100");
  EXPECT_EQ(date_time({day, noon + 1}, text::timestamp_style::local_date_time),
            "2020-03-08T12:00:00.000000001");
  // Instant.toString: seconds always, and the Z.
  EXPECT_EQ(date_time({day, noon}, text::timestamp_style::instant), "2020-03-08T12:00:00Z");
  EXPECT_EQ(date_time({day, noon + 120'000'000}, text::timestamp_style::instant),
            "2020-03-08T12:00:00.120Z");
  // LocalTime.toString and ISO_LOCAL_TIME.
  EXPECT_EQ(time_text(noon, text::time_style::local_time), "12:00");
  EXPECT_EQ(time_text(noon + nanos_per_second, text::time_style::local_time), "12:00:01");
  EXPECT_EQ(time_text(noon + 5'000'000, text::time_style::local_time), "12:00:00.005");
  EXPECT_EQ(time_text(noon, text::time_style::sql), "12:00:00");
  EXPECT_EQ(time_text(noon + 5'000'000, text::time_style::sql), "12:00:00.005");
}

TEST(TemporalText, YearsAsJavaTimeWritesThem) {
  EXPECT_EQ(date_time({upsertkit::days_from_civil(0, 1, 1), 0}, text::timestamp_style::sql),
            "0000-01-01 00:00:00");
  EXPECT_EQ(date_time({upsertkit::days_from_civil(10000, 1, 1), 0},
                      text::timestamp_style::local_date_time),
            "+10000-01-01T00:00");
  EXPECT_EQ(date_time({upsertkit::days_from_civil(-1, 12, 31), 0}, text::timestamp_style::sql),
            "-0001-12-31 00:00:00");
}

TEST(TemporalText, ParsesUpToNineFractionDigits) {
  const auto parsed =
      text::parse_date_time("2020-03-08 13:12:11.123456789", text::timestamp_standard::sql);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->days, upsertkit::days_from_civil(2020, 3, 8));
  EXPECT_EQ(parsed->nanos_of_day, (13 * 3600 + 12 * 60 + 11) * nanos_per_second + 123'456'789);
  EXPECT_FALSE(
      text::parse_date_time("2020-03-08 13:12:11.1234567891", text::timestamp_standard::sql));
  EXPECT_FALSE(text::parse_date_time("2020-03-08 13:12", text::timestamp_standard::sql));
  EXPECT_TRUE(text::parse_date_time("2020-03-08T13:12", text::timestamp_standard::iso_8601));
  EXPECT_TRUE(
      text::parse_date_time("2020-03-08 13:12:11Z", text::timestamp_standard::sql, false, true));
  EXPECT_FALSE(
      text::parse_date_time("2020-03-08 13:12:11", text::timestamp_standard::sql, false, true));
  EXPECT_FALSE(text::parse_date_time("2020-03-08 13:12:11Z", text::timestamp_standard::sql));
  EXPECT_EQ(text::parse_time("23:59:59.999999999", text::time_form::sql),
            86'400 * nanos_per_second - 1);
  EXPECT_FALSE(text::parse_time("23:59", text::time_form::sql));
  EXPECT_EQ(text::parse_time("23:59", text::time_form::iso_local),
            (23 * 60 + 59) * 60 * nanos_per_second);
  EXPECT_FALSE(text::parse_time("24:00:00", text::time_form::iso_local));
  EXPECT_FALSE(text::parse_time(" 12:00:00", text::time_form::iso_local));
}

TEST(DecimalText, ThirtyEightDigitsBothWays) {
  bool malformed = false;
  const auto max = text::parse_decimal<upsertkit::int128>("9999999999999999999999999999.9999999999",
                                                          38, 10, malformed);
  ASSERT_TRUE(max);
  std::string out;
  text::append_decimal(out, *max, 10);
  EXPECT_EQ(out, "9999999999999999999999999999.9999999999");
  // One more digit overflows DECIMAL(38, 10): NULL in Flink.
  EXPECT_FALSE(
      text::parse_decimal<upsertkit::int128>("99999999999999999999999999999", 38, 10, malformed));
  EXPECT_FALSE(malformed);
  // HALF_UP past the scale, and a negative value.
  const auto rounded = text::parse_decimal<upsertkit::int128>("-12345678901234567890.123456789015",
                                                              38, 10, malformed);
  ASSERT_TRUE(rounded);
  out.clear();
  text::append_decimal(out, *rounded, 10);
  EXPECT_EQ(out, "-12345678901234567890.1234567890");
  out.clear();
  text::append_decimal(out, upsertkit::int128{-1}, 10);
  EXPECT_EQ(out, "-1E-10");  // BigDecimal.toString's scientific form below 10^-6
  EXPECT_FALSE(text::parse_decimal<upsertkit::int128>("1x", 38, 0, malformed));
  EXPECT_TRUE(malformed);
}

// ---------------------------------------------------------------------------------------------
// Formats

Temporal sample_row() {
  Temporal row;
  row.id = 7;
  const std::int64_t day = upsertkit::days_from_civil(2020, 3, 8);
  const std::int64_t at = (13 * 3600 + 12 * 60 + 11) * nanos_per_second;
  row.ts0 = upsertkit::join_day_time<local_timestamp<0>>({day, at});
  row.ts6 = upsertkit::join_day_time<local_timestamp<6>>({day, at + 123'456'000});
  row.ts9 = upsertkit::join_day_time<local_timestamp<9>>({day, at + 123'456'789});
  row.ltz3 = upsertkit::join_day_time<timestamp_ltz<3>>({day, at + 120'000'000});
  row.ltz9 = upsertkit::join_day_time<timestamp_ltz<9>>({-1, 1});
  row.t0 = time_of_day<0>{std::chrono::seconds(3600)};
  row.t3 = time_of_day<3>{std::chrono::milliseconds(3'600'005)};
  row.d38 = decimal<38, 10>{upsertkit::int128{-12345} * 1'000'000'000'000'000'000 - 1};
  row.d20 = decimal<20, 0>{upsertkit::int128{1} << 64};
  return row;
}

template <class Table>
std::string printed(const typename Table::row_type& row) {
  std::string out;
  upsertkit::append_printed_row<Table>(out, upsertkit::row_kind::insert, row,
                                       upsertkit::print_style::modern);
  return out;
}

TEST(TemporalPrint, AsFlinksPrintSinkWritesThem) {
  EXPECT_EQ(printed<temporal>(sample_row()),
            "+I[7, 2020-03-08T13:12:11, 2020-03-08T13:12:11.123456, "
            "2020-03-08T13:12:11.123456789, 2020-03-08T13:12:11.120Z, "
            "1969-12-31T00:00:00.000000001Z, 01:00, 01:00:00.005, "
            "-1234500000000.0000000001, 18446744073709551616]");
  EXPECT_EQ(printed<temporal>(Temporal{}),
            "+I[0, null, null, null, null, null, null, null, null, null]");
}

template <class Table>
upsertkit::json::codec<Table> json_value_codec(upsertkit::json::options opts = {}) {
  return upsertkit::json::codec<Table>(upsertkit::table_projections<Table>().value, opts,
                                       upsertkit::json::role::value);
}

TEST(TemporalJson, EncodesFlinksTextAndDecodesItBack) {
  auto codec = json_value_codec<temporal>();
  std::string out;
  codec.encode(sample_row(), out);
  // TIME loses its fraction in Flink's JSON (LocalTime.ofSecondOfDay(millis / 1000)).
  EXPECT_EQ(out, R"({"id":7,"ts0":"2020-03-08 13:12:11","ts6":"2020-03-08 13:12:11.123456",)"
                 R"("ts9":"2020-03-08 13:12:11.123456789","ltz3":"2020-03-08 13:12:11.12Z",)"
                 R"("ltz9":"1969-12-31 00:00:00.000000001Z","t0":"01:00:00","t3":"01:00:00",)"
                 R"("d38":-1234500000000.0000000001,"d20":18446744073709551616})");
  Temporal back;
  ASSERT_TRUE(codec.decode(out, back));
  Temporal expected = sample_row();
  expected.t3 = time_of_day<3>{std::chrono::milliseconds(3'600'000)};
  EXPECT_EQ(printed<temporal>(back), printed<temporal>(expected));
}

TEST(TemporalJson, IsoStandardAndTruncationToThePrecision) {
  upsertkit::json::options opts;
  opts.timestamp_standard = text::timestamp_standard::iso_8601;
  auto codec = json_value_codec<temporal>(opts);
  Temporal row;
  ASSERT_TRUE(codec.decode(R"({"id":1,"ts0":"2020-03-08T13:12:11.999","ts6":"2020-03-08T13:12",)"
                           R"("ltz3":"2020-03-08T13:12:11.1239Z","t0":"10:11:12.999"})",
                           row));
  EXPECT_EQ(printed<temporal>(row),
            "+I[1, 2020-03-08T13:12:11, 2020-03-08T13:12, null, 2020-03-08T13:12:11.123Z, null, "
            "10:11:12, null, null, null]");
}

TEST(TemporalJson, ErrorsNameTheColumnTheTextAndTheRange) {
  auto codec = json_value_codec<temporal>();
  Temporal row;
  auto status = codec.decode(R"({"id":1,"ltz3":"2020-03-08 13:12:11"})", row);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.failure().field, "ltz3");
  EXPECT_EQ(status.failure().message,
            R"(cannot read "2020-03-08 13:12:11" as TIMESTAMP_LTZ(3) (yyyy-MM-dd HH:mm:ss[.f]Z))");
  status = codec.decode(R"({"id":1,"ts9":"2263-01-01 00:00:00"})", row);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.failure().field, "ts9");
  EXPECT_EQ(status.failure().message,
            R"(cannot read "2263-01-01 00:00:00" as TIMESTAMP(9) (yyyy-MM-dd HH:mm:ss[.f], from )"
            "1677-09-21 00:12:43.145224192 to 2262-04-11 23:47:16.854775807)");
  status = codec.decode(R"({"id":1,"t3":"25:00:00"})", row);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.failure().message, R"(cannot read "25:00:00" as TIME(3) (HH:mm:ss[.f]))");
  // A DECIMAL(38, 10) that overflows is NULL, as Flink's DecimalData.fromBigDecimal.
  ASSERT_TRUE(codec.decode(R"({"id":1,"d38":1e28})", row));
  EXPECT_FALSE(row.d38.has_value());
  ASSERT_TRUE(codec.decode(R"({"id":1,"d38":"9.99999999999999999999999999999e27"})", row));
  ASSERT_TRUE(row.d38.has_value());
}

template <class Table>
upsertkit::csv::codec<Table> csv_value_codec(upsertkit::csv::options opts = {}) {
  return upsertkit::csv::codec<Table>(upsertkit::table_projections<Table>().value, std::move(opts));
}

TEST(TemporalCsv, EncodesFlinksTextAndDecodesItBack) {
  auto codec = csv_value_codec<temporal>();
  std::string out;
  codec.encode(sample_row(), out);
  EXPECT_EQ(out,
            "7,\"2020-03-08 13:12:11\",\"2020-03-08 13:12:11.123456\","
            "\"2020-03-08 13:12:11.123456789\",\"2020-03-08 13:12:11.12Z\","
            "\"1969-12-31 00:00:00.000000001Z\",01:00:00,01:00:00.005,"
            // Jackson quotes a text longer than 24 characters, and a BigDecimal is a text to it.
            "\"-1234500000000.0000000001\",18446744073709551616");
  Temporal back;
  ASSERT_TRUE(codec.decode(out, back));
  Temporal expected = sample_row();
  expected.t3 = time_of_day<3>{std::chrono::seconds(3600)};  // read back in whole seconds
  EXPECT_EQ(printed<temporal>(back), printed<temporal>(expected));
}

TEST(TemporalCsv, TimeReadsIsoLocalTimeAndRefusesPrecisionAboveThree) {
  upsertkit::csv::options opts;
  opts.null_literal = "N";
  auto codec = csv_value_codec<temporal>(opts);
  Temporal row;
  ASSERT_TRUE(codec.decode("1,N,N,N,N,N,10:11,10:11:12.3456,N,N", row));
  EXPECT_EQ(row.t0->since_midnight, std::chrono::seconds(10 * 3600 + 11 * 60));
  // Whole seconds: Flink resolves a TIME(3) column as TIME(0) and its reader truncates to it.
  EXPECT_EQ(row.t3->since_midnight, std::chrono::seconds(10 * 3600 + 11 * 60 + 12));
  const auto status = codec.decode("1,N,N,N,N,N,N,10:11:12 ,N,N", row);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.failure().field, "t3");
  EXPECT_EQ(status.failure().message, "cannot parse '10:11:12 ' as TIME(3): HH:mm[:ss[.f]]");
}

struct Micros {
  std::int64_t id = 0;
  std::optional<time_of_day<6>> t6;
};

}  // namespace column_types_test

BOOST_HANA_ADAPT_STRUCT(column_types_test::Micros, id, t6);

namespace column_types_test {

using micros = upsertkit::table<Micros, upsertkit::primary_key<"id">>;

TEST(TemporalCsv, TimeAbovePrecisionThreeIsRefusedWithFlinksText) {
  try {
    csv_value_codec<micros>();
    FAIL() << "no error";
  } catch (const upsertkit::config_error& e) {
    EXPECT_STREQ(e.what(),
                 "Csv does not support TIME type with precision: 6, it only supports precision 0 ~ "
                 "3.");
  }
}

template <class Table>
upsertkit::avro::codec<Table> avro_value_codec(upsertkit::avro::options opts = {}) {
  return upsertkit::avro::codec<Table>(upsertkit::table_projections<Table>().value, opts);
}

struct AvroTemporal {
  std::int64_t id = 0;
  local_timestamp<0> ts0;
  std::optional<local_timestamp<3>> ts3;
  std::optional<time_of_day<3>> t3;
  std::optional<decimal<38, 4>> d38;
};

struct AvroLocal {
  std::int64_t id = 0;
  std::optional<local_timestamp<6>> ts6;
  std::optional<timestamp_ltz<3>> ltz3;
  std::optional<timestamp_ltz<6>> ltz6;
};

}  // namespace column_types_test

BOOST_HANA_ADAPT_STRUCT(column_types_test::AvroTemporal, id, ts0, ts3, t3, d38);
BOOST_HANA_ADAPT_STRUCT(column_types_test::AvroLocal, id, ts6, ltz3, ltz6);

namespace column_types_test {

using avro_temporal = upsertkit::table<AvroTemporal, upsertkit::primary_key<"id">>;
using avro_local = upsertkit::table<AvroLocal, upsertkit::primary_key<"id">>;

TEST(TemporalAvro, SchemaAsFlinkDerivesIt) {
  EXPECT_EQ(avro_value_codec<avro_temporal>().schema_json(),
            R"({"type":"record","name":"record","namespace":"org.apache.flink.avro.generated",)"
            R"("fields":[{"name":"id","type":"long"},)"
            R"({"name":"ts0","type":{"type":"long","logicalType":"timestamp-millis"}},)"
            R"({"name":"ts3","type":["null",{"type":"long","logicalType":"timestamp-millis"}],)"
            R"("default":null},)"
            R"({"name":"t3","type":["null",{"type":"int","logicalType":"time-millis"}],)"
            R"("default":null},)"
            R"({"name":"d38","type":["null",{"type":"bytes","logicalType":"decimal",)"
            R"("precision":38,"scale":4}],"default":null}]})");
  upsertkit::avro::options modern;
  modern.timestamp_mapping_legacy = false;
  const std::string schema = avro_value_codec<avro_local>(modern).schema_json();
  EXPECT_NE(schema.find(R"("logicalType":"local-timestamp-micros")"), std::string::npos);
  EXPECT_NE(schema.find(R"("logicalType":"timestamp-millis")"), std::string::npos);
  EXPECT_NE(schema.find(R"("logicalType":"timestamp-micros")"), std::string::npos);
}

TEST(TemporalAvro, TypesFlinkCannotMapAreRefusedWithItsText) {
  const auto refusal = [](auto make) -> std::string {
    try {
      make();
    } catch (const upsertkit::config_error& e) {
      return e.what();
    }
    return "no error";
  };
  // The legacy mapping (Flink's default) has TIMESTAMP(p <= 3) only and no TIMESTAMP_LTZ.
  EXPECT_EQ(refusal([] { avro_value_codec<avro_local>(); }),
            "Avro does not support TIMESTAMP type with precision: 6, it only supports precision "
            "less than 3.");
  EXPECT_EQ(refusal([] { avro_value_codec<micros>(); }),
            "Avro does not support TIME type with precision: 6, it only supports precision less "
            "than 3.");
  upsertkit::avro::options modern;
  modern.timestamp_mapping_legacy = false;
  EXPECT_EQ(refusal([&] { avro_value_codec<temporal>(modern); }),
            "Avro does not support LOCAL TIMESTAMP type with precision: 9, it only supports "
            "precision less than 6.");
}

TEST(TemporalAvro, RoundTripsMillisMicrosAndWideDecimals) {
  AvroTemporal row;
  row.id = 3;
  row.ts0 = local_timestamp<0>(std::chrono::seconds(-1));
  row.ts3 = local_timestamp<3>(std::chrono::milliseconds(1'583'673'131'123));
  row.t3 = time_of_day<3>{std::chrono::milliseconds(86'399'999)};
  row.d38 = decimal<38, 4>{-(upsertkit::int128{1} << 100)};
  auto codec = avro_value_codec<avro_temporal>();
  std::string out;
  codec.encode(row, out);
  // ts0: zig-zag of -1000 milliseconds.
  ASSERT_GE(out.size(), 3u);
  EXPECT_EQ(static_cast<unsigned char>(out[1]), 0xCF);  // after the id (one byte for 3)
  EXPECT_EQ(static_cast<unsigned char>(out[2]), 0x0F);
  AvroTemporal back;
  ASSERT_TRUE(codec.decode(out, back));
  EXPECT_EQ(back.ts0, row.ts0);
  EXPECT_EQ(back.ts3, row.ts3);
  EXPECT_EQ(back.t3, row.t3);
  ASSERT_TRUE(back.d38);
  EXPECT_TRUE(back.d38->unscaled == row.d38->unscaled);

  upsertkit::avro::options modern;
  modern.timestamp_mapping_legacy = false;
  AvroLocal local;
  local.id = 1;
  local.ts6 = local_timestamp<6>(std::chrono::microseconds(-1));
  local.ltz6 = timestamp_ltz<6>(std::chrono::microseconds(1'583'673'131'123'456));
  auto local_codec = avro_value_codec<avro_local>(modern);
  out.clear();
  local_codec.encode(local, out);
  AvroLocal local_back;
  ASSERT_TRUE(local_codec.decode(out, local_back));
  EXPECT_EQ(local_back.ts6, local.ts6);
  EXPECT_EQ(local_back.ltz6, local.ltz6);
  EXPECT_FALSE(local_back.ltz3.has_value());
}

TEST(TemporalAvro, AnOutOfRangeTimeOfDayIsAnErrorNamingTheField) {
  auto codec = avro_value_codec<avro_temporal>();
  // id 1, ts0 0, ts3 null, t3 branch 1 with 86'400'000 (zig-zag 172'800'000), d38 null.
  std::string message("\x02\x00\x00\x02", 4);
  for (std::uint64_t n = 172'800'000;; n >>= 7) {
    if (n < 0x80) {
      message += static_cast<char>(n);
      break;
    }
    message += static_cast<char>((n & 0x7F) | 0x80);
  }
  message += '\0';
  AvroTemporal row;
  const auto status = codec.decode(message, row);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.failure().field, "t3");
  EXPECT_EQ(status.failure().message, "invalid time-millis: 86400000 is not a time of day");
}

TEST(TemporalRaw, RawRefusesTemporalColumnsAsFlinkDoes) {
  try {
    upsertkit::raw::codec<micros>(upsertkit::projection{{1}, {"t6"}});
    FAIL() << "no error";
  } catch (const upsertkit::config_error& e) {
    EXPECT_STREQ(e.what(), "The 'raw' format doesn't supports 'TIME(6)' as column type.");
  }
}

// ---------------------------------------------------------------------------------------------
// The materializer's rows

TEST(TemporalRows, CanonicalBytesRoundTripAndCompareByValue) {
  using codec = upsertkit::row_codec<temporal>;
  const Temporal row = sample_row();
  std::string bytes;
  codec::encode(row, bytes);
  Temporal back;
  codec::decode(bytes, back);
  EXPECT_EQ(printed<temporal>(back), printed<temporal>(row));
  // One nanosecond more is another row; the same value through another text is the same row.
  Temporal other = row;
  *other.ts9 += std::chrono::nanoseconds(1);
  std::string other_bytes;
  codec::encode(other, other_bytes);
  EXPECT_NE(other_bytes, bytes);

  auto json = json_value_codec<temporal>();
  Temporal a, b;
  ASSERT_TRUE(json.decode(R"({"id":1,"ts6":"2020-01-01 00:00:00.1","d38":"1.50"})", a));
  ASSERT_TRUE(json.decode(R"({"d38":1.5,"ts6":"2020-01-01 00:00:00.100000999","id":1})", b));
  std::string a_bytes, b_bytes;
  codec::encode(a, a_bytes);
  codec::encode(b, b_bytes);
  EXPECT_EQ(a_bytes, b_bytes);
}

TEST(TemporalRows, TheMaterializerSuppressesAnIdenticalRowAndEmitsAChange) {
  std::vector<std::string> lines;
  const auto print = [&](const upsertkit::change<Temporal>& c) {
    std::string line;
    upsertkit::append_printed_row<temporal>(line, c.kind, c.row, upsertkit::print_style::modern);
    lines.push_back(line);
  };
  upsertkit::materializer<temporal, decltype(print)&> state(print);
  auto json = json_value_codec<temporal>();
  const auto apply = [&](std::string_view value) {
    Temporal row;
    ASSERT_TRUE(json.decode(value, row));
    state.upsert(0, row);
  };
  apply(R"({"id":1,"ltz9":"2020-01-01 00:00:00.000000001Z","d20":1})");
  apply(R"({"d20":1.0,"ltz9":"2020-01-01 00:00:00.000000001Z","id":1})");  // the same row
  apply(R"({"id":1,"ltz9":"2020-01-01 00:00:00.000000002Z","d20":1})");
  const std::string row1 =
      "1, null, null, null, null, 2020-01-01T00:00:00.000000001Z, null, null, null, 1]";
  const std::string row2 =
      "1, null, null, null, null, 2020-01-01T00:00:00.000000002Z, null, null, null, 1]";
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "+I[" + row1);
  EXPECT_EQ(lines[1], "-U[" + row1);
  EXPECT_EQ(lines[2], "+U[" + row2);
}

}  // namespace column_types_test
