// The DDL reader, ddl::check and the header generator with Flink's nested types (ARRAY, MAP,
// MULTISET, ROW): the syntax Flink 1.20's parser takes, the types as Flink resolves them (a
// nullable ROW's fields are nullable), the mismatches with their paths inside a column, and the
// generated structs. That the generated headers compile and match their statements is tested
// by tests/ddl_codegen (GeneratedSchema.*).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <upsertkit/ddl.hpp>
#include <upsertkit/ddl_codegen.hpp>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "nested_table.hpp"

namespace nested_ddl_test {

struct Geo {
  double lat = 0;
  std::optional<double> lon;
};

struct Home {
  std::optional<std::string> street;
  std::optional<std::int32_t> zip;
  Geo geo;
};

struct Item {
  std::optional<std::string> sku;
  std::optional<upsertkit::decimal<10, 2>> price;
};

}  // namespace nested_ddl_test

BOOST_HANA_ADAPT_STRUCT(nested_ddl_test::Geo, lat, lon);
BOOST_HANA_ADAPT_STRUCT(nested_ddl_test::Home, street, zip, geo);
BOOST_HANA_ADAPT_STRUCT(nested_ddl_test::Item, sku, price);

namespace nested_ddl_test {

struct Account {
  std::int64_t id = 0;
  std::optional<std::vector<std::optional<std::string>>> tags;
  std::vector<std::int32_t> scores;
  std::optional<std::map<std::string, std::optional<std::int64_t>>> limits;
  std::optional<upsertkit::multiset<std::string>> labels;
  Home home;
  std::optional<std::vector<Item>> items;
};

}  // namespace nested_ddl_test

BOOST_HANA_ADAPT_STRUCT(nested_ddl_test::Account, id, tags, scores, limits, labels, home, items);

namespace nested_ddl_test {
namespace {

namespace ddl = upsertkit::ddl;
using ::testing::HasSubstr;
using ::testing::Not;
using upsertkit::sql_type;
using account_table = upsertkit::table<Account, upsertkit::primary_key<"id">>;
using strings = std::vector<std::string>;

// The statement that matches Account, with `replace` applied to its column list.
std::string account_sql(const std::string& from = "", const std::string& to = "") {
  std::string columns =
      "id BIGINT, tags ARRAY<STRING>, scores ARRAY<INT NOT NULL> NOT NULL, "
      "limits MAP<STRING, BIGINT>, labels MULTISET<STRING>, "
      "home ROW<street STRING, zip INT, geo ROW<lat DOUBLE NOT NULL, lon DOUBLE> NOT NULL> NOT "
      "NULL, "
      "items ARRAY<ROW<sku STRING, price DECIMAL(10, 2)> NOT NULL>";
  if (!from.empty()) {
    const std::size_t at = columns.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) columns.replace(at, from.size(), to);
  }
  return "CREATE TABLE accounts (" + columns + ", PRIMARY KEY (id) NOT ENFORCED)";
}

strings account_mismatches(const std::string& from, const std::string& to) {
  return ddl::mismatches<account_table>(ddl::parse_create_table(account_sql(from, to)), "Account");
}

std::string parse_error(std::string_view sql) {
  try {
    (void)ddl::parse_create_table(sql);
  } catch (const ddl::ddl_error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no ddl_error for: " << sql;
  return "";
}

// The type of column `name` as text, its NOT NULL included.
std::string type_of(const ddl::table_definition& t, std::string_view name) {
  const ddl::column* c = t.find(name);
  if (c == nullptr) return "no column " + std::string(name);
  return c->type_text + (c->not_null ? " NOT NULL" : "");
}

// ---------------------------------------------------------------------------------------------
// The reader

// Every spelling Flink 1.20's parser takes, normalized as Flink resolves the type (the texts
// are Flink 1.20.3's ResolvedSchema for the same statement, field names unquoted when plain).
TEST(NestedDdlParse, EveryNestedSyntaxAsFlinkResolvesIt) {
  const ddl::table_definition t = ddl::parse_create_table(R"(CREATE TABLE t (
      a ARRAY<INT>, b INT ARRAY, c INT NOT NULL ARRAY, d INT ARRAY NOT NULL,
      e ARRAY<INT NOT NULL> NOT NULL, f INT NOT NULL MULTISET NULL ARRAY,
      g MAP<STRING, INT>, h MAP<INT NOT NULL, STRING NOT NULL>, i MAP<STRING, INT ARRAY>,
      j MULTISET<STRING>, k STRING MULTISET, l MULTISET<INT NOT NULL>,
      m ROW<x INT, y STRING>, n ROW(x INT, `y z` STRING 'a comment'), o ROW<>, p ROW(),
      q ROW<x INT> NOT NULL, r array < int >, s map<varchar(3), decimal(10,2)>,
      u multiset<timestamp(3)>, v ARRAY<INT> ARRAY, w ROW<a INT> ARRAY,
      x MAP<STRING, INT> MULTISET, y ARRAY<ARRAY<INT NOT NULL> NOT NULL>,
      z ROW<`x``y` INT, `a b` INT, X INT, x INT>,
      aa ROW<x TIMESTAMP(3) WITH LOCAL TIME ZONE, y TIMESTAMP_LTZ(3), z TIME, w TIMESTAMP>,
      ab ARRAY<INT NULL>, ac INT NULL ARRAY, ad ROW<x INT ARRAY 'c'>))");
  EXPECT_EQ(type_of(t, "a"), "ARRAY<INT>");
  EXPECT_EQ(type_of(t, "b"), "ARRAY<INT>");
  EXPECT_EQ(type_of(t, "c"), "ARRAY<INT NOT NULL>");
  EXPECT_EQ(type_of(t, "d"), "ARRAY<INT> NOT NULL");
  EXPECT_EQ(type_of(t, "e"), "ARRAY<INT NOT NULL> NOT NULL");
  EXPECT_EQ(type_of(t, "f"), "ARRAY<MULTISET<INT NOT NULL>>");
  EXPECT_EQ(type_of(t, "g"), "MAP<STRING, INT>");
  EXPECT_EQ(type_of(t, "h"), "MAP<INT NOT NULL, STRING NOT NULL>");
  EXPECT_EQ(type_of(t, "i"), "MAP<STRING, ARRAY<INT>>");
  EXPECT_EQ(type_of(t, "j"), "MULTISET<STRING>");
  EXPECT_EQ(type_of(t, "k"), "MULTISET<STRING>");
  EXPECT_EQ(type_of(t, "l"), "MULTISET<INT NOT NULL>");
  EXPECT_EQ(type_of(t, "m"), "ROW<x INT, y STRING>");
  EXPECT_EQ(type_of(t, "n"), "ROW<x INT, `y z` STRING>");
  EXPECT_EQ(type_of(t, "o"), "ROW<>");
  EXPECT_EQ(type_of(t, "p"), "ROW<>");
  EXPECT_EQ(type_of(t, "q"), "ROW<x INT> NOT NULL");
  EXPECT_EQ(type_of(t, "r"), "ARRAY<INT>");
  EXPECT_EQ(type_of(t, "s"), "MAP<VARCHAR(3), DECIMAL(10, 2)>");
  EXPECT_EQ(type_of(t, "u"), "MULTISET<TIMESTAMP(3)>");
  EXPECT_EQ(type_of(t, "v"), "ARRAY<ARRAY<INT>>");
  EXPECT_EQ(type_of(t, "w"), "ARRAY<ROW<a INT>>");
  EXPECT_EQ(type_of(t, "x"), "MULTISET<MAP<STRING, INT>>");
  EXPECT_EQ(type_of(t, "y"), "ARRAY<ARRAY<INT NOT NULL> NOT NULL>");
  EXPECT_EQ(type_of(t, "z"), "ROW<`x``y` INT, `a b` INT, X INT, x INT>");
  EXPECT_EQ(type_of(t, "aa"),
            "ROW<x TIMESTAMP(3) WITH LOCAL TIME ZONE, y TIMESTAMP_LTZ(3), z TIME(0), "
            "w TIMESTAMP(6)>");
  EXPECT_EQ(type_of(t, "ab"), "ARRAY<INT>");
  EXPECT_EQ(type_of(t, "ac"), "ARRAY<INT>");
  EXPECT_EQ(type_of(t, "ad"), "ROW<x ARRAY<INT>>");
}

TEST(NestedDdlParse, TheTypeTree) {
  const ddl::table_definition t = ddl::parse_create_table(
      "CREATE TABLE t (id INT, home ROW<street STRING 'the street', geo ROW(lat DOUBLE, "
      "`lon` DECIMAL(9, 6) NOT NULL) NOT NULL> NOT NULL, groups MAP<STRING, BIGINT ARRAY>, "
      "labels TIMESTAMP_LTZ(3) NOT NULL MULTISET)");
  // A scalar column: no children, the same type as before.
  const ddl::column& id = *t.find("id");
  EXPECT_TRUE(id.children.empty());
  EXPECT_EQ(id.type_tree().text, "INT");
  EXPECT_EQ(id.type_tree().type, sql_type::integer);

  const ddl::column& home = *t.find("home");
  EXPECT_EQ(home.type, sql_type::row);
  EXPECT_TRUE(home.not_null);
  ASSERT_EQ(home.children.size(), 2u);
  const ddl::data_type& street = home.children[0];
  EXPECT_EQ(street.name, "street");
  EXPECT_EQ(street.comment, "the street");
  EXPECT_EQ(street.type, sql_type::string);
  EXPECT_FALSE(street.not_null);
  const ddl::data_type& geo = home.children[1];
  EXPECT_EQ(geo.name, "geo");
  EXPECT_EQ(geo.type, sql_type::row);
  EXPECT_TRUE(geo.not_null);
  ASSERT_EQ(geo.children.size(), 2u);
  EXPECT_EQ(geo.children[1].name, "lon");
  EXPECT_EQ(geo.children[1].type, sql_type::decimal);
  EXPECT_EQ(geo.children[1].precision, 9);
  EXPECT_EQ(geo.children[1].scale, 6);
  EXPECT_TRUE(geo.children[1].not_null);
  EXPECT_TRUE(home.type_tree().supported());

  const ddl::column& groups = *t.find("groups");
  EXPECT_EQ(groups.type, sql_type::map);
  ASSERT_EQ(groups.children.size(), 2u);
  EXPECT_EQ(groups.children[0].type, sql_type::string);
  EXPECT_EQ(groups.children[1].type, sql_type::array);
  EXPECT_EQ(groups.children[1].children.at(0).type, sql_type::bigint);

  const ddl::column& labels = *t.find("labels");
  EXPECT_EQ(labels.type, sql_type::multiset);
  ASSERT_EQ(labels.children.size(), 1u);
  EXPECT_EQ(labels.children[0].type, sql_type::timestamp_ltz);
  EXPECT_EQ(labels.children[0].precision, 3);
  EXPECT_TRUE(labels.children[0].not_null);
}

// Flink 1.20.3 derives a nullable ROW's fields as nullable whatever they declare (Calcite's
// createTypeWithNullability): `ROW<x INT NOT NULL>` resolves to `ROW<x INT>`, unless the ROW is
// NOT NULL (declared, or a PRIMARY KEY). Elements, keys and values keep their NOT NULL.
TEST(NestedDdlParse, TheFieldsOfANullableRowAreNullable) {
  const ddl::table_definition t = ddl::parse_create_table(R"(CREATE TABLE t (
      a ROW<x INT NOT NULL>, b ROW<x INT NOT NULL> NOT NULL, c ARRAY<ROW<x INT NOT NULL>>,
      d ARRAY<ROW<x INT NOT NULL> NOT NULL>, e ROW<r ROW<q INT NOT NULL> NOT NULL> NOT NULL,
      f ROW<r ROW<q INT NOT NULL> NOT NULL>, g MAP<STRING, ROW<x INT NOT NULL>>,
      h ROW<x INT NOT NULL> NOT NULL ARRAY, i ROW<x ARRAY<INT NOT NULL> NOT NULL>,
      k ROW<x INT NOT NULL> NULL, pk ROW<x INT, y INT NOT NULL>, PRIMARY KEY (pk) NOT ENFORCED))");
  EXPECT_EQ(type_of(t, "a"), "ROW<x INT>");
  EXPECT_EQ(type_of(t, "b"), "ROW<x INT NOT NULL> NOT NULL");
  EXPECT_EQ(type_of(t, "c"), "ARRAY<ROW<x INT>>");
  EXPECT_EQ(type_of(t, "d"), "ARRAY<ROW<x INT NOT NULL> NOT NULL>");
  EXPECT_EQ(type_of(t, "e"), "ROW<r ROW<q INT NOT NULL> NOT NULL> NOT NULL");
  EXPECT_EQ(type_of(t, "f"), "ROW<r ROW<q INT>>");
  EXPECT_EQ(type_of(t, "g"), "MAP<STRING, ROW<x INT>>");
  EXPECT_EQ(type_of(t, "h"), "ARRAY<ROW<x INT NOT NULL> NOT NULL>");
  EXPECT_EQ(type_of(t, "i"), "ROW<x ARRAY<INT NOT NULL>>");
  EXPECT_EQ(type_of(t, "k"), "ROW<x INT>");
  EXPECT_EQ(type_of(t, "pk"), "ROW<x INT, y INT NOT NULL> NOT NULL");
  // What was written is kept.
  const ddl::data_type& x = t.find("a")->children.at(0);
  EXPECT_FALSE(x.not_null);
  EXPECT_TRUE(x.declared_not_null);
}

TEST(NestedDdlParse, PartsUpsertkitHasNotAreMarked) {
  const ddl::table_definition t = ddl::parse_create_table(
      "CREATE TABLE t (a ARRAY<TIMESTAMP(3) WITH TIME ZONE>, b ROW<x DECIMAL(39, 2)>, "
      "c MAP<STRING, INT>, tags ARRAY<STRING> METADATA FROM 'headers')");
  const ddl::column& a = *t.find("a");
  EXPECT_EQ(a.type, sql_type::array);  // the kind, whatever the element
  EXPECT_FALSE(a.children.at(0).type.has_value());
  EXPECT_FALSE(a.type_tree().supported());
  EXPECT_FALSE(t.find("b")->type_tree().supported());
  EXPECT_TRUE(t.find("c")->type_tree().supported());
  EXPECT_EQ(t.find("tags")->kind, ddl::column_kind::metadata);
  EXPECT_EQ(t.find("tags")->type_text, "ARRAY<STRING>");
}

// Flink 1.20's parser refuses these too (at the same place); the messages name the column.
TEST(NestedDdlParse, BadSyntaxNamesTheColumnAndThePosition) {
  // The element of ARRAY<...> is a type name: no postfix ARRAY inside (Flink: Encountered
  // "ARRAY"), one NOT NULL only.
  EXPECT_EQ(parse_error("CREATE TABLE t (a ARRAY<INT ARRAY>)"),
            "line 1, column 29: expected '>' in the type of 'a' but found 'ARRAY'");
  EXPECT_EQ(parse_error("CREATE TABLE t (a ARRAY<INT NOT NULL NOT NULL>)"),
            "line 1, column 38: expected '>' in the type of 'a' but found 'NOT'");
  EXPECT_EQ(parse_error("CREATE TABLE t (a ARRAY)"),
            "line 1, column 24: expected '<' after ARRAY in the type of 'a' (ARRAY<T> or T "
            "ARRAY) but found ')'");
  EXPECT_EQ(parse_error("CREATE TABLE t (a multiset(INT))"),
            "line 1, column 27: expected '<' after MULTISET in the type of 'a' (MULTISET<T> or "
            "T MULTISET) but found '('");
  EXPECT_EQ(parse_error("CREATE TABLE t (a ARRAY<>)"),
            "line 1, column 25: expected a data type for column 'a'");
  EXPECT_EQ(parse_error("CREATE TABLE t (a MAP<STRING>)"),
            "line 1, column 29: expected ',' in the type of 'a' but found '>'");
  EXPECT_EQ(parse_error("CREATE TABLE t (a ROW)"),
            "line 1, column 22: expected '<' or '(' after ROW in the type of 'a' but found ')'");
  EXPECT_EQ(parse_error("CREATE TABLE t (a ROW<x INT,>)"),
            "line 1, column 29: expected a field name in the type of 'a' but found '>'");
  EXPECT_EQ(parse_error("CREATE TABLE t (a ROW(x INT>)"),
            "line 1, column 28: expected ')' in the type of 'a' but found '>'");
  EXPECT_EQ(parse_error("CREATE TABLE t (a ROW<x INT, y INT)"),
            "line 1, column 35: expected '>' in the type of 'a' but found ')'");
  // A field comment is a string literal after the type: one, and no COMMENT keyword.
  EXPECT_EQ(parse_error("CREATE TABLE t (a ROW<x INT 'one' 'two'>)"),
            "line 1, column 35: expected '>' in the type of 'a' but found 'two'");
  EXPECT_EQ(parse_error("CREATE TABLE t (a ROW<x INT COMMENT 'c'>)"),
            "line 1, column 29: expected '>' in the type of 'a' but found 'COMMENT'");
  EXPECT_EQ(
      parse_error("CREATE TABLE t (\n  a INT,\n  b MAP<STRING, ROW<x INT NOT NULL NOT NULL>>)"),
      "line 3, column 36: expected '>' in the type of 'b' but found 'NOT'");
  // RowType's checks, with Flink's texts.
  EXPECT_EQ(parse_error("CREATE TABLE t (a ROW<x INT, x STRING>)"),
            "line 1, column 30: Field names must be unique. Found duplicates: [x]");
  EXPECT_EQ(parse_error("CREATE TABLE t (a ROW<` ` INT>)"),
            "line 1, column 23: Field names must contain at least one non-whitespace character.");
}

// ---------------------------------------------------------------------------------------------
// The check

TEST(NestedDdlCheck, AMatchingStatementHasNoMismatch) {
  EXPECT_EQ(account_mismatches("", ""), strings{});
  EXPECT_NO_THROW(ddl::check<account_table>(ddl::parse_create_table(account_sql())));
  // The postfix spelling is the same type.
  EXPECT_EQ(account_mismatches("scores ARRAY<INT NOT NULL> NOT NULL",
                               "scores INT NOT NULL ARRAY "
                               "NOT NULL"),
            strings{});
  // MAP keys and MULTISET elements: NOT NULL in C++, nullable or NOT NULL in the DDL.
  EXPECT_EQ(account_mismatches("limits MAP<STRING, BIGINT>", "limits MAP<STRING NOT NULL, BIGINT>"),
            strings{});
  EXPECT_EQ(account_mismatches("labels MULTISET<STRING>", "labels MULTISET<VARCHAR(9) NOT NULL>"),
            strings{});
}

TEST(NestedDdlCheck, ElementKeyAndValueMismatchesNameTheirPath) {
  EXPECT_EQ(account_mismatches("tags ARRAY<STRING>", "tags ARRAY<BIGINT>"),
            strings{"column 'tags': tags[] is BIGINT in the DDL but `std::optional<std::string>` "
                    "(STRING) in struct Account"});
  EXPECT_EQ(account_mismatches("tags ARRAY<STRING>", "tags ARRAY<STRING NOT NULL>"),
            strings{"column 'tags': tags[] is NOT NULL in the DDL but nullable "
                    "(`std::optional<std::string>`) in struct Account"});
  EXPECT_EQ(account_mismatches("scores ARRAY<INT NOT NULL>", "scores ARRAY<INT>"),
            strings{"column 'scores': scores[] is nullable in the DDL but NOT NULL "
                    "(`std::int32_t`) in struct Account: make it std::optional, or declare it "
                    "NOT NULL"});
  EXPECT_EQ(account_mismatches("limits MAP<STRING, BIGINT>", "limits MAP<INT, BIGINT>"),
            strings{"column 'limits': limits[key] is INT in the DDL but `std::string` (STRING) in "
                    "struct Account"});
  EXPECT_EQ(account_mismatches("limits MAP<STRING, BIGINT>", "limits MAP<STRING, BIGINT NOT NULL>"),
            strings{"column 'limits': limits[value] is NOT NULL in the DDL but nullable "
                    "(`std::optional<std::int64_t>`) in struct Account"});
  EXPECT_EQ(account_mismatches("labels MULTISET<STRING>", "labels MULTISET<BYTES>"),
            strings{"column 'labels': labels[] is BYTES in the DDL but `std::string` (STRING) in "
                    "struct Account"});
  // Another kind of nested type: the column's type as a whole, as for scalar columns.
  EXPECT_EQ(account_mismatches("labels MULTISET<STRING>", "labels ARRAY<STRING>"),
            strings{"column 'labels' is ARRAY<STRING> in the DDL but "
                    "`std::optional<upsertkit::multiset<std::string>>` (MULTISET<STRING>) in "
                    "struct Account"});
  EXPECT_EQ(account_mismatches("tags ARRAY<STRING>", "tags ARRAY<ARRAY<STRING>>"),
            strings{"column 'tags': tags[] is ARRAY<STRING> in the DDL but "
                    "`std::optional<std::string>` (STRING) in struct Account"});
  // A part upsertkit has no type for.
  EXPECT_EQ(account_mismatches("tags ARRAY<STRING>", "tags ARRAY<TIMESTAMP(3) WITH TIME ZONE>"),
            strings{"column 'tags': tags[] is TIMESTAMP(3) WITH TIME ZONE in the DDL but "
                    "`std::optional<std::string>` (STRING) in struct Account"});
}

TEST(NestedDdlCheck, RowFieldMismatchesNameTheirPath) {
  // Types, DECIMAL precision, nullability, deep inside.
  EXPECT_EQ(account_mismatches("zip INT", "zip BIGINT"),
            strings{"column 'home': home.zip is BIGINT in the DDL but "
                    "`std::optional<std::int32_t>` (INT) in struct Account"});
  EXPECT_EQ(account_mismatches("price DECIMAL(10, 2)", "price DECIMAL(12, 2)"),
            strings{"column 'items': items[].price is DECIMAL(12, 2) in the DDL but "
                    "`std::optional<upsertkit::decimal<10, 2>>` (DECIMAL(10, 2)) in struct "
                    "Account"});
  EXPECT_EQ(
      account_mismatches("lat DOUBLE NOT NULL, lon DOUBLE", "lat DOUBLE, lon DOUBLE NOT NULL"),
      (strings{"column 'home': home.geo.lat is nullable in the DDL but NOT NULL (`double`) "
               "in struct Account: make it std::optional, or declare it NOT NULL",
               "column 'home': home.geo.lon is NOT NULL in the DDL but nullable "
               "(`std::optional<double>`) in struct Account"}));
  // Declared NOT NULL in a nullable ROW: nullable in Flink, so the struct must hold a NULL.
  EXPECT_EQ(account_mismatches("lon DOUBLE> NOT NULL> NOT NULL", "lon DOUBLE> NOT NULL>"),
            (strings{"column 'home' is nullable in the DDL but NOT NULL (`nested_ddl_test::Home`) "
                     "in struct Account: make it std::optional, or declare it NOT NULL",
                     "column 'home': home.geo is nullable in Flink (declared NOT NULL, but the "
                     "fields of a nullable ROW are nullable) but NOT NULL (`nested_ddl_test::Geo`) "
                     "in struct Account: make it std::optional, or declare home NOT NULL",
                     "column 'home': home.geo.lat is nullable in Flink (declared NOT NULL, but the "
                     "fields of a nullable ROW are nullable) but NOT NULL (`double`) in struct "
                     "Account: make it std::optional, or declare home NOT NULL"}));
  EXPECT_EQ(account_mismatches("lon DOUBLE> NOT NULL>", "lon DOUBLE>>"),
            (strings{"column 'home': home.geo is nullable in the DDL but NOT NULL "
                     "(`nested_ddl_test::Geo`) in struct Account: make it std::optional, or "
                     "declare it NOT NULL",
                     "column 'home': home.geo.lat is nullable in Flink (declared NOT NULL, but the "
                     "fields of a nullable ROW are nullable) but NOT NULL (`double`) in struct "
                     "Account: make it std::optional, or declare home.geo NOT NULL"}));
  // Names, missing fields, order.
  EXPECT_EQ(account_mismatches("street STRING", "road STRING"),
            (strings{"column 'home': home.street is a field of struct nested_ddl_test::Home but "
                     "not in the DDL",
                     "column 'home': home.road (STRING) is in the DDL but not a field of struct "
                     "nested_ddl_test::Home"}));
  EXPECT_EQ(account_mismatches("sku STRING, ", ""),
            strings{"column 'items': items[].sku is a field of struct nested_ddl_test::Item but "
                    "not in the DDL"});
  EXPECT_EQ(account_mismatches("street STRING, zip INT", "zip INT, street STRING"),
            strings{"column 'home': home has its fields in another order: (zip, street, geo) in "
                    "the DDL, (street, zip, geo) in struct nested_ddl_test::Home; a ROW's fields "
                    "are positional"});
  EXPECT_EQ(account_mismatches("street STRING", "`Street` STRING"),
            (strings{"column 'home': home.street is a field of struct nested_ddl_test::Home but "
                     "not in the DDL",
                     "column 'home': home.Street (STRING) is in the DDL but not a field of struct "
                     "nested_ddl_test::Home"}));
  EXPECT_EQ(account_mismatches("lon DOUBLE> NOT NULL>", "lon DOUBLE> NOT NULL, `the note` STRING>"),
            strings{"column 'home': home.`the note` (STRING) is in the DDL but not a field of "
                    "struct nested_ddl_test::Home"});
}

TEST(NestedDdlCheck, CheckListsEveryMismatch) {
  try {
    ddl::check<account_table>(
        ddl::parse_create_table(account_sql("tags ARRAY<STRING>", "tags ARRAY<INT>, extra INT")),
        "Account");
    ADD_FAILURE() << "no config_error";
  } catch (const upsertkit::config_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "the DDL of table 'accounts' does not match the compiled table:\n"
              "  column 'tags': tags[] is INT in the DDL but `std::optional<std::string>` "
              "(STRING) in struct Account\n"
              "  column 'extra' (INT) is in the DDL but not in struct Account");
  }
}

// tests/nested_table.hpp's statement, checked against its struct: `home` is nullable, so Flink
// makes `zip` nullable although it declares NOT NULL, and `std::int32_t zip` cannot hold that.
// Everything else agrees (MAP<STRING, ...> keys as NOT NULL std::string/std::string_view keys).
TEST(NestedDdlCheck, TheNestedTestTable) {
  const std::string sql = R"(CREATE TABLE people (
     id STRING NOT NULL,
     tags ARRAY<STRING>,
     scores ARRAY<INT NOT NULL> NOT NULL,
     attributes MAP<STRING, STRING>,
     counters MAP<STRING, BIGINT NOT NULL> NOT NULL,
     labels MULTISET<STRING>,
     home ROW<street STRING, zip INT NOT NULL, geo ROW<lat DOUBLE, lon DOUBLE>>,
     visits ARRAY<ROW<at TIMESTAMP(3), amount DECIMAL(10, 2)>>,
     groups MAP<STRING, ARRAY<BIGINT>>,
     PRIMARY KEY (id) NOT ENFORCED))";
  EXPECT_EQ(ddl::mismatches<test_nested::people>(ddl::parse_create_table(sql), "Person"),
            strings{"column 'home': home.zip is nullable in Flink (declared NOT NULL, but the "
                    "fields of a nullable ROW are nullable) but NOT NULL (`std::int32_t`) in "
                    "struct Person: make it std::optional, or declare home NOT NULL"});
  std::string not_null_zip = sql;
  not_null_zip.replace(not_null_zip.find("zip INT NOT NULL"), 16, "zip INT");
  EXPECT_EQ(ddl::mismatches<test_nested::people>(ddl::parse_create_table(not_null_zip), "Person"),
            strings{"column 'home': home.zip is nullable in the DDL but NOT NULL (`std::int32_t`) "
                    "in struct Person: make it std::optional, or declare it NOT NULL"});
}

// ---------------------------------------------------------------------------------------------
// The generator

std::string header(std::string_view sql, const ddl::codegen_options& options = {}) {
  return ddl::generate_header(ddl::parse_script(sql), options);
}

std::string codegen_error(std::string_view sql) {
  try {
    (void)header(sql);
  } catch (const ddl::codegen_error& e) {
    EXPECT_EQ(e.table(), "t");
    EXPECT_EQ(e.column(), "c");
    return e.what();
  }
  ADD_FAILURE() << "no codegen_error for: " << sql;
  return "";
}

TEST(NestedDdlCodegen, ARowIsAStructNamedAfterItsStructAndMember) {
  ddl::codegen_options options;
  options.namespace_name = "shop";
  const std::string text = header(
      "CREATE TABLE orders (id INT NOT NULL, tags ARRAY<STRING>, "
      "home ROW<street STRING 'the street', zip INT NOT NULL, geo ROW<lat DOUBLE, lon DOUBLE> "
      "NOT NULL> NOT NULL, items ARRAY<ROW<sku STRING, n INT NOT NULL> NOT NULL>, "
      "amounts MAP<STRING, DECIMAL(10, 2) NOT NULL>)",
      options);
  EXPECT_THAT(text, HasSubstr("#include <cstdint>\n#include <map>\n#include <optional>\n"
                              "#include <string>\n#include <string_view>\n#include <vector>\n"));
  // Each ROW's struct before the structs that use it.
  EXPECT_THAT(text, HasSubstr(R"(namespace shop {

// ROW of home.geo (table orders)
struct Orders_home_geo {
  std::optional<double> lat{};  // DOUBLE
  std::optional<double> lon{};  // DOUBLE

  friend bool operator==(const Orders_home_geo&, const Orders_home_geo&) = default;
};

// ROW of home (table orders)
struct Orders_home {
  std::optional<std::string> street{};  // STRING, COMMENT "the street"
  std::int32_t zip{};                   // INT NOT NULL
  Orders_home_geo geo{};                // ROW<lat DOUBLE, lon DOUBLE> NOT NULL

  friend bool operator==(const Orders_home&, const Orders_home&) = default;
};

// ROW of items[] (table orders)
struct Orders_items {
  std::optional<std::string> sku{};  // STRING
  std::int32_t n{};                  // INT NOT NULL

  friend bool operator==(const Orders_items&, const Orders_items&) = default;
};

// CREATE TABLE orders
struct Orders {
)"));
  EXPECT_THAT(text, HasSubstr("  std::optional<std::vector<std::optional<std::string>>> tags{};"));
  EXPECT_THAT(text, HasSubstr("  Orders_home home{};"));
  EXPECT_THAT(text, HasSubstr("  std::optional<std::vector<Orders_items>> items{};"));
  EXPECT_THAT(text, HasSubstr("  std::optional<std::map<std::string, upsertkit::decimal<10, 2>>> "
                              "amounts{};"));
  // Adapted in the same order, before the table's struct.
  EXPECT_THAT(text, HasSubstr("BOOST_HANA_ADAPT_STRUCT(shop::Orders_home_geo, lat, lon);\n"
                              "BOOST_HANA_ADAPT_STRUCT(shop::Orders_home, street, zip, geo);\n"
                              "BOOST_HANA_ADAPT_STRUCT(shop::Orders_items, sku, n);\n"
                              "BOOST_HANA_ADAPT_STRUCT(shop::Orders, id, tags, home, items, "
                              "amounts);\n"));
  // Without nested types, the includes are as before.
  const std::string flat = header("CREATE TABLE t (id INT)");
  EXPECT_THAT(flat, Not(HasSubstr("<map>")));
  EXPECT_THAT(flat, Not(HasSubstr("<vector>")));
  EXPECT_THAT(header("CREATE TABLE t (m MAP<STRING, INT>)"), Not(HasSubstr("<vector>")));
}

TEST(NestedDdlCodegen, NamesAndNullability) {
  ddl::codegen_options view;
  view.strings = ddl::string_member::view;
  const std::string text = header(
      "CREATE TABLE t (`T_r` INT, r ROW<r ROW<x INT>>, a_b ROW<x INT>, a ROW<b ROW<y INT>>, "
      "home ROW<`class` INT, `a b` STRING NOT NULL, n INT NOT NULL>, "
      "keyed MAP<ROW<a STRING>, ROW<b INT>>, bag MULTISET<ROW<r ROW<q INT>>>)",
      view);
  // A name taken by a member of the struct that uses it, or by another ROW's struct: `_2`.
  // The ROWs of a MAP's key and value: `_key`, `_value`.
  EXPECT_THAT(text, HasSubstr("  std::optional<std::int32_t> T_r{};"));
  EXPECT_THAT(text, HasSubstr("  std::optional<T_r_2> r{};"));
  EXPECT_THAT(text, HasSubstr("struct T_r_2 {\n  std::optional<T_r_2_r> r{};  // ROW<x INT>\n"));
  EXPECT_THAT(text, HasSubstr("  std::optional<T_a_b> a_b{};"));
  EXPECT_THAT(text, HasSubstr("struct T_a {\n  std::optional<T_a_b_2> b{};"));
  EXPECT_THAT(text,
              HasSubstr("  std::optional<std::map<T_keyed_key, std::optional<T_keyed_value>>> "
                        "keyed{};"));
  // ROWs inside a MAP key or MULTISET element can be ordered; the others are not.
  EXPECT_THAT(text, HasSubstr("  friend auto operator<=>(const T_keyed_key&, const T_keyed_key&) "
                              "= default;"));
  EXPECT_THAT(text, Not(HasSubstr("operator<=>(const T_keyed_value&")));
  EXPECT_THAT(text, HasSubstr("  friend auto operator<=>(const T_bag_r&, const T_bag_r&) = "
                              "default;"));
  EXPECT_THAT(text, HasSubstr("  std::optional<upsertkit::multiset<T_bag>> bag{};"));
  // STRING_VIEW reaches keys and fields; a declared NOT NULL field of a nullable ROW is
  // nullable, as in Flink.
  EXPECT_THAT(text, HasSubstr("  std::optional<std::string_view> a{};  // STRING"));
  EXPECT_THAT(text, HasSubstr("  std::optional<std::string_view> a_b{};  // STRING, declared NOT "
                              "NULL (the fields of a nullable ROW are nullable), field `a b`"));
  // Fields that are no member names: upsertkit::columns with the SQL names.
  EXPECT_THAT(text, HasSubstr("struct boost::hana::accessors_impl<T_home>\n"
                              "    : upsertkit::columns<upsertkit::column<\"class\", "
                              "&T_home::class_>,\n"));
  EXPECT_THAT(text, HasSubstr("upsertkit::column<\"a b\", &T_home::a_b>"));
  // Another table declaring the same name.
  try {
    (void)header("CREATE TABLE t (a ROW<x INT>); CREATE TABLE u (x INT) ;", [] {
      ddl::codegen_options o;
      o.tables = {"t", "u=T_a"};
      return o;
    }());
    ADD_FAILURE() << "no codegen_error";
  } catch (const ddl::codegen_error& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("table 'u' and table 't' would both declare "
                                                 "'T_a'"));
  }
}

TEST(NestedDdlCodegen, UnsupportedPartsAreNamed) {
  const std::string supported =
      "; supported: STRING, VARCHAR(n), CHAR(n), BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, "
      "DOUBLE, DECIMAL(p, s) (p <= 38), DATE, TIME(p), TIMESTAMP(p), TIMESTAMP_LTZ(p), BYTES, "
      "VARBINARY(n), BINARY(n), ARRAY<T>, MULTISET<T>, MAP<K, V>, ROW<name T, ...> (T, K, V: any "
      "of these; a ROW has a field; no MULTISET in a MAP key or MULTISET element)";
  EXPECT_EQ(codegen_error("CREATE TABLE t (c TIMESTAMP(3) WITH TIME ZONE)"),
            "table 't', column 'c': the type TIMESTAMP(3) WITH TIME ZONE is not supported by the "
            "generator" +
                supported);
  EXPECT_EQ(codegen_error("CREATE TABLE t (c MAP<STRING, ROW<a INT, b ARRAY<DECIMAL(39, 1)>>>)"),
            "table 't', column 'c': the type MAP<STRING, ROW<a INT, b ARRAY<DECIMAL(39, 1)>>> is "
            "not supported by the generator (c[value].b[] is DECIMAL(39, 1))" +
                supported);
  EXPECT_EQ(codegen_error("CREATE TABLE t (c MAP<MULTISET<INT>, INT>)"),
            "table 't', column 'c': the type MAP<MULTISET<INT>, INT> is not supported by the "
            "generator: c[key] is a MULTISET inside a MAP key or MULTISET element, which C++ "
            "cannot order (upsertkit::multiset has no operator<)" +
                supported);
  EXPECT_THAT(codegen_error("CREATE TABLE t (c MULTISET<ROW<a MULTISET<INT>>>)"),
              HasSubstr(": c[].a is a MULTISET inside a MAP key or MULTISET element"));
  // Flink has ROW<> and ROW(); upsertkit's ROW has at least one field (types.hpp).
  EXPECT_THAT(codegen_error("CREATE TABLE t (c ROW<a INT, b ROW()>)"),
              HasSubstr("the type ROW<a INT, b ROW<>> is not supported by the generator (c.b is "
                        "ROW<>: upsertkit's ROW has at least one field)"));
  EXPECT_THAT(codegen_error("CREATE TABLE t (c ARRAY<VARCHAR<3>>)"),
              HasSubstr("(c[] is VARCHAR<3>)"));
  // A nested metadata column has no member: anything goes.
  EXPECT_NO_THROW(header("CREATE TABLE t (id INT, c ARRAY<INTERVAL> METADATA)"));
}

// The command line points at the column of a nested type that it cannot generate.
TEST(NestedDdlCodegen, TheCommandLineNamesTheLineAndColumn) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("nested_ddl_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string sql = (dir / "t.sql").string();
  {
    std::ofstream out(sql);
    out << "CREATE TABLE t (\n  r ROW<a INT, b INT>,\n  b MAP<INT, ROW<x TIMESTAMP WITH TIME "
           "ZONE>>,\n  c INT)";
  }
  std::ostringstream out, err;
  EXPECT_EQ(ddl::codegen_main({sql}, out, err), 1);
  EXPECT_THAT(err.str(), ::testing::StartsWith(sql + ":3:3: error: table 't', column 'b': the "
                                                     "type MAP<INT, ROW<x TIMESTAMP(6) WITH TIME "
                                                     "ZONE>> is not supported by the generator "
                                                     "(b[value].x is TIMESTAMP(6) WITH TIME "
                                                     "ZONE)"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace nested_ddl_test
