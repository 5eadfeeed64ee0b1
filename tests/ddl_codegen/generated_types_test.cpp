// Headers generated at build time by upsertkit_generate_schema() (tests/ddl_codegen/CMakeLists.txt)
// from every seed statement, the other statements of tests/ddl, tables using every type (the
// nested ones too), a wide table and names that are no C++ names. This file is compiled with
// -Werror: the headers must be warning-free. Each generated table must match its statement
// (ddl::mismatches reports nothing), its option_map must equal the parsed WITH clause byte for
// byte, and the types must be the ones docs/ddl.md promises. Two tables also go through a pipeline.
// This file: every scalar type, names that are no C++ names, the types of issue 17.

#include "generated_support.hpp"

#include <gtest/gtest.h>
#include <upsertkit/ddl.hpp>
#include <upsertkit/options.hpp>
#include <upsertkit/pipeline.hpp>
#include <upsertkit/print.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "codegen_all_types.hpp"
#include "codegen_all_types_view.hpp"
#include "codegen_new_types.hpp"

namespace generated_test {
namespace {

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
// The nested types: std::vector, std::map and upsertkit::multiset, a struct per ROW named
// <struct>_<member>, std::optional for a nullable element or field.
static_assert(same<decltype(AllTypes::tags), opt<std::vector<opt<std::string>>>>);
static_assert(same<decltype(AllTypes::scores), std::vector<std::int32_t>>);
static_assert(
    same<decltype(AllTypes::int_list), opt<std::vector<std::int32_t>>>);  // INT NOT NULL ARRAY
static_assert(same<decltype(AllTypes::attributes), opt<std::map<std::string, opt<std::string>>>>);
static_assert(same<decltype(AllTypes::groups),
                   opt<std::map<std::string, opt<std::vector<opt<std::int64_t>>>>>>);
static_assert(same<decltype(AllTypes::counters), std::map<std::string, std::int64_t>>);
static_assert(same<decltype(AllTypes::labels), opt<upsertkit::multiset<std::string>>>);
static_assert(same<decltype(AllTypes::home), opt<all_types::AllTypes_home>>);
static_assert(same<decltype(all_types::AllTypes_home::street), opt<std::string>>);
static_assert(same<decltype(all_types::AllTypes_home::geo), opt<all_types::AllTypes_home_geo>>);
// Declared NOT NULL, but fields of a nullable ROW: nullable in Flink.
static_assert(same<decltype(all_types::AllTypes_home_geo::lat), opt<double>>);
static_assert(same<decltype(AllTypes::visits), opt<std::vector<all_types::AllTypes_visits>>>);
static_assert(
    same<decltype(all_types::AllTypes_visits::amount), upsertkit::decimal<10, 2>>);  // NOT NULL ROW
static_assert(
    same<decltype(all_types::AllTypes_visits::class_), opt<std::string>>);  // field `class`
static_assert(same<decltype(AllTypes::address), all_types::AllTypes_address>);
static_assert(same<decltype(all_types::AllTypes_address::street_name), opt<std::string>>);
static_assert(same<decltype(all_types::AllTypes_address::number), std::int32_t>);
static_assert(upsertkit::struct_fields<all_types::AllTypes_address>::names[0] == "street name");
static_assert(upsertkit::struct_fields<all_types::AllTypes_visits>::names[2] == "class");
static_assert(all_types::all_types_table::column_count == 53);  // no metadata, no computed
static_assert(all_types::all_types_table::column_names[28] == "class");
static_assert(all_types::all_types_table::column_names[32] == "my col");
static_assert(all_types::all_types_table::column_names[37] == "na\xC3\xAFve");
static_assert(all_types::all_types_table::column_names[38] == "quo\"te\\back`tick");
static_assert(all_types::all_types_table::key_columns[0] == 1);  // PRIMARY KEY (s, id)
static_assert(all_types::all_types_table::key_columns[1] == 0);
static_assert(same<decltype(all_types_view::AllTypes::s), std::string_view>);
static_assert(same<decltype(all_types_view::AllTypes::vc), opt<std::string_view>>);
// STRING_VIEW: map keys, elements and fields too.
static_assert(
    same<decltype(all_types_view::AllTypes::counters), std::map<std::string_view, std::int64_t>>);
static_assert(
    same<decltype(all_types_view::AllTypes::labels), opt<upsertkit::multiset<std::string_view>>>);
static_assert(same<decltype(all_types_view::AllTypes_home::street), opt<std::string_view>>);

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
                 R"("NULL":17,"std":"s","linux":"l","AllTypes":18,"scores":[1,2,3],)"
                 R"("int list":[4],"counters":{"c":5},"labels":{"x":2},"groups":{"g":[6,null]},)"
                 R"("home":{"street":"Main","zip":7,"geo":{"lat":1.5,"lon":null}},)"
                 R"("visits":[{"at":null,"amount":1.25,"class":"c"}],)"
                 R"("address":{"street name":"Side","number":9}})");
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
  // Nested columns and ROW fields, read by their SQL names too.
  EXPECT_EQ(row.scores, (std::vector<std::int32_t>{1, 2, 3}));
  EXPECT_EQ(row.int_list, (std::vector<std::int32_t>{4}));
  EXPECT_EQ(row.counters, (std::map<std::string, std::int64_t>{{"c", 5}}));
  ASSERT_TRUE(row.labels.has_value());
  EXPECT_EQ(row.labels->counts, (std::map<std::string, std::int32_t>{{"x", 2}}));
  ASSERT_TRUE(row.groups.has_value());
  EXPECT_EQ(row.groups->at("g"), (std::vector<opt<std::int64_t>>{6, std::nullopt}));
  ASSERT_TRUE(row.home.has_value() && row.home->geo.has_value());
  EXPECT_EQ(row.home->street, "Main");
  EXPECT_EQ(row.home->zip, 7);
  EXPECT_EQ(row.home->geo->lat, 1.5);
  EXPECT_FALSE(row.home->geo->lon.has_value());  // declared NOT NULL, nullable in Flink
  ASSERT_TRUE(row.visits.has_value());
  ASSERT_EQ(row.visits->size(), 1u);
  EXPECT_EQ(row.visits->front().amount.unscaled, 125);
  EXPECT_EQ(row.visits->front().class_, "c");
  EXPECT_EQ(row.address.street_name, "Side");
  EXPECT_EQ(row.address.number, 9);
  EXPECT_FALSE(row.tags.has_value());
  EXPECT_FALSE(row.attributes.has_value());
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

}  // namespace
}  // namespace generated_test
