// Headers generated at build time by upsertkit_generate_schema() (tests/ddl_codegen/CMakeLists.txt)
// from every seed statement, the other statements of tests/ddl, tables using every type (the
// nested ones too), a wide table and names that are no C++ names. This file is compiled with
// -Werror: the headers must be warning-free. Each generated table must match its statement
// (ddl::mismatches reports nothing), its option_map must equal the parsed WITH clause byte for
// byte, and the types must be the ones docs/ddl.md promises. Two tables also go through a pipeline.
// This file: the seed statements and the other statements of tests/ddl.

#include "generated_support.hpp"

#include <gtest/gtest.h>
#include <upsertkit/ddl.hpp>
#include <upsertkit/options.hpp>
#include <upsertkit/pipeline.hpp>
#include <upsertkit/print.hpp>

#include <compare>
#include <string>
#include <vector>

#include "codegen_orders_json_csv.hpp"
#include "codegen_orders_mismatch.hpp"
#include "codegen_seed1.hpp"
#include "codegen_seed2.hpp"
#include "seed3_source.hpp"

// GUARD names the include guard.
#ifndef SEED3_SOURCE_GENERATED_HPP
#error "the GUARD of upsertkit_generate_schema(codegen_seed3) is not the header's include guard"
#endif

namespace generated_test {
namespace {

// ---------------------------------------------------------------------------------------------
// The seed's statements and the other statements of tests/ddl

static_assert(same<decltype(seed1::UpsertKafkaSource::order_id), std::string>);
static_assert(same<decltype(seed1::UpsertKafkaSource::pay_amount), opt<double>>);
static_assert(same<decltype(seed1::PrintSink::area_id), opt<std::string>>);
static_assert(same<seed1::upsertKafkaSource_table::format_list, upsertkit::all_formats>);

TEST(GeneratedSchema, SeedExample1) {
  const std::vector<ddl::table_definition> tables = parse("tests/ddl/seed-example-1.sql");
  ASSERT_EQ(tables.size(), 2u);
  expect_generated_from<seed1::upsertKafkaSource_table>(tables[0],
                                                        seed1::upsertKafkaSource_options);
  expect_generated_from<seed1::printSink_table>(tables[1], seed1::printSink_options);
}

// STRING_VIEW, a namespace `a::b`, and the plain kafka table without PRIMARY KEY.
static_assert(same<decltype(gen::seed2::UpsertKafkaSink::order_id), std::string_view>);
static_assert(same<decltype(gen::seed2::Orders::order_id), opt<std::string_view>>);
static_assert(gen::seed2::orders_table::key_count == 0);

TEST(GeneratedSchema, SeedExample2) {
  const std::vector<ddl::table_definition> tables = parse("tests/ddl/seed-example-2.sql");
  ASSERT_EQ(tables.size(), 2u);
  expect_generated_from<gen::seed2::orders_table>(tables[0], gen::seed2::orders_options);
  expect_generated_from<gen::seed2::upsertKafkaSink_table>(tables[1],
                                                           gen::seed2::upsertKafkaSink_options);
}

// TABLES upsertKafkaSource=Order: one table of two, with the struct named.
static_assert(same<seed3::upsertKafkaSource_table::row_type, seed3::Order>);

TEST(GeneratedSchema, SeedExample3) {
  const std::vector<ddl::table_definition> tables = parse("tests/ddl/seed-example-3.sql");
  ASSERT_EQ(tables.size(), 2u);
  expect_generated_from<seed3::upsertKafkaSource_table>(tables[0],
                                                        seed3::upsertKafkaSource_options);
  // The Kerberos options after which the seed has `-- comments`.
  EXPECT_EQ(seed3::upsertKafkaSource_options.at("properties.connector.kerberos.keytab"),
            "obs://xx/user.keytab");
}

// FORMATS_FROM_WITH: the table is compiled for its key and value formats only.
static_assert(same<orders_json_csv::orders_table::format_list, upsertkit::formats<"json", "csv">>);

TEST(GeneratedSchema, OtherStatementsOfTestsDdl) {
  std::vector<ddl::table_definition> tables = parse("tests/ddl/orders-json-key-csv-value.sql");
  ASSERT_EQ(tables.size(), 1u);
  expect_generated_from<orders_json_csv::orders_table>(tables[0], orders_json_csv::orders_options);
  tables = parse("tests/ddl/orders-mismatch.sql");
  ASSERT_EQ(tables.size(), 1u);
  expect_generated_from<orders_mismatch::orders_table>(tables[0], orders_mismatch::orders_options);
  static_assert(same<decltype(orders_mismatch::Orders::pay_amount), opt<std::int32_t>>);
}

// The seed's Example 1 end to end with the generated struct and the generated WITH clause: the
// seed's records give the seed's changelog.
TEST(GeneratedSchema, SeedExample1ThroughAPipeline) {
  using table = seed1::upsertKafkaSource_table;
  std::vector<std::string> lines;
  const auto print = [&lines](const upsertkit::change<seed1::UpsertKafkaSource>& c) {
    std::string line;
    upsertkit::append_printed_row<table>(line, c.kind, c.row, upsertkit::print_style::legacy);
    lines.push_back(std::move(line));
  };
  const upsertkit::upsert_kafka_options options =
      upsertkit::parse_upsert_kafka_options(seed1::upsertKafkaSource_options);
  upsertkit::upsert_pipeline<table, decltype(print)> pipeline(options.formats, print);
  pipeline.apply("202303251202020001",
                 R"({"order_id":"202303251202020001","order_channel":"miniAppShop","order_time":)"
                 R"("2023-03-25 12:02:02","pay_amount":"60.00","real_pay":"60.00","pay_time":)"
                 R"("2023-03-25 12:03:00","user_id":"0002","user_name":"Bob","area_id":"330110"})");
  pipeline.apply("202303251202020001",
                 R"({"order_id":"202303251202020001","order_channel":"miniAppShop","order_time":)"
                 R"("2023-03-25 12:02:02","pay_amount":"60.00","real_pay":"60.00","pay_time":)"
                 R"("2023-03-25 12:03:00","user_id":"0002","user_name":"Bob","area_id":"330111"})");
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "+I(202303251202020001,miniAppShop,2023-03-25 12:02:02,60.0,60.0,2023-03-25 "
                       "12:03:00,0002,Bob,330110)",
                       "-U(202303251202020001,miniAppShop,2023-03-25 12:02:02,60.0,60.0,2023-03-25 "
                       "12:03:00,0002,Bob,330110)",
                       "+U(202303251202020001,miniAppShop,2023-03-25 12:02:02,60.0,60.0,2023-03-25 "
                       "12:03:00,0002,Bob,330111)"}));
}

}  // namespace
}  // namespace generated_test
