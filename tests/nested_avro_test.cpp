// Tests for the `avro` format's nested columns (ARRAY, MAP, MULTISET, ROW): the schema Flink
// 1.20.3's AvroSchemaConverter derives, the bytes its writer (RowDataToAvroConverters and
// Avro's GenericDatumWriter) produces, and hostile messages (every read bounds-checked; the
// message sits in a heap block of its exact size so ASan sees any read past it).
//
// The expected schema texts, refusal texts and `flink_*` byte strings below are the output of
// Flink 1.20.3 itself (flink-avro, Avro 1.11.4) run on the same row types and values.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "byte_strings.hpp"
#include "nested_table.hpp"
#include "upsertkit/formats/avro.hpp"

namespace nested_avro_test {

struct Point {
  std::optional<std::string_view> s;
  std::int32_t z = 0;
  friend bool operator==(const Point&, const Point&) = default;
};

}  // namespace nested_avro_test

BOOST_HANA_ADAPT_STRUCT(nested_avro_test::Point, s, z);

namespace nested_avro_test {

// One column per shape, for exact bytes of small cases (each encoded through a one-column
// projection).
struct Shapes {
  std::int64_t id = 0;
  std::vector<std::int32_t> ints;                                      // ARRAY<INT NOT NULL>
  std::optional<std::vector<std::optional<std::int32_t>>> maybe_ints;  // ARRAY<INT>
  std::map<std::string_view, std::int64_t> longs;  // MAP<STRING, BIGINT NOT NULL>
  upsertkit::multiset<std::string_view> bag;       // MULTISET<STRING>
  std::optional<Point> point;                      // ROW<s STRING, z INT NOT NULL>
  std::vector<bool> flags;                         // ARRAY<BOOLEAN NOT NULL>
  std::optional<std::vector<std::optional<upsertkit::bytes>>> blobs;  // ARRAY<BYTES>
  // ARRAY<ARRAY<INT NOT NULL> NOT NULL>
  std::optional<std::vector<std::vector<std::int32_t>>> matrix;
  std::optional<std::vector<std::optional<upsertkit::decimal<2, 0>>>> small_decimals;
  std::vector<upsertkit::decimal<2, 0>> strict_decimals;
  std::optional<std::vector<std::optional<std::string>>> owned;
  std::optional<std::map<std::string, std::optional<Point>>> points;  // MAP<STRING, ROW<...>>
  Point exact_point;                                                  // ROW<...> NOT NULL
  std::vector<Point> point_list;  // ARRAY<ROW<s STRING, z INT NOT NULL> NOT NULL>
  friend bool operator==(const Shapes&, const Shapes&) = default;
};

// Column types Flink's AvroSchemaConverter refuses, and the timestamp mapping's depth rules
// (`a` and `r` are Flink's probe `ROW<a ARRAY<ROW<t TIMESTAMP(3)>>, r ROW<a ARRAY<ROW<x INT>>>>`).
struct RowKey {
  std::optional<std::int32_t> q;
  friend auto operator<=>(const RowKey&, const RowKey&) = default;
};
struct TimestampRow {
  std::optional<upsertkit::timestamp> t;
};
struct IntRow {
  std::optional<std::int32_t> x;
};
struct RowOfRows {
  std::optional<std::vector<std::optional<IntRow>>> a;
};
struct Micros {
  std::optional<upsertkit::local_timestamp<6>> t;
  std::optional<upsertkit::timestamp_ltz<3>> l;
};
struct StrictLtz {
  upsertkit::timestamp_ltz<3> l;
};
struct IntKeyRow {
  std::optional<std::map<std::int32_t, std::optional<std::string>>> m;
};

struct Oddities {
  std::int64_t id = 0;
  std::optional<std::map<std::int32_t, std::optional<std::string>>> int_keys;
  std::optional<upsertkit::multiset<std::int64_t>> bigint_bag;
  std::optional<std::map<upsertkit::decimal<10, 2>, std::optional<std::string>>> decimal_keys;
  std::optional<upsertkit::multiset<RowKey>> row_bag;
  std::optional<std::vector<std::optional<upsertkit::timestamp_ltz<3>>>> ltz_array;
  std::optional<std::vector<upsertkit::timestamp_ltz<3>>> strict_ltz_array;
  std::optional<std::vector<std::optional<upsertkit::local_timestamp<6>>>> micros_array;
  std::optional<std::vector<std::optional<upsertkit::time_of_day<6>>>> micro_times;
  std::optional<std::map<std::string, std::optional<upsertkit::timestamp_ltz<3>>>> ltz_map;
  std::optional<std::map<std::int32_t, std::optional<upsertkit::timestamp_ltz<3>>>> int_ltz_map;
  std::optional<IntKeyRow> row_with_int_keys;
  std::optional<Micros> micros_row;
  std::optional<std::vector<std::optional<TimestampRow>>> a;
  std::optional<RowOfRows> r;
  std::optional<StrictLtz> ltz_row;
  StrictLtz strict_ltz_row;
};

}  // namespace nested_avro_test

BOOST_HANA_ADAPT_STRUCT(nested_avro_test::Shapes, id, ints, maybe_ints, longs, bag, point, flags,
                        blobs, matrix, small_decimals, strict_decimals, owned, points, exact_point,
                        point_list);
BOOST_HANA_ADAPT_STRUCT(nested_avro_test::RowKey, q);
BOOST_HANA_ADAPT_STRUCT(nested_avro_test::TimestampRow, t);
BOOST_HANA_ADAPT_STRUCT(nested_avro_test::IntRow, x);
BOOST_HANA_ADAPT_STRUCT(nested_avro_test::RowOfRows, a);
BOOST_HANA_ADAPT_STRUCT(nested_avro_test::Micros, t, l);
BOOST_HANA_ADAPT_STRUCT(nested_avro_test::StrictLtz, l);
BOOST_HANA_ADAPT_STRUCT(nested_avro_test::IntKeyRow, m);
BOOST_HANA_ADAPT_STRUCT(nested_avro_test::Oddities, id, int_keys, bigint_bag, decimal_keys, row_bag,
                        ltz_array, strict_ltz_array, micros_array, micro_times, ltz_map,
                        int_ltz_map, row_with_int_keys, micros_row, a, r, ltz_row, strict_ltz_row);

namespace nested_avro_test {
namespace {

namespace avro = upsertkit::avro;
using test_nested::Address;
using test_nested::Geo;
using test_nested::people;
using test_nested::Person;
using test_nested::Visit;
using shapes = upsertkit::table<Shapes, upsertkit::primary_key<"id">>;
using oddities = upsertkit::table<Oddities, upsertkit::primary_key<"id">>;

// ---------------------------------------------------------------------------------------------
// Helpers

using byte_strings::bytes;
using byte_strings::hex;

// "04 70 31" -> the bytes.
std::string unhex(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i + 2 <= text.size(); i += 3)
    out += static_cast<char>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16));
  return out;
}

using byte_strings::exact_buffer;

template <class Table>
avro::codec<Table> value_codec(avro::options opts = {}) {
  return avro::codec<Table>(upsertkit::table_projections<Table>().value, opts);
}

// A codec of one column, under its own name.
template <class Table>
avro::codec<Table> column_codec(std::string_view column, avro::options opts = {}) {
  const std::size_t index = Table::fields::index_of(column);
  return avro::codec<Table>(
      upsertkit::projection{{static_cast<std::uint16_t>(index)}, {std::string(column)}}, opts);
}

template <class Table>
std::string encode(const avro::codec<Table>& codec, const typename Table::row_type& row) {
  std::string out;
  codec.encode(row, out);
  return out;
}

template <class Table>
std::string refusal(std::string_view column, bool legacy = true) {
  try {
    column_codec<Table>(column, avro::options{legacy, false});
  } catch (const upsertkit::config_error& e) {
    return e.what();
  }
  return "no error";
}

// Deep equality of nested values (the test table's structs have no operator==).
template <class T>
bool same(const T& a, const T& b) {
  namespace ud = upsertkit::detail;
  if constexpr (ud::is_optional<T>::value) {
    return a.has_value() == b.has_value() && (!a || same(*a, *b));
  } else if constexpr (ud::is_vector<T>) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same<typename T::value_type>(a[i], b[i])) return false;
    return true;
  } else if constexpr (ud::is_map<T>) {
    if (a.size() != b.size()) return false;
    for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j)
      if (i->first != j->first || !same(i->second, j->second)) return false;
    return true;
  } else if constexpr (ud::is_row<T>) {
    bool equal = true;
    upsertkit::for_each_field<T>([&](auto index) {
      constexpr std::size_t i = decltype(index)::value;
      equal = equal && same(upsertkit::struct_fields<T>::template get<i>(a),
                            upsertkit::struct_fields<T>::template get<i>(b));
    });
    return equal;
  } else if constexpr (std::is_floating_point_v<T>) {
    return std::memcmp(&a, &b, sizeof a) == 0;  // NaN too
  } else {
    return a == b;
  }
}

// ---------------------------------------------------------------------------------------------
// Rows of the test table, and what Flink 1.20.3 writes for them: the table created with the DDL
// of nested_table.hpp, its resolved physical row type through RowDataToAvroConverters, then
// Avro's GenericDatumWriter with a direct BinaryEncoder, the schema from AvroSchemaConverter.
// (`home.zip` is declared NOT NULL in a nullable ROW: Flink resolves it as nullable.)

using tag_list = std::vector<std::optional<std::string_view>>;
using attribute_map = std::map<std::string, std::optional<std::string>>;
using visit_list = std::vector<std::optional<Visit>>;
using id_list = std::vector<std::optional<std::int64_t>>;
using group_map = std::map<std::string, std::optional<id_list>>;

Person full_person() {
  Person p;
  p.id = "p1";
  p.tags = tag_list{"x", std::nullopt};
  p.scores = {1, -2};
  p.attributes = attribute_map{{"k", "v"}};
  p.counters = {{"c", 5}};
  p.labels = upsertkit::multiset<std::string>{{{"l", 2}}};
  p.home = Address{"Main", 12345, Geo{1.5, std::nullopt}};
  p.visits = visit_list{Visit{upsertkit::timestamp{1000}, upsertkit::decimal<10, 2>{1234}},
                        std::nullopt, Visit{}};
  p.groups = group_map{{"g", id_list{1, std::nullopt}}};
  return p;
}
constexpr std::string_view flink_full =
    "04 70 31 02 04 02 02 78 00 00 04 02 03 00 02 02 02 6b 02 02 76 00 02 02 63 0a 00 02 02 02 "
    "6c 02 04 00 02 02 08 4d 61 69 6e 02 f2 c0 01 02 02 00 00 00 00 00 00 f8 3f 00 02 06 02 02 "
    "d0 0f 02 04 04 d2 00 02 00 00 00 02 02 02 67 02 04 02 02 00 00 00";

Person null_person() {
  Person p;
  p.id = "p2";
  return p;
}
constexpr std::string_view flink_nulls = "04 70 32 00 00 00 00 00 00 00 00";

// Empty collections, and NULL one level down.
Person empty_person() {
  Person p;
  p.id = "p3";
  p.tags.emplace();
  p.scores = {7};
  p.attributes.emplace();
  p.labels.emplace();
  p.home = Address{std::nullopt, 0, std::nullopt};
  p.visits.emplace();
  p.groups = group_map{{"e", std::nullopt}};
  return p;
}
constexpr std::string_view flink_empties =
    "04 70 33 02 00 02 0e 00 02 00 00 02 00 02 00 02 00 00 02 00 02 02 02 65 00 00";

// Several entries per MAP and MULTISET: Flink writes Java HashMap order.
Person many_person() {
  Person p;
  p.id = "p4";
  p.attributes = attribute_map{{"k", "v"}, {"n", std::nullopt}, {"b", ""}};
  p.counters = {{"b", 1}, {"a", 2}, {"aa", 3}, {"zz", -1}};
  p.labels = upsertkit::multiset<std::string>{{{"x", 1}, {"y", 3}}};
  p.groups = group_map{{"h", id_list{}}, {"i", std::nullopt}};
  return p;
}
constexpr std::string_view flink_many =
    "04 70 34 00 00 02 06 02 6e 00 02 62 02 00 02 6b 02 02 76 00 08 04 61 61 06 04 7a 7a 01 02 "
    "61 04 02 62 02 00 02 04 02 78 02 02 02 79 02 06 00 00 00 02 04 02 68 02 00 02 69 00 00";

// NULL at the deepest level of each column.
Person deep_null_person() {
  Person p;
  p.id = "p5";
  p.tags = tag_list{std::nullopt};
  p.attributes = attribute_map{{"k", std::nullopt}};
  p.home = Address{std::nullopt, -1, Geo{}};
  p.visits = visit_list{std::nullopt, Visit{std::nullopt, upsertkit::decimal<10, 2>{-5}}};
  p.groups = group_map{{"g", id_list{std::nullopt}}, {"h", std::nullopt}};
  return p;
}

// ---------------------------------------------------------------------------------------------
// Schema

TEST(NestedAvroSchema, PeopleIsWhatFlinksAvroSchemaConverterDerives) {
  // Flink 1.20.3: CREATE TABLE people (the DDL of nested_table.hpp) WITH upsert-kafka and avro,
  // AvroSchemaConverter.convertToSchema(its resolved physical row type), Schema.toString().
  // The planner makes every field of a nullable ROW nullable, so `zip` is ["null", "int"].
  const std::string flink =
      R"({"type":"record","name":"record","namespace":"org.apache.flink.avro.generated",)"
      R"("fields":[{"name":"id","type":"string"},)"
      R"({"name":"tags","type":["null",{"type":"array","items":["null","string"]}],)"
      R"("default":null},)"
      R"({"name":"scores","type":{"type":"array","items":"int"}},)"
      R"({"name":"attributes","type":["null",{"type":"map","values":["null","string"]}],)"
      R"("default":null},)"
      R"({"name":"counters","type":{"type":"map","values":"long"}},)"
      R"({"name":"labels","type":["null",{"type":"map","values":["null","int"]}],)"
      R"("default":null},)"
      R"({"name":"home","type":["null",{"type":"record","name":"record_home","fields":[)"
      R"({"name":"street","type":["null","string"],"default":null},)"
      R"({"name":"zip","type":["null","int"],"default":null},)"
      R"({"name":"geo","type":["null",{"type":"record","name":"record_home_geo","fields":[)"
      R"({"name":"lat","type":["null","double"],"default":null},)"
      R"({"name":"lon","type":["null","double"],"default":null}]}],"default":null}]}],)"
      R"("default":null},)"
      R"({"name":"visits","type":["null",{"type":"array","items":["null",{"type":"record",)"
      R"("name":"record_visits","fields":[)"
      R"({"name":"at","type":["null",{"type":"long","logicalType":"timestamp-millis"}],)"
      R"("default":null},)"
      R"({"name":"amount","type":["null",{"type":"bytes","logicalType":"decimal",)"
      R"("precision":10,"scale":2}],"default":null}]}]}],"default":null},)"
      R"({"name":"groups","type":["null",{"type":"map","values":["null",{"type":"array",)"
      R"("items":["null","long"]}]}],"default":null}]})";
  EXPECT_EQ(avro::schema_json<people>(), flink);
  EXPECT_EQ(value_codec<people>().schema_json(), flink);
  // Without the legacy mapping: the same text (TIMESTAMP(3) in an ARRAY stays timestamp-millis).
  EXPECT_EQ(value_codec<people>(avro::options{false, false}).schema_json(), flink);
}

TEST(NestedAvroSchema, NestedRecordsAreNamedAfterTheProjectedColumn) {
  // A key projection's field names are the names in the message; the record names follow.
  const avro::codec<people> codec(upsertkit::projection{{6}, {"k_home"}});
  EXPECT_NE(codec.schema_json().find(R"("name":"record_k_home","fields")"), std::string::npos);
  EXPECT_NE(codec.schema_json().find(R"("name":"record_k_home_geo","fields")"), std::string::npos);
}

TEST(NestedAvroSchema, TheFieldsOfANullableRowAreNullable) {
  // Flink resolves a nullable ROW<s STRING, z INT NOT NULL> as ROW<s STRING, z INT> (checked
  // with a CREATE TABLE in Flink 1.20.3); a NOT NULL ROW, also as an ARRAY element, keeps z's.
  const avro::codec<shapes> codec(upsertkit::projection{{5, 13, 14}, {"point", "exact", "list"}});
  EXPECT_EQ(
      codec.schema_json(),
      R"({"type":"record","name":"record","namespace":"org.apache.flink.avro.generated",)"
      R"("fields":[{"name":"point","type":["null",{"type":"record","name":"record_point",)"
      R"("fields":[{"name":"s","type":["null","string"],"default":null},)"
      R"({"name":"z","type":["null","int"],"default":null}]}],"default":null},)"
      R"({"name":"exact","type":{"type":"record","name":"record_exact","fields":[)"
      R"({"name":"s","type":["null","string"],"default":null},{"name":"z","type":"int"}]}},)"
      R"({"name":"list","type":{"type":"array","items":{"type":"record","name":"record_list",)"
      R"("fields":[{"name":"s","type":["null","string"],"default":null},)"
      R"({"name":"z","type":"int"}]}}}]})");
}

TEST(NestedAvroSchema, TimestampMappingReachesRowFieldsButNotArrayOrMapElements) {
  // Flink converts ARRAY elements and MAP values with the overload that has no mapping flag
  // (legacy), ROW fields with the flag it was given.
  const avro::codec<oddities> codec(upsertkit::projection{{13, 14}, {"a", "r"}},
                                    avro::options{false, false});
  EXPECT_EQ(
      codec.schema_json(),
      R"({"type":"record","name":"record","namespace":"org.apache.flink.avro.generated",)"
      R"("fields":[{"name":"a","type":["null",{"type":"array","items":["null",{"type":"record",)"
      R"("name":"record_a","fields":[{"name":"t","type":["null",{"type":"long",)"
      R"("logicalType":"timestamp-millis"}],"default":null}]}]}],"default":null},)"
      R"({"name":"r","type":["null",{"type":"record","name":"record_r","fields":[{"name":"a",)"
      R"("type":["null",{"type":"array","items":["null",{"type":"record","name":"record_r_a",)"
      R"("fields":[{"name":"x","type":["null","int"],"default":null}]}]}],"default":null}]}],)"
      R"("default":null}]})");
  EXPECT_EQ(
      column_codec<oddities>("micros_row", avro::options{false, false}).schema_json(),
      R"({"type":"record","name":"record","namespace":"org.apache.flink.avro.generated",)"
      R"("fields":[{"name":"micros_row","type":["null",{"type":"record",)"
      R"("name":"record_micros_row","fields":[{"name":"t","type":["null",{"type":"long",)"
      R"("logicalType":"local-timestamp-micros"}],"default":null},{"name":"l","type":["null",)"
      R"({"type":"long","logicalType":"timestamp-millis"}],"default":null}]}],"default":null}]})");
}

TEST(NestedAvroSchema, TypesFlinkCannotMapAreRefusedWithItsText) {
  const std::string key = "Avro format doesn't support non-string as key type of map. ";
  EXPECT_EQ(refusal<oddities>("int_keys"), key + "The key type is: INT");
  EXPECT_EQ(refusal<oddities>("bigint_bag"), key + "The key type is: BIGINT");
  EXPECT_EQ(refusal<oddities>("decimal_keys"), key + "The key type is: DECIMAL(10, 2)");
  EXPECT_EQ(refusal<oddities>("row_bag"), key + "The key type is: ROW<`q` INT>");
  EXPECT_EQ(refusal<oddities>("row_with_int_keys"), key + "The key type is: INT");
  // The key is checked before the value.
  EXPECT_EQ(refusal<oddities>("int_ltz_map"), key + "The key type is: INT");

  const std::string ltz = "Unsupported to derive Schema for type: TIMESTAMP_LTZ(3)";
  for (bool legacy : {true, false}) {
    EXPECT_EQ(refusal<oddities>("ltz_array", legacy), ltz);
    EXPECT_EQ(refusal<oddities>("strict_ltz_array", legacy), ltz + " NOT NULL");
    EXPECT_EQ(refusal<oddities>("ltz_map", legacy), ltz);
    // A NOT NULL field is nullable in a nullable ROW (Flink's resolved type), not in a NOT NULL
    // one.
    EXPECT_EQ(refusal<oddities>("strict_ltz_row", legacy), legacy ? ltz + " NOT NULL" : "no error");
    EXPECT_EQ(refusal<oddities>("ltz_row", legacy), legacy ? ltz : "no error");
    EXPECT_EQ(refusal<oddities>("micros_array", legacy),
              "Avro does not support TIMESTAMP type with precision: 6, it only supports precision "
              "less than 3.");
    EXPECT_EQ(refusal<oddities>("micro_times", legacy),
              "Avro does not support TIME type with precision: 6, it only supports precision less "
              "than 3.");
  }
  // A ROW's fields keep the mapping: refused with it, accepted without.
  EXPECT_EQ(refusal<oddities>("micros_row", true),
            "Avro does not support TIMESTAMP type with precision: 6, it only supports precision "
            "less than 3.");
  EXPECT_EQ(refusal<oddities>("micros_row", false), "no error");
}

// ---------------------------------------------------------------------------------------------
// Encoding: bytes computed by hand from the Avro specification (and equal to Flink's)

TEST(NestedAvroEncode, ArraysAreOneBlockThenTheEndMarker) {
  Shapes row;
  row.ints = {1, 2, 3};
  // count 3 (zig-zag 06), items 1 2 3 (02 04 06), end 00
  EXPECT_EQ(hex(encode(column_codec<shapes>("ints"), row)), "06 02 04 06 00");
  row.ints.clear();
  EXPECT_EQ(hex(encode(column_codec<shapes>("ints"), row)), "00");  // empty: the end marker only

  row.maybe_ints = {{1, std::nullopt}};
  // union 1, count 2, [union 1, 1], [union 0], end
  EXPECT_EQ(hex(encode(column_codec<shapes>("maybe_ints"), row)), "02 04 02 02 00 00");
  row.maybe_ints.reset();
  EXPECT_EQ(hex(encode(column_codec<shapes>("maybe_ints"), row)), "00");
  row.maybe_ints.emplace();
  EXPECT_EQ(hex(encode(column_codec<shapes>("maybe_ints"), row)), "02 00");

  row.flags = {true, false, true};
  EXPECT_EQ(hex(encode(column_codec<shapes>("flags"), row)), "06 01 00 01 00");

  row.matrix = {{{1}, {}, {2, 3}}};
  EXPECT_EQ(hex(encode(column_codec<shapes>("matrix"), row)), "02 06 02 02 00 00 04 04 06 00 00");
}

TEST(NestedAvroEncode, MapsAndMultisetsHaveStringKeys) {
  Shapes row;
  row.longs = {{"a", 1}};
  // count 1, key "a" (02 61), value 1 (02), end
  EXPECT_EQ(hex(encode(column_codec<shapes>("longs"), row)), "02 02 61 02 00");
  row.longs.clear();
  EXPECT_EQ(hex(encode(column_codec<shapes>("longs"), row)), "00");

  // A MULTISET's count is ["null", "int"]: union 1, then the int.
  row.bag.counts = {{"x", 2}};
  EXPECT_EQ(hex(encode(column_codec<shapes>("bag"), row)), "02 02 78 02 04 00");

  // Entries in std::map order (Flink writes its HashMap's order; any order is the same map).
  row.longs = {{"b", 1}, {"a", 2}, {"aa", 3}};
  EXPECT_EQ(hex(encode(column_codec<shapes>("longs"), row)), "06 02 61 04 04 61 61 06 02 62 02 00");
}

TEST(NestedAvroEncode, RowsAreTheirFieldsInOrder) {
  Shapes row;
  // A NOT NULL ROW keeps its fields' nullability: s ["null", "string"], z "int".
  row.exact_point = Point{"ab", 7};
  // s: union 1 + "ab", z: 7 (0e)
  EXPECT_EQ(hex(encode(column_codec<shapes>("exact_point"), row)), "02 04 61 62 0e");
  row.point_list = {Point{std::nullopt, 1}};
  EXPECT_EQ(hex(encode(column_codec<shapes>("point_list"), row)), "02 00 02 00");

  // In a nullable ROW every field is nullable (Flink resolves ROW<s STRING, z INT NOT NULL> as
  // ROW<s STRING, z INT>): z is written with its union index, 1.
  row.point = Point{"ab", 7};
  EXPECT_EQ(hex(encode(column_codec<shapes>("point"), row)), "02 02 04 61 62 02 0e");
  row.point = Point{std::nullopt, 7};
  EXPECT_EQ(hex(encode(column_codec<shapes>("point"), row)), "02 00 02 0e");
  row.point.reset();
  EXPECT_EQ(hex(encode(column_codec<shapes>("point"), row)), "00");

  row.points = {{{"p", Point{"", -1}}, {"q", std::nullopt}}};
  EXPECT_EQ(hex(encode(column_codec<shapes>("points"), row)),
            "02 04 02 70 02 02 00 02 01 02 71 00 00");
}

TEST(NestedAvroEncode, PeopleRowsAreWhatFlinksWriterWrites) {
  const auto codec = value_codec<people>();
  EXPECT_EQ(hex(encode(codec, full_person())), flink_full);
  EXPECT_EQ(hex(encode(codec, null_person())), flink_nulls);
  EXPECT_EQ(hex(encode(codec, empty_person())), flink_empties);
  // Only the entry order differs from Flink's HashMap order.
  EXPECT_EQ(hex(encode(codec, many_person())),
            "04 70 34 00 00 02 06 02 62 02 00 02 6b 02 02 76 02 6e 00 00 08 02 61 04 04 61 61 06 "
            "02 62 02 04 7a 7a 01 00 02 04 02 78 02 02 02 79 02 06 00 00 00 02 04 02 68 02 00 02 "
            "69 00 00");
}

// ---------------------------------------------------------------------------------------------
// Decoding

TEST(NestedAvroDecode, FlinksBytesDecodeToTheRows) {
  const auto codec = value_codec<people>();
  const std::pair<std::string_view, Person> cases[] = {{flink_full, full_person()},
                                                       {flink_nulls, null_person()},
                                                       {flink_empties, empty_person()},
                                                       {flink_many, many_person()}};
  for (const auto& [flink, expected] : cases) {
    const exact_buffer message(unhex(flink));
    Person row;
    const auto status = codec.decode(message.view(), row);
    ASSERT_TRUE(status.ok()) << flink << ": " << status.describe();
    EXPECT_TRUE(same(row, expected)) << flink << "\n decoded as " << hex(encode(codec, row));
  }
}

TEST(NestedAvroRoundTrip, NullsAtEveryLevelAndEmptyCollections) {
  const auto codec = value_codec<people>();
  for (const Person& original :
       {full_person(), null_person(), empty_person(), many_person(), deep_null_person()}) {
    const std::string encoded = encode(codec, original);
    const exact_buffer message(encoded);
    Person row;
    const auto status = codec.decode(message.view(), row);
    ASSERT_TRUE(status.ok()) << hex(encoded) << ": " << status.describe();
    EXPECT_TRUE(same(row, original)) << hex(encoded);
    EXPECT_EQ(encode(codec, row), encoded);
  }

  Shapes shape;
  shape.id = 9;
  shape.ints = {std::numeric_limits<std::int32_t>::min(), 0,
                std::numeric_limits<std::int32_t>::max()};
  shape.maybe_ints = {{std::nullopt, 4}};
  shape.longs = {{"", std::numeric_limits<std::int64_t>::min()}, {"z", 1}};
  shape.bag.counts = {{"a", 1}, {"b", -3}, {"c", 0}};
  shape.point = Point{"s", 2};
  shape.flags = {false, true, true, false};
  const std::string blob("\0\xff", 2);
  shape.blobs = {{upsertkit::bytes(blob), std::nullopt, upsertkit::bytes()}};
  shape.matrix = {{{}, {5}, {6, 7}}};
  shape.small_decimals = {{upsertkit::decimal<2, 0>{-99}, std::nullopt}};
  shape.strict_decimals = {upsertkit::decimal<2, 0>{99}};
  shape.owned = {{"owned", std::nullopt}};
  shape.points = {{{"p", Point{std::nullopt, 3}}, {"q", std::nullopt}}};
  const auto all = value_codec<shapes>();
  const std::string encoded = encode(all, shape);
  const exact_buffer message(encoded);
  Shapes decoded;
  ASSERT_TRUE(all.decode(message.view(), decoded).ok());
  EXPECT_EQ(decoded, shape);
}

TEST(NestedAvroRoundTrip, RowFieldsKeepTheNonLegacyTimestampMapping) {
  // ROW<t TIMESTAMP(6), l TIMESTAMP_LTZ(3)> without the legacy mapping: local-timestamp-micros
  // and timestamp-millis. The count is in the unit the schema declares, as for a top-level
  // column (Flink 1.20.3's writer puts milliseconds there: `02 02 d0 0f ...` for 1.000001 s).
  const auto codec = column_codec<oddities>("micros_row", avro::options{false, false});
  Oddities row;
  row.micros_row = Micros{upsertkit::local_timestamp<6>(std::chrono::microseconds(1'000'001)),
                          upsertkit::timestamp_ltz<3>(std::chrono::milliseconds(5))};
  const std::string encoded = encode(codec, row);
  EXPECT_EQ(hex(encoded), "02 02 82 89 7a 02 0a");  // 1000001 us, 5 ms
  Oddities decoded;
  ASSERT_TRUE(codec.decode(exact_buffer(encoded).view(), decoded).ok());
  ASSERT_TRUE(decoded.micros_row);
  EXPECT_EQ(decoded.micros_row->t, row.micros_row->t);
  EXPECT_EQ(decoded.micros_row->l, row.micros_row->l);
}

TEST(NestedAvroDecode, StringViewsAndBytesInsideNestedValuesPointIntoTheMessage) {
  const exact_buffer message(unhex(flink_full));
  Person row;
  ASSERT_TRUE(value_codec<people>().decode(message.view(), row).ok());
  EXPECT_TRUE(message.holds((*row.tags)[0]->data()));
  EXPECT_TRUE(message.holds(row.counters.begin()->first.data()));  // a std::string_view key
  EXPECT_TRUE(message.holds(row.home->street->data()));
  EXPECT_EQ(*row.home->street, "Main");

  Shapes shape;
  shape.blobs = {{upsertkit::bytes(std::string_view("blob"))}};
  shape.bag.counts = {{"elem", 1}};
  const exact_buffer blobs(encode(column_codec<shapes>("blobs"), shape) +
                           encode(column_codec<shapes>("bag"), shape));
  Shapes decoded;
  const avro::codec<shapes> codec(upsertkit::projection{{7, 4}, {"blobs", "bag"}});
  ASSERT_TRUE(codec.decode(blobs.view(), decoded).ok());
  EXPECT_TRUE(blobs.holds((*decoded.blobs)[0]->data()));
  EXPECT_EQ((*decoded.blobs)[0]->view(), "blob");
  EXPECT_TRUE(blobs.holds(decoded.bag.counts.begin()->first.data()));
}

TEST(NestedAvroDecode, NegativeBlockCountsCarryASizeAndBlocksCanBeMany) {
  const auto ints = column_codec<shapes>("ints");
  Shapes row;
  // Block of -2 items (03) of 2 bytes (04): 1 2; block of 1 item: 3; end.
  ASSERT_TRUE(
      ints.decode(exact_buffer(bytes({0x03, 0x04, 0x02, 0x04, 0x02, 0x06, 0x00})).view(), row)
          .ok());
  EXPECT_EQ(row.ints, (std::vector<std::int32_t>{1, 2, 3}));
  // Three blocks of one.
  ASSERT_TRUE(
      ints.decode(exact_buffer(bytes({0x02, 0x02, 0x02, 0x04, 0x02, 0x06, 0x00})).view(), row)
          .ok());
  EXPECT_EQ(row.ints, (std::vector<std::int32_t>{1, 2, 3}));

  // A map in a negative block: -1 entry (01) of 3 bytes (06): "a" -> 1.
  const auto longs = column_codec<shapes>("longs");
  const exact_buffer map_block(bytes({0x01, 0x06, 0x02, 'a', 0x02, 0x00}));  // keys point into it
  ASSERT_TRUE(longs.decode(map_block.view(), row).ok());
  EXPECT_EQ(row.longs, (std::map<std::string_view, std::int64_t>{{"a", 1}}));

  // The items must take the bytes the block says.
  EXPECT_EQ(ints.decode(exact_buffer(bytes({0x03, 0x02, 0x02, 0x04, 0x00})).view(), row).describe(),
            "field 'ints': malformed data: the block's size says 1 byte(s), its items took 2");
  EXPECT_EQ(ints.decode(exact_buffer(bytes({0x03, 0x01, 0x02, 0x04, 0x00})).view(), row).describe(),
            "field 'ints': malformed data: block size is negative: -1");
  EXPECT_EQ(ints.decode(exact_buffer(bytes({0x03, 0x40, 0x02, 0x04, 0x00})).view(), row).describe(),
            "field 'ints': truncated message: 32 byte(s) needed, 3 left");
  // An error in a later block names the element by its index in the whole array.
  EXPECT_EQ(ints.decode(exact_buffer(bytes({0x02, 0x02, 0x04, 0x04, 0x80})).view(), row).describe(),
            "field 'ints[2]': truncated message: the varint at byte 4 is not complete");
}

TEST(NestedAvroDecode, ARepeatedKeyKeepsTheLastValue) {
  // Flink reads an Avro map into a HashMap: a key seen again replaces the value.
  const auto longs = column_codec<shapes>("longs");
  Shapes row;
  const exact_buffer twice(bytes({0x04, 0x02, 'a', 0x02, 0x02, 'a', 0x04, 0x00}));
  ASSERT_TRUE(longs.decode(twice.view(), row).ok());
  EXPECT_EQ(row.longs, (std::map<std::string_view, std::int64_t>{{"a", 2}}));

  const auto points = column_codec<shapes>("points");
  ASSERT_TRUE(points
                  .decode(exact_buffer(bytes({0x02, 0x04, 0x02, 'p', 0x02, 0x02, 0x02, 'x', 0x02,
                                              0x02, 0x02, 'p', 0x02, 0x00, 0x02, 0x04, 0x00}))
                              .view(),
                          row)
                  .ok());
  ASSERT_TRUE(row.points && row.points->size() == 1);
  EXPECT_EQ(row.points->at("p"), (Point{std::nullopt, 2}));
}

TEST(NestedAvroDecode, AReusedRowTakesOnlyTheNewValues) {
  const auto codec = value_codec<people>();
  const exact_buffer full(unhex(flink_full));
  const exact_buffer many(unhex(flink_many));
  const exact_buffer empties(unhex(flink_empties));
  Person row;
  ASSERT_TRUE(codec.decode(full.view(), row).ok());
  ASSERT_TRUE(codec.decode(many.view(), row).ok());
  EXPECT_TRUE(same(row, many_person()));
  ASSERT_TRUE(codec.decode(full.view(), row).ok());
  ASSERT_TRUE(codec.decode(empties.view(), row).ok());
  EXPECT_TRUE(same(row, empty_person()));
}

TEST(NestedAvroDecode, NestedDecimalsThatOverflowAreNullOrAnError) {
  Shapes row;
  // 1000 does not fit DECIMAL(2, 0): a nullable element becomes NULL
  // (DecimalData.fromUnscaledBytes).
  const auto nullable = column_codec<shapes>("small_decimals");
  ASSERT_TRUE(
      nullable
          .decode(exact_buffer(bytes({0x02, 0x04, 0x02, 0x04, 0x03, 0xe8, 0x02, 0x02, 0x0c, 0x00}))
                      .view(),
                  row)
          .ok());
  ASSERT_TRUE(row.small_decimals);
  EXPECT_EQ(*row.small_decimals, (std::vector<std::optional<upsertkit::decimal<2, 0>>>{
                                     std::nullopt, upsertkit::decimal<2, 0>{12}}));
  const auto strict = column_codec<shapes>("strict_decimals");
  EXPECT_EQ(
      strict.decode(exact_buffer(bytes({0x04, 0x02, 0x0c, 0x04, 0x03, 0xe8, 0x00})).view(), row)
          .describe(),
      "field 'strict_decimals[1]': null value for NOT NULL column (the unscaled value overflows "
      "DECIMAL(2, 0))");
}

// ---------------------------------------------------------------------------------------------
// Hostile messages

// `flink_full` with one byte replaced.
std::string full_with(std::size_t at, int byte) {
  std::string message = unhex(flink_full);
  message[at] = static_cast<char>(byte);
  return message;
}

TEST(NestedAvroHostile, ErrorsNameTheColumnAndThePathInsideIt) {
  const auto codec = value_codec<people>();
  const std::string full = unhex(flink_full);
  ASSERT_EQ(full.size(), 82u);
  Person row;
  const auto error = [&](const std::string& message) {
    return codec.decode(exact_buffer(message).view(), row).describe();
  };
  // Bytes of flink_full: id 0-2, tags 3-9, scores 10-13, attributes 14-21, counters 22-26,
  // labels 27-33, home 34-55 (zip: union 41, value 42-44; geo.lat's double 47-54), visits
  // 56-70, groups 71-81.
  // tags: 02 04 | 02 02 78 | 00 | 00 ; the second element's union index (byte 8) -> 3.
  EXPECT_EQ(error(full_with(8, 0x06)),
            "field 'tags[1]': union index 3 out of range for [\"null\", T] (0 or 1)");
  // attributes["k"]: the value's union index (byte 18).
  EXPECT_EQ(error(full_with(18, 0x04)),
            "field 'attributes[\"k\"]': union index 2 out of range for [\"null\", T] (0 or 1)");
  // A bad MAP key names the map.
  EXPECT_EQ(error(full_with(16, 0x01)),
            "field 'attributes': malformed data: length is negative: -1");
  // labels["l"]: the count's union index (byte 31) -> null.
  EXPECT_EQ(error(full_with(31, 0x00)),
            "field 'labels[\"l\"]': null count for a MULTISET element (Flink writes the count as "
            "[\"null\", \"int\"] but never null)");
  // home.zip and home.geo.lat cut short.
  EXPECT_EQ(error(full.substr(0, 44)),
            "field 'home.zip': truncated message: the varint at byte 42 is not complete");
  EXPECT_EQ(error(full.substr(0, 51)),
            "field 'home.geo.lat': truncated message: 8 byte(s) needed, 4 left");
  // home.zip is nullable in the schema (a field of a nullable ROW) but not in the struct.
  EXPECT_EQ(error(full_with(41, 0x00)),
            "field 'home.zip': null value for a NOT NULL member (the field of a nullable ROW, "
            "which Flink's row type makes nullable)");
  // visits[2].amount: the third visit's amount union index (byte 69).
  EXPECT_EQ(error(full_with(69, 0x04)),
            "field 'visits[2].amount': union index 2 out of range for [\"null\", T] (0 or 1)");
  // groups["g"][1]: the array element's union index (byte 79).
  EXPECT_EQ(error(full_with(79, 0x05)),
            "field 'groups[\"g\"][1]': union index -3 out of range for [\"null\", T] (0 or 1)");
}

// A long as Avro writes it (zig-zag varint), written here independently of the codec.
std::string avro_long(std::int64_t n) {
  std::uint64_t z = (static_cast<std::uint64_t>(n) << 1) ^ static_cast<std::uint64_t>(n >> 63);
  std::string out;
  while (z >= 0x80) {
    out += static_cast<char>((z & 0x7F) | 0x80);
    z >>= 7;
  }
  out += static_cast<char>(z);
  return out;
}

TEST(NestedAvroHostile, HugeCountsFailBeforeAnyItemIsRead) {
  const auto ints = column_codec<shapes>("ints");
  Shapes row;
  const auto error = [&](const avro::codec<shapes>& codec, const std::string& message) {
    return codec.decode(exact_buffer(message).view(), row).describe();
  };
  // Each INT takes at least one byte: a count beyond the bytes left is a truncation.
  EXPECT_EQ(avro_long(1'000'000), bytes({0x80, 0x89, 0x7a}));
  EXPECT_EQ(error(ints, avro_long(1'000'000) + bytes({0x02, 0x04})),
            "field 'ints': truncated message: 1000000 byte(s) needed, 2 left");
  EXPECT_EQ(error(ints, avro_long(2'147'483'639)),
            "field 'ints': truncated message: 2147483639 byte(s) needed, 0 left");
  // Beyond what Avro's Java reader reads, in one block or over several.
  EXPECT_EQ(error(ints, avro_long(std::numeric_limits<std::int64_t>::max())),
            "field 'ints': collection of 9223372036854775807 items exceeds the limit of "
            "2147483639 (Avro's Java reader, Flink's)");
  EXPECT_EQ(error(ints, avro_long(2) + bytes({0x02, 0x04}) + avro_long(2'147'483'638)),
            "field 'ints': collection of 2147483640 items exceeds the limit of 2147483639 "
            "(Avro's Java reader, Flink's)");
  EXPECT_EQ(error(ints, avro_long(-2'147'483'640) + avro_long(0)),
            "field 'ints': collection of 2147483640 items exceeds the limit of 2147483639 "
            "(Avro's Java reader, Flink's)");
  // A negative count cannot be INT64_MIN (its negation overflows).
  EXPECT_EQ(error(ints, avro_long(std::numeric_limits<std::int64_t>::min())),
            "field 'ints': malformed data: block count -9223372036854775808");
  // A MAP entry takes at least 2 bytes (key length, value).
  EXPECT_EQ(error(column_codec<shapes>("longs"), avro_long(1'000'000) + bytes({0x02, 'a', 0x02})),
            "field 'longs': truncated message: 2000000 byte(s) needed, 3 left");
  // In a MAP's value, the error names the entry.
  const auto people_codec = value_codec<people>();
  Person person;
  const std::string prefix = unhex("04 70 31 00 00 00 00 00 00 00 02 02 02 67 02");
  EXPECT_EQ(people_codec.decode(exact_buffer(prefix + avro_long(4) + bytes({0x00})).view(), person)
                .describe(),
            "field 'groups[\"g\"]': truncated message: 4 byte(s) needed, 1 left");
  // Nested: the inner array's count.
  EXPECT_EQ(error(column_codec<shapes>("matrix"), bytes({0x02, 0x02}) + avro_long(1'000'000)),
            "field 'matrix[0]': truncated message: 1000000 byte(s) needed, 0 left");
}

TEST(NestedAvroHostile, EveryTruncationOfAValidRecordFails) {
  const auto codec = value_codec<people>();
  for (const Person& original :
       {full_person(), null_person(), empty_person(), many_person(), deep_null_person()}) {
    const std::string message = encode(codec, original);
    for (std::size_t n = 0; n < message.size(); ++n) {
      const exact_buffer prefix(std::string_view(message).substr(0, n));
      Person row;
      const auto status = codec.decode(prefix.view(), row);
      ASSERT_TRUE(status.failed()) << hex(message) << " cut at " << n;
      EXPECT_FALSE(status.failure().field.empty()) << status.describe();
    }
    // One byte more is an error too.
    Person row;
    EXPECT_EQ(codec.decode(exact_buffer(message + '\0').view(), row).describe(),
              "1 byte(s) after the end of the Avro record (was it written with another schema, "
              "or framed by a schema registry?)");
  }
}

TEST(NestedAvroHostile, RandomMutationsNeverCrash) {
  const auto codec = value_codec<people>();
  const std::string messages[] = {unhex(flink_full), unhex(flink_many),
                                  encode(codec, deep_null_person())};
  std::mt19937 random(17);
  int decoded = 0;
  for (int i = 0; i < 20'000; ++i) {
    std::string message = messages[static_cast<std::size_t>(i) % 3];
    const int changes = 1 + static_cast<int>(random() % 3);
    for (int c = 0; c < changes; ++c)
      message[random() % message.size()] = static_cast<char>(random() % 256);
    if (random() % 4 == 0) message.resize(random() % message.size());
    const exact_buffer buffer(message);
    Person row;
    if (codec.decode(buffer.view(), row).ok()) {
      ++decoded;
      Person again;
      const exact_buffer encoded(encode(codec, row));
      ASSERT_TRUE(codec.decode(encoded.view(), again).ok()) << hex(message);
      EXPECT_TRUE(same(row, again)) << hex(message);
    }
  }
  EXPECT_GT(decoded, 0);
}

}  // namespace
}  // namespace nested_avro_test
