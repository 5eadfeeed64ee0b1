// The print sink with ARRAY, MAP, MULTISET and ROW columns. Every expected line is what Flink
// 1.20.3 printed for the same row: its print sink's DataStructureConverter.toExternal(row)
// .toString() (modern), and the same with RowUtils.USE_LEGACY_TO_STRING set, inside
// `<kind>(...)` (legacy). Flink's maps were filled in the std::map's key order.
#include <gtest/gtest.h>
#include <upsertkit/print.hpp>

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nested_table.hpp"

namespace nested_print_test {

// ints MAP<INT, STRING>, longs MAP<BIGINT, STRING>, strings MAP<STRING, INT>,
// bools MULTISET<BOOLEAN>, tiny MAP<TINYINT, SMALLINT>
struct Keys {
  std::optional<std::map<std::int32_t, std::optional<std::string_view>>> ints;
  std::optional<std::map<std::int64_t, std::optional<std::string_view>>> longs;
  std::optional<std::map<std::string, std::optional<std::int32_t>>> strings;
  std::optional<upsertkit::multiset<bool>> bools;
  std::optional<std::map<std::int8_t, std::optional<std::int16_t>>> tiny;
};

// Maps large enough to resize the HashMap, or crowding one bucket.
struct Sizes {
  std::map<std::int32_t, std::string> thirteen;
  std::map<std::string, std::int32_t> nato;
  std::map<std::int32_t, std::string> crowded;
  std::map<std::int32_t, std::string> crowded64;
};

// Keys of the other types whose Java hash is known, and BYTES values.
struct OtherKeys {
  std::map<double, std::string> doubles;
  upsertkit::multiset<float> floats;
  std::map<upsertkit::decimal<10, 2>, std::int32_t> decimals;
  std::map<upsertkit::decimal<38, 2>, std::int32_t> wide;
  std::map<upsertkit::date, std::int32_t> dates;
  std::map<upsertkit::time_of_day<0>, std::int32_t> times;
  std::map<upsertkit::timestamp, std::int32_t> stamps;
  std::map<upsertkit::timestamp_ltz<3>, std::int32_t> instants;
  std::map<std::string, std::optional<upsertkit::bytes>> blobs;
};

// flags ARRAY<BOOLEAN NOT NULL> NOT NULL, nested ARRAY<ARRAY<INT>>,
// maps ARRAY<MAP<STRING, MULTISET<INT>>>, blobs ARRAY<BYTES>, when ARRAY<TIMESTAMP_LTZ(3)>
struct Arrays {
  std::vector<bool> flags;
  std::optional<std::vector<std::optional<std::vector<std::optional<std::int32_t>>>>> nested;
  std::optional<std::vector<
      std::optional<std::map<std::string, std::optional<upsertkit::multiset<std::int32_t>>>>>>
      maps;
  std::optional<std::vector<std::optional<upsertkit::bytes>>> blobs;
  std::optional<std::vector<std::optional<upsertkit::timestamp_ltz<3>>>> when;
};

}  // namespace nested_print_test

BOOST_HANA_ADAPT_STRUCT(nested_print_test::Keys, ints, longs, strings, bools, tiny);
BOOST_HANA_ADAPT_STRUCT(nested_print_test::Sizes, thirteen, nato, crowded, crowded64);
BOOST_HANA_ADAPT_STRUCT(nested_print_test::OtherKeys, doubles, floats, decimals, wide, dates, times,
                        stamps, instants, blobs);
BOOST_HANA_ADAPT_STRUCT(nested_print_test::Arrays, flags, nested, maps, blobs, when);

namespace nested_print_test {
namespace {

using upsertkit::print_style;
using upsertkit::row_kind;

template <class Table>
std::string printed(row_kind kind, const typename Table::row_type& row, print_style style) {
  std::string out;
  upsertkit::append_printed_row<Table>(out, kind, row, style);
  return out;
}

upsertkit::timestamp at_millis(std::int64_t millis) {
  return upsertkit::timestamp{millis};
}

// 2020-03-08 13:12:11.120
constexpr std::int64_t march_8_millis = 1'583'673'131'120;

test_nested::Person full_person() {
  using test_nested::Address;
  using test_nested::Geo;
  using test_nested::Visit;
  test_nested::Person person{};
  person.id = "p1";
  person.tags = std::vector<std::optional<std::string_view>>{"a", std::nullopt, "c d"};
  person.scores = {1, -2, 3};
  person.attributes = std::map<std::string, std::optional<std::string>>{
      {"eye", "blue"}, {"hair", std::nullopt}, {"height", "180"}};
  person.counters = {{"clicks", 10}, {"views", 200}};
  person.labels = upsertkit::multiset<std::string>{{{"x", 2}, {"y", 1}}};
  person.home = Address{"Main St", 12345, Geo{52.5, std::nullopt}};
  person.visits = std::vector<std::optional<Visit>>{
      Visit{at_millis(march_8_millis), upsertkit::decimal<10, 2>{6000}}, std::nullopt, Visit{}};
  person.groups = std::map<std::string, std::optional<std::vector<std::optional<std::int64_t>>>>{
      {"g1", std::vector<std::optional<std::int64_t>>{1, std::nullopt}}, {"g2", std::nullopt}};
  return person;
}

TEST(NestedPrint, EveryNestedTypeModern) {
  EXPECT_EQ(printed<test_nested::people>(row_kind::insert, full_person(), print_style::modern),
            "+I[p1, [a, null, c d], [1, -2, 3], {eye=blue, hair=null, height=180}, "
            "{clicks=10, views=200}, {x=2, y=1}, +I[Main St, 12345, +I[52.5, null]], "
            "[+I[2020-03-08T13:12:11.120, 60.00], null, +I[null, null]], "
            "{g1=[1, null], g2=null}]");
}

// Legacy Row.toString joins a nested ROW's fields with ',' and no brackets, so they run into
// the row's own. Flink prints the ARRAY inside the MAP as `[Ljava.lang.Object;@7a67e3c6`
// (Object.toString, an identity hash); upsertkit prints its elements instead.
TEST(NestedPrint, EveryNestedTypeLegacy) {
  EXPECT_EQ(printed<test_nested::people>(row_kind::insert, full_person(), print_style::legacy),
            "+I(p1,[a, null, c d],[1, -2, 3],{eye=blue, hair=null, height=180},"
            "{clicks=10, views=200},{x=2, y=1},Main St,12345,52.5,null,"
            "[2020-03-08T13:12:11.120,60.00, null, null,null],{g1=[1, null], g2=null})");
}

TEST(NestedPrint, EmptyCollectionsAndNulls) {
  test_nested::Person empty{};
  empty.id = "p2";
  empty.tags.emplace();
  empty.attributes.emplace();
  empty.labels.emplace();
  empty.home.emplace();
  empty.visits.emplace();
  empty.groups.emplace();
  EXPECT_EQ(printed<test_nested::people>(row_kind::update_after, empty, print_style::modern),
            "+U[p2, [], [], {}, {}, {}, +I[null, 0, null], [], {}]");
  EXPECT_EQ(printed<test_nested::people>(row_kind::update_after, empty, print_style::legacy),
            "+U(p2,[],[],{},{},{},null,0,null,[],{})");

  test_nested::Person nulls{};
  nulls.id = "p3";
  nulls.scores = {7};
  EXPECT_EQ(printed<test_nested::people>(row_kind::delete_, nulls, print_style::modern),
            "-D[p3, null, [7], null, {}, null, null, null, null]");
  EXPECT_EQ(printed<test_nested::people>(row_kind::delete_, nulls, print_style::legacy),
            "-D(p3,null,[7],null,{},null,null,null,null)");
}

// A MAP prints in the order of the java.util.HashMap Flink's converter builds: by bucket of
// the key's hashCode (Integer: the value; Long: high ^ low word; String: over UTF-16 units,
// "Aa" and "BB" collide), keys in one bucket in insertion order.
TEST(NestedPrint, MapsFollowJavaHashMapOrder) {
  using keys_table = upsertkit::table<Keys, upsertkit::no_primary_key>;
  Keys row{};
  row.ints = std::map<std::int32_t, std::optional<std::string_view>>{
      {-1, "m1"}, {1, "a"}, {2, "b"}, {16, "p"}, {17, "q"}, {65536, "big"}};
  row.longs = std::map<std::int64_t, std::optional<std::string_view>>{
      {-5, "neg"}, {3, "three"}, {4294967296, "2^32"}, {4294967299, "2^32+3"}};
  row.strings = std::map<std::string, std::optional<std::int32_t>>{{"Aa", 1},
                                                                   {"BB", 2},
                                                                   {"apple", 3},
                                                                   {"banana", 4},
                                                                   {"cherry", 5},
                                                                   {"zeta", 8},
                                                                   {"\xC3\xA9t\xC3\xA9", 6},
                                                                   {"\xF0\x9F\x98\x80", 7}};
  row.bools = upsertkit::multiset<bool>{{{false, 1}, {true, 3}}};
  row.tiny = std::map<std::int8_t, std::optional<std::int16_t>>{{-1, 1}, {0, 2}, {15, 3}, {16, 4}};
  const std::string maps =
      "{-1=m1, 16=p, 1=a, 17=q, 65536=big, 2=b}, {4294967296=2^32, 4294967299=2^32+3, 3=three, "
      "-5=neg}, {Aa=1, BB=2, banana=4, zeta=8, apple=3, cherry=5, \xF0\x9F\x98\x80=7, "
      "\xC3\xA9t\xC3\xA9=6}, {false=1, true=3}, {-1=1, 0=2, 16=4, 15=3}";
  EXPECT_EQ(printed<keys_table>(row_kind::insert, row, print_style::modern), "+I[" + maps + "]");
  std::string legacy_maps = maps;
  for (std::size_t at = legacy_maps.find("}, {"); at != std::string::npos;
       at = legacy_maps.find("}, {", at))
    legacy_maps.replace(at, 4, "},{");
  EXPECT_EQ(printed<keys_table>(row_kind::insert, row, print_style::legacy),
            "+I(" + legacy_maps + ")");
}

// 13 keys make 32 buckets, 25 make 64; nine keys in one bucket of a table below 64 make it
// resize (treeifyBin), and again for a tenth.
TEST(NestedPrint, MapOrderFollowsTheHashMapsResizes) {
  using sizes_table = upsertkit::table<Sizes, upsertkit::no_primary_key>;
  Sizes row{};
  for (int i = 0; i < 13; ++i)
    row.thirteen[i * 10] = "v" + std::to_string(i);
  const char* words[] = {"alpha",  "bravo",   "charlie", "delta", "echo",   "foxtrot", "golf",
                         "hotel",  "india",   "juliett", "kilo",  "lima",   "mike",    "november",
                         "oscar",  "papa",    "quebec",  "romeo", "sierra", "tango",   "uniform",
                         "victor", "whiskey", "xray",    "yankee"};
  for (int i = 0; i < 25; ++i)
    row.nato[words[i]] = i;
  for (int i = 0; i < 9; ++i)
    row.crowded[i * 16] = "c" + std::to_string(i);
  for (int i = 0; i < 10; ++i)
    row.crowded64[i * 64] = "d" + std::to_string(i);
  EXPECT_EQ(printed<sizes_table>(row_kind::insert, row, print_style::modern),
            "+I[{0=v0, 100=v10, 70=v7, 40=v4, 10=v1, 110=v11, 80=v8, 50=v5, 20=v2, 120=v12, "
            "90=v9, 60=v6, 30=v3}, {romeo=17, november=13, juliett=9, foxtrot=5, mike=12, "
            "sierra=18, delta=3, echo=4, xray=23, india=8, bravo=1, uniform=20, golf=6, kilo=10, "
            "victor=21, papa=15, alpha=0, hotel=7, tango=19, oscar=14, yankee=24, lima=11, "
            "quebec=16, charlie=2, whiskey=22}, {0=c0, 32=c2, 64=c4, 96=c6, 128=c8, 16=c1, "
            "48=c3, 80=c5, 112=c7}, {0=d0, 64=d1, 128=d2, 192=d3, 256=d4, 320=d5, 384=d6, "
            "448=d7, 512=d8, 576=d9}]");
}

// Double/Float/BigDecimal/LocalDate/LocalTime/LocalDateTime/Instant hash codes. A BYTES value
// prints as Arrays.toString in the modern style; legacy Flink printed `[B@4a194c39`.
TEST(NestedPrint, OtherKeyTypesFollowTheirJavaHashCodes) {
  using others_table = upsertkit::table<OtherKeys, upsertkit::no_primary_key>;
  using dec = upsertkit::decimal<10, 2>;
  using wide = upsertkit::decimal<38, 2>;
  using time0 = upsertkit::time_of_day<0>;
  using ltz3 = upsertkit::timestamp_ltz<3>;
  const auto int128_of = [](std::string_view digits) {
    upsertkit::int128 value = 0;
    const bool negative = digits.front() == '-';
    for (char c : digits.substr(negative ? 1 : 0))
      value = value * 10 + (c - '0');
    return negative ? -value : value;
  };
  const std::string blob = {1, 0, -1};
  OtherKeys row{};
  // (Flink's row also had NaN=e, printed between -2.5=a and 60.0=d: an std::map cannot hold a
  // NaN key, it compares equivalent to every key.)
  row.doubles = {{-2.5, "a"}, {0.0, "b"}, {1.0, "c"}, {60.0, "d"}};
  row.floats.counts = {{-1.5f, 1}, {0.1f, 2}, {2.0f, 3}, {1.0E10f, 4}};
  row.decimals = {{dec{-6000}, 1}, {dec{0}, 2}, {dec{1}, 3}, {dec{6000}, 4}, {dec{99999999}, 5}};
  row.wide = {{wide{int128_of("-1234567890123456789012345")}, 1},
              {wide{5}, 2},
              {wide{int128_of("9223372036854775808")}, 3},
              {wide{int128_of("9999999999999999999999999999999999999")}, 4}};
  row.dates = {{upsertkit::date{-1}, 1},
               {upsertkit::date{0}, 2},
               {upsertkit::date{18346}, 3},
               {upsertkit::date{2932896}, 4}};
  row.times = {{time0{std::chrono::seconds(0)}, 1},
               {time0{std::chrono::seconds(47531)}, 2},
               {time0{std::chrono::seconds(86399)}, 3}};
  row.stamps = {{at_millis(-1), 1}, {at_millis(0), 2}, {at_millis(march_8_millis), 3}};
  row.instants = {{ltz3(std::chrono::milliseconds(-1500)), 1},
                  {ltz3(std::chrono::milliseconds(0)), 2},
                  {ltz3(std::chrono::milliseconds(march_8_millis)), 3}};
  row.blobs = {{"k", upsertkit::bytes(blob)}, {"n", std::nullopt}};
  EXPECT_EQ(printed<others_table>(row_kind::insert, row, print_style::modern),
            "+I[{0.0=b, 1.0=c, -2.5=a, 60.0=d}, {-1.5=1, 2.0=3, 0.1=2, 1.0E10=4}, "
            "{60.00=4, 0.01=3, 0.00=2, 999999.99=5, -60.00=1}, "
            "{92233720368547758.08=3, 99999999999999999999999999999999999.99=4, "
            "-12345678901234567890123.45=1, 0.05=2}, "
            "{1969-12-31=1, 2020-03-25=3, 9999-12-31=4, 1970-01-01=2}, "
            "{00:00=1, 23:59:59=3, 13:12:11=2}, "
            "{2020-03-08T13:12:11.120=3, 1969-12-31T23:59:59.999=1, 1970-01-01T00:00=2}, "
            "{1970-01-01T00:00:00Z=2, 2020-03-08T13:12:11.120Z=3, 1969-12-31T23:59:58.500Z=1}, "
            "{k=[1, 0, -1], n=null}]");
}

TEST(NestedPrint, ArraysOfEveryShape) {
  using arrays_table = upsertkit::table<Arrays, upsertkit::no_primary_key>;
  using ints = std::vector<std::optional<std::int32_t>>;
  using counts = upsertkit::multiset<std::int32_t>;
  const std::string blob = {1, -1};
  Arrays row{};
  row.flags = {true, false};
  row.nested = std::vector<std::optional<ints>>{ints{1, std::nullopt}, std::nullopt, ints{}};
  row.maps = std::vector<std::optional<std::map<std::string, std::optional<counts>>>>{
      std::map<std::string, std::optional<counts>>{{"m", counts{{{7, 2}}}}}, std::nullopt};
  row.blobs = std::vector<std::optional<upsertkit::bytes>>{upsertkit::bytes(blob),
                                                           upsertkit::bytes(), std::nullopt};
  row.when = std::vector<std::optional<upsertkit::timestamp_ltz<3>>>{
      upsertkit::timestamp_ltz<3>(std::chrono::milliseconds(1'583'673'120'000))};
  EXPECT_EQ(printed<arrays_table>(row_kind::insert, row, print_style::modern),
            "+I[[true, false], [[1, null], null, []], [{m={7=2}}, null], [[1, -1], [], null], "
            "[2020-03-08T13:12:00Z]]");
  EXPECT_EQ(printed<arrays_table>(row_kind::insert, row, print_style::legacy),
            "+I([true, false],[[1, null], null, []],[{m={7=2}}, null],[[1, -1], [], null],"
            "[2020-03-08T13:12:00Z])");
}

TEST(NestedPrint, SinkPrintsNestedRows) {
  std::FILE* stream = std::tmpfile();
  ASSERT_NE(stream, nullptr);
  upsertkit::print_options options;
  options.style = print_style::modern;
  options.print_identifier = "people";
  upsertkit::print_sink<test_nested::people> sink(options, stream);
  test_nested::Person person{};
  person.id = "p9";
  person.scores = {4};
  sink.print(row_kind::insert, person);
  sink.flush();
  std::rewind(stream);
  char line[256] = {};
  ASSERT_NE(std::fgets(line, sizeof line, stream), nullptr);
  std::fclose(stream);
  EXPECT_STREQ(line, "people> +I[p9, null, [4], null, {}, null, null, null, null]\n");
}

}  // namespace
}  // namespace nested_print_test
