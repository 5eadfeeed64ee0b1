// The print sink: the seed's row format, Flink >= 1.13's format, prefixes and value spelling.
#include <gtest/gtest.h>
#include <upsertkit/print.hpp>

#include <cstdio>
#include <optional>
#include <string>

namespace print_test {
struct Everything {
  std::int64_t id;
  std::optional<bool> flag;
  std::optional<std::int8_t> tiny;
  std::optional<float> ratio;
  std::optional<double> amount;
  std::optional<upsertkit::decimal<10, 2>> price;
  std::optional<upsertkit::date> day;
  std::optional<upsertkit::timestamp> at;
  std::optional<std::string> text;
};
struct Blob {
  upsertkit::bytes id;
  std::optional<upsertkit::bytes> payload;
};
}  // namespace print_test

BOOST_HANA_ADAPT_STRUCT(print_test::Blob, id, payload);
BOOST_HANA_ADAPT_STRUCT(print_test::Everything, id, flag, tiny, ratio, amount, price, day, at,
                        text);

namespace print_test {
namespace {
using table = upsertkit::table<Everything, upsertkit::primary_key<"id">>;

std::string printed(upsertkit::row_kind kind, const Everything& row, upsertkit::print_style style) {
  std::string out;
  upsertkit::append_printed_row<table>(out, kind, row, style);
  return out;
}

Everything full_row() {
  Everything row{};
  row.id = 7;
  row.flag = true;
  row.tiny = -3;
  row.ratio = 1.1f;
  row.amount = 60.0;
  row.price = upsertkit::decimal<10, 2>{6000};
  row.day = upsertkit::date{upsertkit::days_from_civil(2020, 3, 8)};
  row.at = upsertkit::timestamp{
      (std::int64_t{upsertkit::days_from_civil(2020, 3, 8)} * 86400 + 13 * 3600 + 12 * 60 + 11) *
          1000 +
      120};
  row.text = "Bob";
  return row;
}

TEST(Print, LegacyStyleIsTheSeedsFormat) {
  EXPECT_EQ(printed(upsertkit::row_kind::insert, full_row(), upsertkit::print_style::legacy),
            "+I(7,true,-3,1.1,60.0,60.00,2020-03-08,2020-03-08T13:12:11.120,Bob)");
}

TEST(Print, ModernStyleIsFlink113) {
  EXPECT_EQ(printed(upsertkit::row_kind::update_before, full_row(), upsertkit::print_style::modern),
            "-U[7, true, -3, 1.1, 60.0, 60.00, 2020-03-08, 2020-03-08T13:12:11.120, Bob]");
}

TEST(Print, NullsAndKinds) {
  Everything row{};
  row.id = 1;
  EXPECT_EQ(printed(upsertkit::row_kind::delete_, row, upsertkit::print_style::legacy),
            "-D(1,null,null,null,null,null,null,null,null)");
  EXPECT_EQ(printed(upsertkit::row_kind::update_after, row, upsertkit::print_style::modern),
            "+U[1, null, null, null, null, null, null, null, null]");
}

TEST(Print, TimestampLikeLocalDateTime) {
  Everything row{};
  row.at = upsertkit::timestamp{std::int64_t{upsertkit::days_from_civil(2020, 3, 8)} * 86400000 +
                                (13 * 60 + 12) * 60000};
  EXPECT_NE(printed(upsertkit::row_kind::insert, row, upsertkit::print_style::modern)
                .find("2020-03-08T13:12,"),
            std::string::npos);
}

std::string sink_output(upsertkit::print_options options) {
  std::FILE* file = std::tmpfile();
  {
    upsertkit::print_sink<table> sink(std::move(options), file);
    Everything row{};
    row.id = 9;
    sink.print(upsertkit::row_kind::insert, row);
    sink.flush();
  }
  std::rewind(file);
  char buffer[512] = {};
  const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, file);
  std::fclose(file);
  return std::string(buffer, n);
}

TEST(Print, BytesLikeJavaArraysToStringOfSignedBytes) {
  using blobs = upsertkit::table<Blob, upsertkit::primary_key<"id">>;
  const std::string id("\x01\x00\xff\x7f\x80", 5);
  Blob row{upsertkit::bytes(id), upsertkit::bytes()};
  std::string out;
  upsertkit::append_printed_row<blobs>(out, upsertkit::row_kind::insert, row,
                                       upsertkit::print_style::modern);
  EXPECT_EQ(out, "+I[[1, 0, -1, 127, -128], []]");
  row.payload.reset();
  out.clear();
  upsertkit::append_printed_row<blobs>(out, upsertkit::row_kind::update_after, row,
                                       upsertkit::print_style::legacy);
  EXPECT_EQ(out, "+U([1, 0, -1, 127, -128],null)");
}

TEST(PrintSink, PrefixRulesOfPrintSinkOutputWriter) {
  const std::string row = "+I(9,null,null,null,null,null,null,null,null)\n";
  EXPECT_EQ(sink_output({}), row);
  EXPECT_EQ(sink_output({.print_identifier = "orders"}), "orders> " + row);
  EXPECT_EQ(sink_output({.print_identifier = "orders", .parallelism = 4, .subtask = 2}),
            "orders:3> " + row);
  upsertkit::print_options parallel;
  parallel.parallelism = 2;
  EXPECT_EQ(sink_output(parallel), "1> " + row);
}

TEST(PrintSink, ParseStyle) {
  EXPECT_EQ(upsertkit::parse_print_style("modern"), upsertkit::print_style::modern);
  EXPECT_THROW(upsertkit::parse_print_style("fancy"), upsertkit::config_error);
}

}  // namespace
}  // namespace print_test
