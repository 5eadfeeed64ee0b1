// Headers generated at build time by upsertkit_generate_schema() (tests/ddl_codegen/CMakeLists.txt)
// from every seed statement, the other statements of tests/ddl, tables using every type, a wide
// table and names that are no C++ names. This file is compiled with -Werror: the headers must be
// warning-free. Each generated table must match its statement (ddl::mismatches reports nothing),
// its option_map must equal the parsed WITH clause byte for byte, and the types must be the ones
// docs/ddl.md promises. Two tables also go through a pipeline.
#include <gtest/gtest.h>
#include <upsertkit/ddl.hpp>
#include <upsertkit/options.hpp>
#include <upsertkit/pipeline.hpp>
#include <upsertkit/print.hpp>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "codegen_all_types.hpp"
#include "codegen_all_types_view.hpp"
#include "codegen_global.hpp"
#include "codegen_new_types.hpp"
#include "codegen_orders_json_csv.hpp"
#include "codegen_orders_mismatch.hpp"
#include "codegen_seed1.hpp"
#include "codegen_seed2.hpp"
#include "codegen_wide.hpp"
#include "seed3_source.hpp"

// GUARD names the include guard.
#ifndef SEED3_SOURCE_GENERATED_HPP
#error "the GUARD of upsertkit_generate_schema(codegen_seed3) is not the header's include guard"
#endif

namespace generated_test {
namespace {

namespace ddl = upsertkit::ddl;

std::vector<ddl::table_definition> parse(const std::string& relative_path) {
  const std::string path = UPSERTKIT_SOURCE_DIR "/" + relative_path;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return ddl::parse_script(
      std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()});
}

// The generated table agrees with its statement, and its option_map is the WITH clause.
template <class Table>
void expect_generated_from(const ddl::table_definition& definition,
                           const upsertkit::option_map& options) {
  EXPECT_EQ(ddl::mismatches<Table>(definition), std::vector<std::string>{}) << definition.name;
  EXPECT_EQ(options, definition.options) << definition.name;
  EXPECT_NO_THROW(ddl::check<Table>(definition));
}

template <class T, class U>
constexpr bool same = std::is_same_v<T, U>;
template <class T>
using opt = std::optional<T>;

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

// ---------------------------------------------------------------------------------------------
// Every type, and names that are no C++ names

using all_types::AllTypes;
static_assert(same<decltype(AllTypes::id), std::int64_t>);  // a key column: NOT NULL
static_assert(same<decltype(AllTypes::s), std::string>);
static_assert(same<decltype(AllTypes::s_null), opt<std::string>>);
static_assert(same<decltype(AllTypes::vc), opt<std::string>>);
static_assert(same<decltype(AllTypes::ch), std::string>);
static_assert(same<decltype(AllTypes::b), opt<bool>>);
static_assert(same<decltype(AllTypes::b_nn), bool>);
static_assert(same<decltype(AllTypes::ti), opt<std::int8_t>>);
static_assert(same<decltype(AllTypes::ti_nn), std::int8_t>);
static_assert(same<decltype(AllTypes::si), opt<std::int16_t>>);
static_assert(same<decltype(AllTypes::si_nn), std::int16_t>);
static_assert(same<decltype(AllTypes::i), opt<std::int32_t>>);
static_assert(same<decltype(AllTypes::i_nn), std::int32_t>);
static_assert(same<decltype(AllTypes::bi), opt<std::int64_t>>);
static_assert(same<decltype(AllTypes::f), opt<float>>);
static_assert(same<decltype(AllTypes::r), float>);
static_assert(same<decltype(AllTypes::d), opt<double>>);
static_assert(same<decltype(AllTypes::dp), double>);
static_assert(same<decltype(AllTypes::dec_18_4), opt<upsertkit::decimal<18, 4>>>);
static_assert(same<decltype(AllTypes::dec_default), upsertkit::decimal<10, 0>>);
static_assert(same<decltype(AllTypes::num), opt<upsertkit::decimal<5, 5>>>);
static_assert(same<decltype(AllTypes::dt), opt<upsertkit::date>>);
static_assert(same<decltype(AllTypes::dt_nn), upsertkit::date>);
static_assert(same<decltype(AllTypes::ts), opt<upsertkit::timestamp>>);
static_assert(same<decltype(AllTypes::ts_nn), upsertkit::timestamp>);
static_assert(same<decltype(AllTypes::bts), opt<upsertkit::bytes>>);
static_assert(same<decltype(AllTypes::vb), upsertkit::bytes>);
static_assert(same<decltype(AllTypes::bn), opt<upsertkit::bytes>>);
// Members renamed where the column name is no usable C++ name; the columns keep their names.
static_assert(same<decltype(AllTypes::class_), opt<std::int32_t>>);
static_assert(same<decltype(AllTypes::default_), opt<std::string>>);
static_assert(same<decltype(AllTypes::int_), opt<std::int64_t>>);
static_assert(same<decltype(AllTypes::timestamp), opt<upsertkit::timestamp>>);
static_assert(same<decltype(AllTypes::my_col_2), opt<std::string>>);  // `my col`
static_assert(same<decltype(AllTypes::my_col), opt<std::int32_t>>);
static_assert(same<decltype(AllTypes::c_1st), opt<std::int32_t>>);
static_assert(same<decltype(AllTypes::a_b), opt<std::int32_t>>);
static_assert(same<decltype(AllTypes::Reserved), opt<std::int32_t>>);
static_assert(same<decltype(AllTypes::na_ve), opt<std::string>>);
static_assert(same<decltype(AllTypes::quo_te_back_tick), opt<std::string>>);
static_assert(same<decltype(AllTypes::NULL_), opt<std::int32_t>>);
static_assert(same<decltype(AllTypes::std), opt<std::string>>);
static_assert(same<decltype(AllTypes::linux_), opt<std::string>>);
static_assert(same<decltype(AllTypes::AllTypes_2), opt<std::int32_t>>);  // like the struct
static_assert(all_types::all_types_table::column_count == 43);           // no metadata, no computed
static_assert(all_types::all_types_table::column_names[28] == "class");
static_assert(all_types::all_types_table::column_names[32] == "my col");
static_assert(all_types::all_types_table::column_names[37] == "na\xC3\xAFve");
static_assert(all_types::all_types_table::column_names[38] == "quo\"te\\back`tick");
static_assert(all_types::all_types_table::key_columns[0] == 1);  // PRIMARY KEY (s, id)
static_assert(all_types::all_types_table::key_columns[1] == 0);
static_assert(same<decltype(all_types_view::AllTypes::s), std::string_view>);
static_assert(same<decltype(all_types_view::AllTypes::vc), opt<std::string_view>>);

TEST(GeneratedSchema, EveryTypeAndNamesThatAreNoCppNames) {
  const std::vector<ddl::table_definition> tables = parse("tests/ddl_codegen/all-types.sql");
  ASSERT_EQ(tables.size(), 1u);
  expect_generated_from<all_types::all_types_table>(tables[0], all_types::all_types_options);
  expect_generated_from<all_types_view::all_types_table>(tables[0],
                                                         all_types_view::all_types_options);
}

// Quotes, backslashes, line breaks, control characters, UTF-8 and `??` come out of the
// generated string literals exactly as they went in.
TEST(GeneratedSchema, AwkwardOptionValuesRoundTrip) {
  const upsertkit::option_map& options = all_types::all_types_options;
  EXPECT_EQ(options.at("topic"), "it's \"quoted\" and \\back\\slashed\\");
  EXPECT_EQ(options.at("x.newline"), "line 1\nline 2");
  EXPECT_EQ(options.at("x.crlf"), "a\r\nb");
  EXPECT_EQ(options.at("x.tab"), "a\tb");
  EXPECT_EQ(options.at("x.unicode"),
            "na\xC3\xAFve \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E "
            "\xF0\x9F\x8E\x89");
  EXPECT_EQ(options.at("x.trigraphs"), std::string("?") + "?= ?" + "?/ ?" + "?' ?" + "?( ?" + "?)");
  EXPECT_EQ(options.at("x.octal-lookalike"), "\\0\\101\\x41 7");
  EXPECT_EQ(options.at("x.empty"), "");
  EXPECT_EQ(options.at("x.control"), "\x01\x1B[0m\x7F");
  EXPECT_EQ(options.at("x.key \"with\" \\ quotes"), "v");
  EXPECT_EQ(options.at("x.\xD0\xBA\xD0\xBB\xD1\x8E\xD1\x87"),
            "\xD0\xB7\xD0\xBD\xD0\xB0\xD1\x87\xD0\xB5\xD0\xBD\xD0\xB8\xD0\xB5");
}

// The formats read and write the columns by their SQL names, not by the members'.
TEST(GeneratedSchema, RenamedMembersAreReadByTheirColumnNames) {
  using table = all_types::all_types_table;
  std::vector<AllTypes> rows;
  const auto keep = [&rows](const upsertkit::change<AllTypes>& c) { rows.push_back(c.row); };
  upsertkit::format_config formats;
  formats.key_format = "json";
  formats.value_format = "json";
  upsertkit::upsert_pipeline<table, decltype(keep)> pipeline(formats, keep);
  pipeline.apply(R"({"s":"k","id":7})",
                 R"({"id":7,"s":"k","ch":"abc","b_nn":true,"ti_nn":1,"si_nn":2,"i_nn":3,)"
                 R"("r":1.5,"dp":2.5,"dec_default":12,"dt_nn":"2024-02-29",)"
                 R"("ts_nn":"2024-02-29 10:11:12.345","vb":"AAH/",)"
                 R"("class":11,"default":"d","int":12,"my col":"space","my_col":13,"1st":14,)"
                 R"("a__b":15,"_Reserved":16,"na\u00efve":"n","quo\"te\\back`tick":"q",)"
                 R"("NULL":17,"std":"s","linux":"l","AllTypes":18})");
  ASSERT_EQ(rows.size(), 1u);
  const AllTypes& row = rows[0];
  EXPECT_EQ(row.id, 7);
  EXPECT_EQ(row.vb.view(), std::string_view("\x00\x01\xFF", 3));
  EXPECT_EQ(row.class_, 11);
  EXPECT_EQ(row.default_, "d");
  EXPECT_EQ(row.int_, 12);
  EXPECT_EQ(row.my_col_2, "space");
  EXPECT_EQ(row.my_col, 13);
  EXPECT_EQ(row.c_1st, 14);
  EXPECT_EQ(row.a_b, 15);
  EXPECT_EQ(row.Reserved, 16);
  EXPECT_EQ(row.na_ve, "n");
  EXPECT_EQ(row.quo_te_back_tick, "q");
  EXPECT_EQ(row.NULL_, 17);
  EXPECT_EQ(row.std, "s");
  EXPECT_EQ(row.linux_, "l");
  EXPECT_EQ(row.AllTypes_2, 18);
  EXPECT_FALSE(row.s_null.has_value());
}

// ---------------------------------------------------------------------------------------------
// The types of issue 17

using new_types::NewTypes;
static_assert(same<decltype(NewTypes::t), opt<upsertkit::time_of_day<0>>>);
static_assert(same<decltype(NewTypes::t3), upsertkit::time_of_day<3>>);
static_assert(same<decltype(NewTypes::t9), opt<upsertkit::time_of_day<9>>>);
static_assert(same<decltype(NewTypes::ts0), opt<upsertkit::local_timestamp<0>>>);
static_assert(same<decltype(NewTypes::ts), opt<upsertkit::local_timestamp<6>>>);
static_assert(same<decltype(NewTypes::ts6), upsertkit::local_timestamp<6>>);
static_assert(same<decltype(NewTypes::ts9), opt<upsertkit::local_timestamp<9>>>);
static_assert(same<decltype(NewTypes::ltz), opt<upsertkit::timestamp_ltz<6>>>);
static_assert(same<decltype(NewTypes::ltz0), upsertkit::timestamp_ltz<0>>);
static_assert(same<decltype(NewTypes::ltz3), opt<upsertkit::timestamp_ltz<3>>>);
static_assert(same<decltype(NewTypes::ltz6), opt<upsertkit::timestamp_ltz<6>>>);
static_assert(same<decltype(NewTypes::ltz_default), upsertkit::timestamp_ltz<6>>);
static_assert(same<decltype(NewTypes::d19), opt<upsertkit::decimal<19, 0>>>);
static_assert(same<decltype(NewTypes::d38), upsertkit::decimal<38, 10>>);
static_assert(same<decltype(NewTypes::d38_38), opt<upsertkit::decimal<38, 38>>>);

TEST(GeneratedSchema, TheTypesOfIssue17) {
  const std::vector<ddl::table_definition> tables = parse("tests/ddl_codegen/new-types.sql");
  ASSERT_EQ(tables.size(), 1u);
  expect_generated_from<new_types::new_types_table>(tables[0], new_types::new_types_options);
}

// ---------------------------------------------------------------------------------------------
// Wider than BOOST_HANA_ADAPT_STRUCT takes; the global namespace

static_assert(wide::wide_table::column_count == 45);
static_assert(wide::wide_table::column_names[44] == "c44");
static_assert(wide::wide_table::key_columns[0] == 5 && wide::wide_table::key_columns[1] == 0);
static_assert(same<wide::wide_table::format_list, upsertkit::formats<"json">>);

TEST(GeneratedSchema, WiderThanTheHanaMacro) {
  const std::vector<ddl::table_definition> tables = parse("tests/ddl_codegen/wide.sql");
  ASSERT_EQ(tables.size(), 1u);
  expect_generated_from<wide::wide_table>(tables[0], wide::wide_options);
}

static_assert(same<page_views_table::row_type, ::PageViews>);
static_assert(page_views_table::key_count == 3);

TEST(GeneratedSchema, QualifiedNameInTheGlobalNamespace) {
  const std::vector<ddl::table_definition> tables = parse("tests/ddl_codegen/global.sql");
  ASSERT_EQ(tables.size(), 1u);
  expect_generated_from<page_views_table>(tables[0], page_views_options);
}

}  // namespace
}  // namespace generated_test
