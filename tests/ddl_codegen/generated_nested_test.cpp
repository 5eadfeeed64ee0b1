// Headers generated at build time by upsertkit_generate_schema() (tests/ddl_codegen/CMakeLists.txt)
// from every seed statement, the other statements of tests/ddl, tables using every type (the
// nested ones too), a wide table and names that are no C++ names. This file is compiled with
// -Werror: the headers must be warning-free. Each generated table must match its statement
// (ddl::mismatches reports nothing), its option_map must equal the parsed WITH clause byte for
// byte, and the types must be the ones docs/ddl.md promises. Two tables also go through a pipeline.
// This file: the rarer nested types, a table wider than the Hana macro, the global namespace.

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

#include "codegen_global.hpp"
#include "codegen_nested.hpp"
#include "codegen_nested_view.hpp"
#include "codegen_wide.hpp"

namespace generated_test {
namespace {

// ---------------------------------------------------------------------------------------------
// The rarer nested types

using nested::Nested;
namespace n = nested;
// A ROW's struct is <struct>_<member>; `_2` when a member of the struct that uses it, or
// another ROW's struct, has the name.
static_assert(same<decltype(Nested::Nested_home), opt<std::int32_t>>);
static_assert(same<decltype(Nested::home), n::Nested_home_2>);
static_assert(same<decltype(n::Nested_home_2::home), n::Nested_home_2_home>);
static_assert(same<decltype(Nested::nested), opt<n::Nested_nested>>);
static_assert(same<decltype(n::Nested_nested::nested), opt<n::Nested_nested_nested>>);
static_assert(same<decltype(n::Nested_nested_nested::nested), opt<std::int32_t>>);
static_assert(same<decltype(Nested::a_b), opt<n::Nested_a_b>>);
static_assert(same<decltype(n::Nested_a::b), opt<n::Nested_a_b_2>>);
// Field names that are no C++ names: upsertkit::columns keeps them.
static_assert(same<decltype(n::Nested_home_2::class_), opt<std::int32_t>>);
static_assert(same<decltype(n::Nested_home_2::my_field), std::string>);
static_assert(same<decltype(n::Nested_home_2::f_1st), opt<n::Nested_home_2_f_1st>>);
static_assert(upsertkit::struct_fields<n::Nested_home_2>::names[1] == "my field");
static_assert(upsertkit::struct_fields<n::Nested_home_2>::names[3] == "1st");
static_assert(same<decltype(n::Nested_home_2_f_1st::z), opt<std::int32_t>>);  // ROW(z INT)
// ROWs in MAP keys and MULTISET elements are ordered; the others only equality-comparable.
static_assert(
    same<decltype(Nested::keyed), opt<std::map<n::Nested_keyed_key, n::Nested_keyed_value>>>);
static_assert(std::three_way_comparable<n::Nested_keyed_key>);
static_assert(!std::three_way_comparable<n::Nested_keyed_value>);
static_assert(same<decltype(Nested::elements), opt<upsertkit::multiset<n::Nested_elements>>>);
static_assert(std::three_way_comparable<n::Nested_elements>);
static_assert(std::three_way_comparable<n::Nested_elements_r>);
static_assert(same<decltype(Nested::int_keys), std::map<std::int32_t, std::string>>);
static_assert(same<decltype(Nested::postfix), std::vector<opt<upsertkit::multiset<std::int32_t>>>>);
static_assert(same<decltype(n::Nested_scalars::bts), opt<upsertkit::bytes>>);
static_assert(same<decltype(n::Nested_scalars::dec), opt<upsertkit::decimal<38, 4>>>);
static_assert(same<decltype(n::Nested_scalars::ts9), opt<upsertkit::local_timestamp<9>>>);
// Fields declared NOT NULL: nullable in a nullable ROW, NOT NULL in a NOT NULL one.
static_assert(same<decltype(n::Nested_declared::x), opt<std::int32_t>>);
static_assert(same<decltype(n::Nested_declared::r), opt<n::Nested_declared_r>>);
static_assert(same<decltype(n::Nested_declared_r::y), opt<std::int32_t>>);
static_assert(same<decltype(Nested::kept), n::Nested_kept>);
static_assert(same<decltype(n::Nested_kept::x), std::int32_t>);
static_assert(same<decltype(n::Nested_kept::r), n::Nested_kept_r>);
static_assert(same<decltype(n::Nested_kept_r::y), std::int32_t>);
static_assert(upsertkit::struct_fields<n::Nested_wide>::count == 40);  // upsertkit::columns
static_assert(nested::nested_table::column_count == 14);               // no metadata column
static_assert(same<decltype(nested_view::Nested_keyed_key::b), opt<std::string_view>>);
static_assert(same<decltype(nested_view::Nested_home_2::my_field), std::string_view>);

TEST(GeneratedSchema, TheRarerNestedTypes) {
  const std::vector<ddl::table_definition> tables = parse("tests/ddl_codegen/nested.sql");
  ASSERT_EQ(tables.size(), 1u);
  expect_generated_from<nested::nested_table>(tables[0], nested::nested_options);
  expect_generated_from<nested_view::nested_table>(tables[0], nested_view::nested_options);
  // A ROW map key orders as its fields do.
  Nested row;
  auto& keyed = row.keyed.emplace();
  keyed[{2, std::nullopt}] = {1.0};
  keyed[{1, "b"}] = {2.0};
  keyed[{1, "a"}] = {3.0};
  ASSERT_EQ(keyed.size(), 3u);
  EXPECT_EQ(keyed.begin()->first.b, "a");
  EXPECT_EQ(keyed.rbegin()->first.a, 2);
  EXPECT_TRUE(row == row);
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
